import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { errors } from '@lpx/sdk';
import type { ReviewState } from '../trust/contract.js';
import { REVIEW_STATES } from '../trust/review.js';
import { TRUST_FILES } from '../trust/trust-layout.js';
import { isNodeError } from './layout.js';

/**
 * The files next to a release that are NOT covered by its integrity and may
 * grow after publishing (see trust/contract.ts for their content): signatures
 * are added by publishers, reviews by reviewers. Absent means none yet.
 * Named once, in trust/trust-layout.ts.
 */
export const RECORD_FILES = { signatures: TRUST_FILES.signatures, review: TRUST_FILES.review } as const;

/** Registry-wide files (see trust/contract.ts): known publisher keys and revoked keys. */
export const REGISTRY_FILES = { publishers: TRUST_FILES.publishers, revokedKeys: TRUST_FILES.revokedKeys } as const;

/** A JSON array file, or `[]` when it does not exist. */
export async function readRecords(path: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return [];
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw errors.registry.ENTRY_INVALID.create(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(parsed)) throw errors.registry.ENTRY_INVALID.create(`${path} is not a JSON array`);
  return parsed;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs appends to one file one after another, so two concurrent POSTs cannot lose each other's record. */
function serialised<T>(path: string, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(path) ?? Promise.resolve()).then(task, task);
  const settled = run.catch(() => undefined);
  queues.set(path, settled);
  void settled.then(() => {
    if (queues.get(path) === settled) queues.delete(path);
  });
  return run;
}

/**
 * Appends a record to a JSON array file (newest last) unless an identical
 * record is already there, so a retried POST is harmless. Written to a
 * temporary file and renamed, so a reader sees the old list or the new one.
 * Returns whether the file changed.
 */
export function appendRecord(path: string, record: unknown): Promise<boolean> {
  return serialised(path, async () => {
    const records = await readRecords(path);
    if (records.some((existing) => isDeepStrictEqual(existing, record))) return false;
    const temporary = `${path}.${process.pid}-${Date.now().toString(36)}.tmp`;
    await writeFile(temporary, `${JSON.stringify([...records, record], null, 2)}\n`);
    await rename(temporary, path);
    return true;
  });
}

/**
 * The state the newest review record claims, `pending` when there is none.
 * A SUMMARY for listings only: the records are not verified here; a node
 * verifies their signatures against its trust policy before relying on them.
 */
export async function claimedReviewState(releaseDir: string): Promise<ReviewState> {
  const records = await readRecords(join(releaseDir, RECORD_FILES.review));
  const state = (records.at(-1) as { state?: unknown } | undefined)?.state;
  return REVIEW_STATES.includes(state as ReviewState) ? (state as ReviewState) : 'pending';
}
