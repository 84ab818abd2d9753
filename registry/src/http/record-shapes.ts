import { errors } from '@lpx/sdk';
import type { KeyAlgorithm, ReleaseSignature, ReviewRecord, ReviewState } from '../trust/contract.js';
import { KEY_ALGORITHMS as ALGORITHMS } from '../trust/keys.js';
import { REVIEW_STATES as STATES } from '../trust/review.js';

/*
 * Shape checks of a request body. The server then verifies the signatures
 * over the release (write-routes.ts) so nothing that fails verification
 * reaches files every node reads; whether a signer is TRUSTED stays each
 * node's decision, by its own policy, after mirroring.
 */
const MAX_FIELD = 4096;

type Refuse = (message: string) => Error;

function object(value: unknown, what: string, refuse: Refuse): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refuse(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

function text(record: Record<string, unknown>, key: string, what: string, refuse: Refuse, optional = false): string | undefined {
  const value = record[key];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || value === '' || value.length > MAX_FIELD) throw refuse(`${what}: "${key}" must be a non-empty string of at most ${MAX_FIELD} characters`);
  return value;
}

function onlyKeys(record: Record<string, unknown>, keys: readonly string[], what: string, refuse: Refuse): void {
  const extra = Object.keys(record).filter((key) => !keys.includes(key));
  if (extra.length > 0) throw refuse(`${what}: unknown field(s) ${extra.map((k) => `"${k}"`).join(', ')}`);
}

function algorithm(record: Record<string, unknown>, what: string, refuse: Refuse): void {
  if (!ALGORITHMS.includes(record['algorithm'] as KeyAlgorithm)) throw refuse(`${what}: "algorithm" must be one of ${ALGORITHMS.join(', ')}`);
}

const SIGNATURE_KEYS = ['keyId', 'algorithm', 'publicKey', 'signature', 'signedAt'] as const;

/** One ReleaseSignature (see trust/contract.ts), or a coded 400. */
export function checkSignatureShape(value: unknown, subject: string): ReleaseSignature {
  const refuse: Refuse = (message) => errors.registry.SIGNATURE_INVALID.create(`${subject}: ${message}`);
  const what = 'a signature record';
  const record = object(value, what, refuse);
  onlyKeys(record, SIGNATURE_KEYS, what, refuse);
  for (const key of SIGNATURE_KEYS) text(record, key, what, refuse);
  algorithm(record, what, refuse);
  return record as unknown as ReleaseSignature;
}

/** A list of signatures (a `signatures.json` or a POST body holding several), or a coded 400. */
export function checkSignatureList(value: unknown, subject: string): ReleaseSignature[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.length > 64) throw errors.registry.SIGNATURE_INVALID.create(`${subject}: expected 1 to 64 signature records, got ${list.length}`);
  return list.map((item) => checkSignatureShape(item, subject));
}

const REVIEW_KEYS = ['type', 'id', 'version', 'integrity', 'state', 'reason', 'at', 'keyId', 'algorithm', 'publicKey', 'signature'] as const;

/** One ReviewRecord for this very release (id, version and integrity must match), or a coded 400. */
export function checkReviewShape(value: unknown, release: { id: string; version: string; integrity: string }): ReviewRecord {
  const subject = `review for "${release.id}"@${release.version}`;
  const refuse: Refuse = (message) => errors.registry.REVIEW_INVALID.create(`${subject}: ${message}`);
  const what = 'the review record';
  const record = object(value, what, refuse);
  onlyKeys(record, REVIEW_KEYS, what, refuse);
  for (const key of REVIEW_KEYS) text(record, key, what, refuse, key === 'reason');
  algorithm(record, what, refuse);
  if (record['type'] !== 'lpx-plugin-review/v1') throw refuse(`"type" must be "lpx-plugin-review/v1"`);
  if (!STATES.includes(record['state'] as ReviewState)) throw refuse(`"state" must be one of ${STATES.join(', ')}`);
  if (record['id'] !== release.id || record['version'] !== release.version) {
    throw refuse(`it names "${String(record['id'])}"@${String(record['version'])}, not the release it was posted to`);
  }
  if (record['integrity'] !== release.integrity) throw refuse(`it covers integrity ${String(record['integrity'])}, but the release is ${release.integrity}`);
  return record as unknown as ReviewRecord;
}
