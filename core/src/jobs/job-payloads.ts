import type { BlobRef, BlobStore } from '../blobs/index.js';

/**
 * What Redis holds instead of a large payload: `{ "$lpxBlob": <BlobRef> }`.
 * Buffers travel as `{ "$lpxBytes": <base64> }` when small, or as their own
 * raw blob when large, so binary bodies neither bloat into BullMQ's
 * `{type:'Buffer',data:[...]}` nor get base64-encoded into the blob store.
 */
export const BLOB_KEY = '$lpxBlob';
export const BYTES_KEY = '$lpxBytes';
const JSON_TYPE = 'application/json';
const BYTES_TYPE = 'application/octet-stream';

export interface PayloadOptions {
  readonly store: BlobStore;
  /** A payload whose JSON is larger than this goes to the store. */
  readonly inlineMaxBytes: number;
}

export interface Encoded {
  readonly value: unknown;
  /** The blobs written for it, so a failed enqueue can take them back. */
  readonly refs: readonly BlobRef[];
}

function soleKey(value: object, key: string): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === key;
}

function isRefEnvelope(value: unknown): value is { [BLOB_KEY]: BlobRef } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && soleKey(value, BLOB_KEY);
}

function isBytesEnvelope(value: unknown): value is { [BYTES_KEY]: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && soleKey(value, BYTES_KEY) && typeof (value as Record<string, unknown>)[BYTES_KEY] === 'string';
}

function isBinary(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/** Does `value` hold anything the codec must rewrite? Plain JSON (the common case) is left untouched. */
function hasBinary(value: unknown): boolean {
  if (isBinary(value)) return true;
  if (Array.isArray(value)) return value.some(hasBinary);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(hasBinary);
  return false;
}

/**
 * Turns a job payload into what BullMQ may store: Buffers become envelopes
 * (large ones their own blob), and if the JSON is still over the threshold
 * the whole of it becomes one blob. `owner` is called only when something is
 * stored, so small payloads cost nothing and need no job id chosen up front.
 */
export async function encodePayload(value: unknown, options: PayloadOptions, owner: () => string): Promise<Encoded> {
  const refs: BlobRef[] = [];
  const put = async (bytes: Uint8Array | string, contentType: string): Promise<{ [BLOB_KEY]: BlobRef }> => {
    const ref = await options.store.put(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes, { contentType, owner: owner() });
    refs.push(ref);
    return { [BLOB_KEY]: ref };
  };
  const rewrite = async (node: unknown): Promise<unknown> => {
    if (isBinary(node)) {
      return node.byteLength > options.inlineMaxBytes ? put(node, BYTES_TYPE) : { [BYTES_KEY]: Buffer.from(node.buffer, node.byteOffset, node.byteLength).toString('base64') };
    }
    if (Array.isArray(node)) return Promise.all(node.map(rewrite));
    if (typeof node === 'object' && node !== null) {
      const entries = await Promise.all(Object.entries(node).map(async ([key, child]) => [key, await rewrite(child)] as const));
      return Object.fromEntries(entries);
    }
    return node;
  };
  try {
    const plain = hasBinary(value) ? await rewrite(value) : value;
    if (plain === undefined) return { value: plain, refs };
    const json = JSON.stringify(plain);
    if (json === undefined || Buffer.byteLength(json, 'utf8') <= options.inlineMaxBytes) return { value: plain, refs };
    const fieldwise = await offloadLargestFields(plain, options.inlineMaxBytes, (fieldJson) => put(fieldJson, JSON_TYPE));
    return { value: fieldwise ?? (await put(json, JSON_TYPE)), refs };
  } catch (error) {
    await discard(options.store, refs);
    throw error;
  }
}

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

/**
 * For a plain object over the threshold: its largest fields go to the store one
 * by one until the rest fits, so the small fields (a tenant, an id, a webhook
 * URL) stay readable in Redis without fetching the blob. Undefined when that is
 * not possible (not an object, or still too large: many mid-sized fields).
 */
async function offloadLargestFields(value: unknown, inlineMaxBytes: number, put: (json: string) => Promise<unknown>): Promise<Record<string, unknown> | undefined> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const bySize = Object.keys(out)
    .filter((key) => out[key] !== undefined)
    .map((key) => ({ key, bytes: jsonBytes(out[key]) }))
    .sort((a, b) => b.bytes - a.bytes);
  for (const { key } of bySize) {
    if (jsonBytes(out) <= inlineMaxBytes) break;
    out[key] = await put(JSON.stringify(out[key]));
  }
  return jsonBytes(out) <= inlineMaxBytes ? out : undefined;
}

/** Sync and cheap: lets callers skip the async path for the common payload with nothing to fetch. */
export function hasEnvelope(value: unknown): boolean {
  if (isBytesEnvelope(value) || isRefEnvelope(value)) return true;
  if (Array.isArray(value)) return value.some(hasEnvelope);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(hasEnvelope);
  return false;
}

/** The inverse of encodePayload: fetches blobs (local or remote) and revives Buffers; payloads without envelopes come back as they are. */
export async function decodePayload(value: unknown, store: BlobStore | undefined, signal?: AbortSignal): Promise<unknown> {
  return hasEnvelope(value) ? decodeNode(value, store, signal) : value;
}

async function decodeNode(value: unknown, store: BlobStore | undefined, signal?: AbortSignal): Promise<unknown> {
  if (!hasEnvelope(value)) return value;
  if (isBytesEnvelope(value)) return Buffer.from(value[BYTES_KEY], 'base64');
  if (isRefEnvelope(value)) {
    if (!store) return value;
    const ref = value[BLOB_KEY];
    const bytes = await store.read(ref, signal);
    if (ref.contentType !== JSON_TYPE) return bytes;
    return decodePayload(JSON.parse(bytes.toString('utf8')) as unknown, store, signal);
  }
  if (Array.isArray(value)) return Promise.all(value.map((child) => decodeNode(child, store, signal)));
  if (typeof value === 'object' && value !== null) {
    const entries = await Promise.all(Object.entries(value).map(async ([key, child]) => [key, await decodeNode(child, store, signal)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

/** The refs inside a stored payload (top level and nested), without fetching anything. */
export function refsIn(value: unknown): BlobRef[] {
  if (isRefEnvelope(value)) return [value[BLOB_KEY]];
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(refsIn);
  return [];
}

/** Best effort: a blob left behind here is removed by the sweepers later. */
export async function discard(store: BlobStore, refs: readonly BlobRef[]): Promise<void> {
  await Promise.all(refs.map((ref) => store.delete(ref.id).catch(() => false)));
}
