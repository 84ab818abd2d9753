import { errors } from '@lpx/sdk';
import type { RegistryEntry } from '../local-registry/layout.js';
import { readJsonFile, writeJsonAtomic } from './atomic-json.js';
import { canonicalBytes } from './canonical-json.js';
import type { KeyId, PrivateKeyRecord, ReviewRecord, ReviewState } from './contract.js';
import { normalizeKeyId } from './keys.js';
import { readRevokedKeys } from './revoked-keys.js';
import { signBytes, verifyBytes } from './sign-bytes.js';
import { registryRootOf, reviewPath, subjectOf } from './trust-layout.js';

type Entry = Pick<RegistryEntry, 'id' | 'version' | 'integrity' | 'dir'>;

export const REVIEW_STATES: readonly ReviewState[] = ['pending', 'approved', 'rejected', 'revoked'];
/** What a reviewer can decide; `pending` is the absence of a decision. */
export const REVIEW_DECISIONS: readonly ReviewState[] = ['approved', 'rejected', 'revoked'];

function reviewInvalid(entry: Pick<Entry, 'id' | 'version'>, message: string): Error {
  return errors.registry.REVIEW_INVALID.create(`${subjectOf(entry)}: ${message}`);
}

function isReview(value: unknown): value is ReviewRecord {
  const r = value as Partial<ReviewRecord> | null;
  return typeof r === 'object' && r !== null && r.type === 'lpx-plugin-review/v1' && REVIEW_STATES.includes(r.state as ReviewState) &&
    ['id', 'version', 'integrity', 'at', 'keyId', 'algorithm', 'publicKey', 'signature'].every((k) => typeof (r as Record<string, unknown>)[k] === 'string');
}

/** `<entry>/review.json`, oldest first; absent = no reviews (pending). */
export async function readReviews(entry: Entry): Promise<ReviewRecord[]> {
  const path = reviewPath(entry);
  const parsed = await readJsonFile(path, [], (message) => reviewInvalid(entry, message));
  if (!Array.isArray(parsed) || !parsed.every(isReview)) throw reviewInvalid(entry, `${path} must be an array of signed review records`);
  return parsed;
}

/** The bytes a review signature covers: the record without its signature. */
function reviewBytes(record: Omit<ReviewRecord, 'signature'> & { signature?: string }): Buffer {
  const { signature: _signature, ...signed } = record;
  return canonicalBytes(signed);
}

/** A review counts for this release only if its signature verifies and it names this exact content. */
export function reviewVerifies(entry: Entry, record: ReviewRecord): boolean {
  return record.id === entry.id && record.version === entry.version && record.integrity === entry.integrity && verifyBytes(record, reviewBytes(record), record.signature);
}

export interface ReviewStatus {
  readonly state: ReviewState;
  /** The record the state comes from; absent when pending. */
  readonly record?: ReviewRecord;
}

/**
 * The current state: the newest valid review by an accepted reviewer, except
 * that `revoked` is final — a later approval never undoes it. Reviews by
 * revoked keys, by keys not in `reviewers`, with bad signatures or for other
 * content do not count. `reviewers: 'any'` is dev mode.
 */
export function reviewStatusOf(entry: Entry, reviews: readonly ReviewRecord[], reviewers: ReadonlySet<KeyId> | 'any', revokedKeys: ReadonlySet<KeyId>): ReviewStatus {
  const counted = reviews.filter((r) => (reviewers === 'any' || reviewers.has(r.keyId)) && !revokedKeys.has(r.keyId) && reviewVerifies(entry, r));
  const revoked = counted.find((r) => r.state === 'revoked');
  if (revoked) return { state: 'revoked', record: revoked };
  const newest = counted.at(-1);
  return newest ? { state: newest.state, record: newest } : { state: 'pending' };
}

function assertDecision(entry: Pick<Entry, 'id' | 'version'>, state: ReviewState): void {
  if (!REVIEW_DECISIONS.includes(state)) throw reviewInvalid(entry, `review state must be one of ${REVIEW_DECISIONS.join(', ')}, got ${JSON.stringify(state)}`);
}

/**
 * Whether a new record may join the release's reviews, the same rules for a
 * local review and for the HTTP registry's POST …/reviews (REVIEW_INVALID):
 * a decision, not `pending`; signed by a key this registry has not revoked;
 * a signature that verifies over this exact release; and the release not
 * already revoked (revocation is final).
 */
export async function assertReviewAcceptable(entry: Entry, record: ReviewRecord, reviews: readonly ReviewRecord[]): Promise<void> {
  assertDecision(entry, record.state);
  const revokedKeys = new Set((await readRevokedKeys(registryRootOf(entry))).map((k) => k.keyId));
  if (revokedKeys.has(normalizeKeyId(record.keyId))) throw reviewInvalid(entry, `reviewer key ${record.keyId} is revoked in this registry`);
  if (!reviewVerifies(entry, record)) {
    throw reviewInvalid(entry, `the review signature by ${record.keyId} does not verify over this release (id, version, integrity and the record's fields), or its keyId is not the id of its publicKey`);
  }
  const current = reviewStatusOf(entry, reviews, 'any', revokedKeys);
  if (current.state === 'revoked') throw reviewInvalid(entry, `the release is already revoked (by ${current.record?.keyId}); revocation is final, publish a new version`);
}

/** A reviewer's decision on one release, signed with their key and recorded nowhere (what `lpx plugin review --registry <url>` posts). */
export function signReview(entry: Pick<Entry, 'id' | 'version' | 'integrity'>, state: ReviewState, reviewerKey: PrivateKeyRecord, reason?: string): ReviewRecord {
  assertDecision(entry, state);
  const unsigned: Omit<ReviewRecord, 'signature'> = {
    type: 'lpx-plugin-review/v1',
    id: entry.id,
    version: entry.version,
    integrity: entry.integrity,
    state,
    ...(reason === undefined ? {} : { reason }),
    at: new Date().toISOString(),
    keyId: reviewerKey.keyId,
    algorithm: reviewerKey.algorithm,
    publicKey: reviewerKey.publicKey,
  };
  return { ...unsigned, signature: signBytes(reviewerKey, reviewBytes(unsigned)) };
}

/** Records a reviewer's signed decision on one release in a registry folder; refused as assertReviewAcceptable says. */
export async function reviewRelease(entry: Entry, state: ReviewState, reviewerKey: PrivateKeyRecord, reason?: string): Promise<ReviewRecord> {
  const record = signReview(entry, state, reviewerKey, reason);
  const reviews = await readReviews(entry);
  await assertReviewAcceptable(entry, record, reviews);
  await writeJsonAtomic(reviewPath(entry), [...reviews, record]);
  return record;
}
