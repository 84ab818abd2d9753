/**
 * In-memory home for AI job inputs (which a worker downloads from
 * `input_url`) and outputs (which the gateway downloads from the rewritten
 * result URLs). go-livepeer keeps these in its per-request memory storage for
 * ten minutes; we do the same with a byte budget on top, so a burst of large
 * results evicts the oldest files instead of exhausting memory. Each file sits
 * under a random token: the URL is the only credential a downloader has.
 */
import { randomBytes } from 'node:crypto';
import { aiWorkerErrors } from './remote-ai-errors.js';

export const FILE_ROUTE_PREFIX = '/ai-worker/files';
/** go-livepeer's aiWorkerResultsTimeout: how long a request's storage session lives. */
export const DEFAULT_FILE_TTL_MS = 10 * 60_000;
export const DEFAULT_FILE_STORE_BYTES = 512 * 1024 * 1024;
/** With names cut to MAX_FILE_NAME_LENGTH, this bounds the bookkeeping beside the byte budget (~10 MB). */
export const DEFAULT_FILE_STORE_ENTRIES = 10_000;
/** Worker-chosen names longer than this are cut (a filesystem's limit): they are keys held in memory. */
export const MAX_FILE_NAME_LENGTH = 255;

export interface FileStoreOptions {
  readonly ttlMs?: number;
  /** Bytes of stored bodies (default 512 MiB). */
  readonly maxBytes?: number;
  /** Files stored at most (default 10,000). */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

export interface StoredFile {
  readonly contentType: string;
  readonly body: Uint8Array;
  /** Path under the front door, e.g. `/ai-worker/files/<token>/<name>`. */
  readonly path: string;
}

interface Entry extends StoredFile {
  readonly expiresAt: number;
}

export class FileStore {
  private readonly files = new Map<string, Entry>();
  private bytes = 0;
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: FileStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_FILE_TTL_MS;
    this.maxBytes = options.maxBytes ?? DEFAULT_FILE_STORE_BYTES;
    this.maxEntries = options.maxEntries ?? DEFAULT_FILE_STORE_ENTRIES;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.files.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  put(name: string, contentType: string, body: Uint8Array): StoredFile {
    if (body.byteLength > this.maxBytes) {
      throw aiWorkerErrors.RESULT_TOO_LARGE.create(`file ${JSON.stringify(name)} (${body.byteLength} bytes) exceeds the AI file store budget of ${this.maxBytes} bytes`);
    }
    this.purgeExpired();
    // Map iteration is insertion order, so the first entries are the oldest.
    for (const key of this.files.keys()) {
      if (this.bytes + body.byteLength <= this.maxBytes && this.files.size < this.maxEntries) break;
      this.remove(key);
    }
    // A slash in a worker-chosen name would split the token from the name in the URL.
    const safeName = name.replace(/[/\\]/g, '_').slice(-MAX_FILE_NAME_LENGTH) || 'file';
    const key = `${randomBytes(16).toString('hex')}/${safeName}`;
    const path = `${FILE_ROUTE_PREFIX}/${key.split('/').map(encodeURIComponent).join('/')}`;
    this.files.set(key, { contentType, body, path, expiresAt: this.now() + this.ttlMs });
    this.bytes += body.byteLength;
    return { contentType, body, path };
  }

  get(token: string, name: string): StoredFile | undefined {
    const key = `${token}/${name}`;
    const entry = this.files.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(key);
      return undefined;
    }
    return entry;
  }

  /** Forgets a file by the path put() returned (inputs go once their job is over). */
  delete(path: string): void {
    const key = path.slice(FILE_ROUTE_PREFIX.length + 1).split('/').map(decodeURIComponent).join('/');
    this.remove(key);
  }

  clear(): void {
    this.files.clear();
    this.bytes = 0;
  }

  private remove(key: string): void {
    const entry = this.files.get(key);
    if (entry === undefined) return;
    this.files.delete(key);
    this.bytes -= entry.body.byteLength;
  }

  private purgeExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.files) if (entry.expiresAt <= now) this.remove(key);
  }
}
