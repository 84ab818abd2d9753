import { Readable } from 'node:stream';
import { buffer as collect } from 'node:stream/consumers';
import { errors, type LoggerService } from '@lpx/sdk';
import { checkBlobId, newBlobId } from './blob-id.js';
import { signBlobToken, verifyBlobToken } from './blob-token.js';
import type { BlobBackend, BlobMeta, BlobRef, OpenedBlob, PutOptions } from './blob-types.js';
import { fetchRemoteBlob, type RemoteFetch } from './remote-fetch.js';
import { SizeLimit } from './size-limit.js';

export interface BlobStoreOptions {
  readonly backend: BlobBackend;
  /** HMAC key of the blob tokens. */
  readonly secret: Buffer;
  readonly maxBlobBytes: number;
  readonly quotaBytes: number;
  readonly ttlSeconds: number;
  /** Base URL other machines reach this node's HTTP edge at; refs carry `<publicUrl>/v1/blobs/<id>`. */
  readonly publicUrl?: string;
  readonly fetch?: RemoteFetch;
  readonly now?: () => number;
  readonly logger?: LoggerService;
}

/** Temp files and metadata-less bytes younger than this may belong to a write in progress. */
const PARTIAL_GRACE_MS = 10 * 60_000;

/**
 * The kernel's blob store: bytes too large for Redis (job payloads and
 * results, media segments) behind small references. It enforces the size
 * limits, signs references so other machines can fetch them over HTTP, reads
 * local blobs directly and remote ones over HTTP, and sweeps expired blobs.
 */
export class BlobStore {
  readonly backend: BlobBackend;
  readonly #options: BlobStoreOptions;
  readonly #now: () => number;
  readonly #fetch: RemoteFetch;
  #publicUrl: string | undefined;
  #usedBytes = 0;
  #reservedBytes = 0;
  #sweeper: NodeJS.Timeout | undefined;

  private constructor(options: BlobStoreOptions) {
    this.backend = options.backend;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#fetch = options.fetch ?? fetchRemoteBlob;
    this.#publicUrl = options.publicUrl?.replace(/\/+$/, '');
  }

  /** Opens the store and counts what the backend already holds against the quota. */
  static async open(options: BlobStoreOptions): Promise<BlobStore> {
    const store = new BlobStore(options);
    await store.#recount();
    return store;
  }

  get usedBytes(): number {
    return this.#usedBytes;
  }

  get inFlightBytes(): number {
    return this.#reservedBytes;
  }

  get publicUrl(): string | undefined {
    return this.#publicUrl;
  }

  /** Set once the HTTP edge listens, unless configured (blobs.publicUrl wins). */
  setPublicUrl(url: string): void {
    this.#publicUrl ??= url.replace(/\/+$/, '');
  }

