/**
 * In-memory home for AI job inputs (an image or audio file), which the worker
 * downloads from `input_url`. go-livepeer keeps these in its per-request
 * memory storage for ten minutes; we also bound bytes and entries, so a burst
 * of large inputs evicts the oldest instead of exhausting memory, and drop an
 * input as soon as its job is over. Each file sits under a random token: the
 * URL is the only credential a worker has.
 */
import { randomBytes } from 'node:crypto';
import { errors } from '@lpx/sdk';
import { INPUT_ROUTE_PREFIX } from '../wire/wire-texts.js';

/** go-livepeer's aiWorkerResultsTimeout: how long a request's storage session lives. */
export const DEFAULT_INPUT_TTL_MS = 10 * 60_000;
export const DEFAULT_INPUT_STORE_BYTES = 512 * 1024 * 1024;
export const DEFAULT_INPUT_STORE_ENTRIES = 10_000;

export interface InputStoreOptions {
  readonly ttlMs?: number;
  readonly maxBytes?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
}

export interface StoredInput {
  readonly contentType: string;
  readonly body: Uint8Array;
  /** Path under the front door: `/ai-worker/files/<token>/input.tempfile`. */
  readonly path: string;
}

interface Entry extends StoredInput {
  readonly expiresAt: number;
}

export class InputStore {
  private readonly files = new Map<string, Entry>();
  private bytes = 0;
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: InputStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_INPUT_TTL_MS;
    this.maxBytes = options.maxBytes ?? DEFAULT_INPUT_STORE_BYTES;
    this.maxEntries = options.maxEntries ?? DEFAULT_INPUT_STORE_ENTRIES;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.files.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  /** Throws errors.ai.LIMIT_EXCEEDED for an input larger than the whole store. */
  put(contentType: string, body: Uint8Array): StoredInput {
    if (body.byteLength > this.maxBytes) {
      throw errors.ai.LIMIT_EXCEEDED.create(`input (${body.byteLength} bytes) exceeds the remote worker input store of ${this.maxBytes} bytes`, {
        details: { limit: 'inputStoreMaxBytes', value: body.byteLength, max: this.maxBytes },
      });
    }
    this.purgeExpired();
    // Map iteration is insertion order, so the first entries are the oldest.
    for (const key of this.files.keys()) {
      if (this.bytes + body.byteLength <= this.maxBytes && this.files.size < this.maxEntries) break;
      this.remove(key);
    }
    // go-livepeer names the input file `input.tempfile` in the request's storage session.
    const token = randomBytes(16).toString('hex');
    const path = `${INPUT_ROUTE_PREFIX}/${token}/input.tempfile`;
    this.files.set(token, { contentType, body, path, expiresAt: this.now() + this.ttlMs });
    this.bytes += body.byteLength;
    return { contentType, body, path };
  }

  get(token: string): StoredInput | undefined {
    const entry = this.files.get(token);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(token);
      return undefined;
    }
    return entry;
  }

  /** Forgets an input by the path put() returned. */
  delete(path: string): void {
    this.remove(path.slice(INPUT_ROUTE_PREFIX.length + 1).split('/', 1)[0]!);
  }

  clear(): void {
    this.files.clear();
    this.bytes = 0;
  }

  private remove(token: string): void {
    const entry = this.files.get(token);
    if (entry === undefined) return;
    this.files.delete(token);
    this.bytes -= entry.body.byteLength;
  }

  private purgeExpired(): void {
    const now = this.now();
    for (const [token, entry] of this.files) if (entry.expiresAt <= now) this.remove(token);
  }
}
