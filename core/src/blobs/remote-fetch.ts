import { errors, isLpxError } from '@lpx/sdk';
import type { BlobRef, OpenedBlob } from './blob-types.js';

/** Fetches a blob another node serves; `fetch` in BlobStoreOptions can replace it (tests, proxies). */
export type RemoteFetch = (ref: BlobRef, signal?: AbortSignal) => Promise<OpenedBlob>;

const BLOB_CODES = new Map<string, { create(message: string): Error }>(
  Object.values(errors.blobs).map((code) => [code.code, code]),
);

/** The holder's own coded refusal (401 expired, 403 forged, 404 gone) is kept, so the caller learns why. */
function refusal(ref: BlobRef, status: number, text: string): Error {
  try {
    const problem = JSON.parse(text) as { code?: unknown; detail?: unknown };
    const code = typeof problem.code === 'string' ? BLOB_CODES.get(problem.code) : undefined;
    if (code) return code.create(`${ref.url}: ${String(problem.detail ?? status)}`);
  } catch {
    // not problem+json: fall through
  }
  return errors.blobs.FETCH_FAILED.create(`${ref.url} answered ${status}: ${text.slice(0, 200)}`);
}

export const fetchRemoteBlob: RemoteFetch = async (ref, signal) => {
  if (ref.url === undefined) {
    throw errors.blobs.UNAVAILABLE.create(`blob ${ref.id} is not stored here and its reference names no node to fetch it from (set blobs.publicUrl on the node that stores it)`);
  }
  let res;
  try {
    // Loaded on the first remote blob: undici is a large module a node that never fetches one should not hold (ADR 0063).
    const { request } = await import('undici');
    res = await request(ref.url, { method: 'GET', headers: { authorization: `Bearer ${ref.token}` }, ...(signal ? { signal } : {}) });
  } catch (cause) {
    if (isLpxError(cause)) throw cause;
    throw errors.blobs.FETCH_FAILED.create(`${ref.url}: ${(cause as Error).message}`, { cause });
  }
  if (res.statusCode !== 200) throw refusal(ref, res.statusCode, await res.body.text().catch(() => ''));
  const contentType = String(res.headers['content-type'] ?? ref.contentType);
  const length = Number(res.headers['content-length'] ?? ref.size);
  return { meta: { size: Number.isFinite(length) ? length : ref.size, contentType }, stream: res.body };
};