  /**
   * Stores `body` whole or not at all. Over maxBlobBytes → LPX_ERR_BLOBS_TOO_LARGE,
   * over the quota → LPX_ERR_BLOBS_QUOTA_EXCEEDED; a stream is cut off at the
   * byte that trips the limit and its partial file removed.
   */
  async put(body: Readable | Buffer | Uint8Array, options: PutOptions): Promise<BlobRef> {
    const { maxBlobBytes, quotaBytes } = this.#options;
    if (!(body instanceof Readable)) {
      this.#checkLimits(body.byteLength, body.byteLength);
    }
    const now = this.#now();
    const meta: Omit<BlobMeta, 'size'> = {
      id: newBlobId(),
      contentType: options.contentType,
      createdAt: now,
      expiresAt: now + (options.ttlSeconds ?? this.#options.ttlSeconds) * 1000,
      ...(options.owner !== undefined ? { owner: options.owner } : {}),
    };
    const limit = new SizeLimit((total, chunk) => {
      if (total > maxBlobBytes) throw errors.blobs.TOO_LARGE.create(`blob exceeds blobs.maxBlobBytes (${maxBlobBytes} bytes)`, { details: { maxBlobBytes } });
      if (this.#usedBytes + this.#reservedBytes + chunk > quotaBytes) {
        throw errors.blobs.QUOTA_EXCEEDED.create(`blob store full: ${this.#usedBytes} of blobs.quotaBytes ${quotaBytes} bytes used`, { details: { quotaBytes, usedBytes: this.#usedBytes } });
      }
      this.#reservedBytes += chunk;
    });
    const source = body instanceof Readable ? body : Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)]);
    try {
      // pipe() does not forward errors: a failing source must fail the write, not stall it.
      source.once('error', (error) => limit.destroy(error));
      const stored = await this.backend.write(meta, source.pipe(limit));
      this.#usedBytes += stored.size;
      return this.refFor(stored);
    } catch (error) {
      source.destroy();
      throw error;
    } finally {
      this.#reservedBytes -= limit.bytes;
    }
  }

  /** A reference to a stored blob, with a token valid until the blob expires. */
  refFor(meta: Pick<BlobMeta, 'id' | 'size' | 'contentType' | 'expiresAt'>): BlobRef {
    return {
      id: meta.id,
      size: meta.size,
      contentType: meta.contentType,
      ...(this.#publicUrl !== undefined ? { url: `${this.#publicUrl}/v1/blobs/${meta.id}` } : {}),
      token: signBlobToken(this.#options.secret, meta.id, meta.expiresAt),
    };
  }

  /** Local blobs are read from the backend (same disk or bucket); others are fetched from the node named in the ref. */
  async open(ref: BlobRef, signal?: AbortSignal): Promise<OpenedBlob> {
    const local = await this.backend.open(checkBlobId(ref.id));
    if (local) return local;
    if (ref.url === undefined) throw errors.blobs.NOT_FOUND.create(`no blob ${ref.id} in this store`);
    return this.#fetch(ref, signal);
  }

  /** The whole blob in memory, refusing more than maxBlobBytes from a remote holder. */
  async read(ref: BlobRef, signal?: AbortSignal): Promise<Buffer> {
    const { stream } = await this.open(ref, signal);
    const max = this.#options.maxBlobBytes;
    return collect(stream.pipe(new SizeLimit((total) => {
      if (total > max) throw errors.blobs.TOO_LARGE.create(`blob ${ref.id} is larger than blobs.maxBlobBytes (${max} bytes)`);
    })));
  }

  /** For the HTTP route: a local blob, if `token` grants it. */
  async openWithToken(id: string, token: string | undefined): Promise<OpenedBlob> {
    checkBlobId(id);
    verifyBlobToken(this.#options.secret, id, token, this.#now());
    const blob = await this.backend.open(id);
    if (!blob) throw errors.blobs.NOT_FOUND.create(`no blob ${id}`);
    return blob;
  }

  async delete(id: string): Promise<boolean> {
    const meta = await this.backend.stat(checkBlobId(id));
    const deleted = await this.backend.delete(id);
    if (deleted && meta) this.#usedBytes = Math.max(0, this.#usedBytes - meta.size);
    return deleted;
  }

  list(): AsyncIterable<BlobMeta> {
    return this.backend.list();
  }

  /**
   * Deletes expired blobs and leftovers of interrupted writes, then recounts
   * usage (other processes sharing the directory store and delete too).
   */
  async sweep(): Promise<{ expired: number; partial: number }> {
    const now = this.#now();
    let expired = 0;
    for await (const meta of this.backend.list()) {
      if (meta.expiresAt <= now && (await this.backend.delete(meta.id))) expired++;
    }
    const partial = await this.backend.cleanupPartial(PARTIAL_GRACE_MS);
    await this.#recount();
    return { expired, partial };
  }

  startSweeper(intervalMs: number): void {
    if (this.#sweeper) return;
    this.#sweeper = setInterval(() => {
      this.sweep().catch((error: unknown) => this.#options.logger?.warn({ err: error }, 'blob sweep failed'));
    }, intervalMs);
    this.#sweeper.unref();
  }

  close(): void {
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }

  #checkLimits(size: number, chunk: number): void {
    const { maxBlobBytes, quotaBytes } = this.#options;
    if (size > maxBlobBytes) throw errors.blobs.TOO_LARGE.create(`blob of ${size} bytes exceeds blobs.maxBlobBytes (${maxBlobBytes} bytes)`, { details: { size, maxBlobBytes } });
    if (this.#usedBytes + this.#reservedBytes + chunk > quotaBytes) {
      throw errors.blobs.QUOTA_EXCEEDED.create(`blob store full: ${this.#usedBytes} of blobs.quotaBytes ${quotaBytes} bytes used, ${size} more asked`, { details: { quotaBytes, usedBytes: this.#usedBytes, size } });
    }
  }

  /** Racing a put, this may count one blob twice until the next sweep; the quota is a bound, not a ledger. */
  async #recount(): Promise<void> {
    let used = 0;
    for await (const meta of this.backend.list()) used += meta.size;
    this.#usedBytes = used;
  }
}
