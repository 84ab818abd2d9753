import type { Redis } from 'ioredis';
import type { LoggerService } from '@lpx/sdk';
import type { BlobStore } from '../blobs/index.js';
import { decodePayload, discard, encodePayload, hasEnvelope, refsIn, type Encoded } from './job-payloads.js';

export interface JobBlobsOptions {
  readonly store: BlobStore;
  /** Payloads and results whose JSON exceeds this go to the store (blobs.inlineMaxBytes). */
  readonly inlineMaxBytes: number;
  /** A blob younger than this is never reaped: its job may not be added yet (default 10 min). */
  readonly reapGraceMs?: number;
  /** How often blobs of removed jobs are looked for (default 60 s). */
  readonly reapIntervalMs?: number;
}

/**
 * The jobs kernel's side of the blob store: offloads large job data and
 * results (owned by the job's Redis key) and deletes them when the job is
 * gone. Plugins never see any of it: processors get the payload, callers the
 * result, as if it had been in Redis.
 */
export class JobBlobs {
  readonly store: BlobStore;
  readonly #inlineMaxBytes: number;
  readonly #owner: string;
  readonly #graceMs: number;
  readonly #intervalMs: number;
  readonly #connection: Redis;
  readonly #logger: LoggerService | undefined;
  #reaper: NodeJS.Timeout | undefined;

  constructor(options: JobBlobsOptions, prefix: string, connection: Redis, logger: LoggerService | undefined) {
    this.store = options.store;
    this.#inlineMaxBytes = options.inlineMaxBytes;
    // The `|` ends the prefix, so a `{lpx}` kernel never claims the blobs of a `{lpx}:route` one.
    this.#owner = `job:${prefix}|`;
    this.#graceMs = options.reapGraceMs ?? 10 * 60_000;
    this.#intervalMs = options.reapIntervalMs ?? 60_000;
    this.#connection = connection;
    this.#logger = logger;
  }

  /** `jobKey` is the job's BullMQ hash key, asked for only if something is stored. */
  encode(value: unknown, jobKey: () => string): Promise<Encoded> {
    return encodePayload(value, { store: this.store, inlineMaxBytes: this.#inlineMaxBytes }, () => this.#owner + jobKey());
  }

  decode(value: unknown, signal?: AbortSignal): Promise<unknown> {
    return decodePayload(value, this.store, signal);
  }

  needsDecoding(value: unknown): boolean {
    return hasEnvelope(value);
  }

  discard(encoded: Encoded): Promise<void> {
    return discard(this.store, encoded.refs);
  }

  /** A completed job's input is no longer needed; delete the blobs of it that this store holds (remote ones go with their job). */
  async releaseInput(data: unknown): Promise<void> {
    for (const ref of refsIn(data)) {
      if (await this.store.backend.stat(ref.id).catch(() => undefined)) await this.store.delete(ref.id).catch(() => false);
    }
  }

  /** Deletes this kernel's job blobs whose job no longer exists in Redis (removed by retention or by hand). */
  async reap(): Promise<number> {
    const cutoff = Date.now() - this.#graceMs;
    const candidates: { id: string; key: string }[] = [];
    for await (const meta of this.store.list()) {
      if (meta.owner?.startsWith(this.#owner) && meta.createdAt <= cutoff) candidates.push({ id: meta.id, key: meta.owner.slice(this.#owner.length) });
    }
    let reaped = 0;
    for (let i = 0; i < candidates.length; i += 500) {
      const batch = candidates.slice(i, i + 500);
      const pipeline = this.#connection.pipeline();
      for (const { key } of batch) pipeline.exists(key);
      const answers = (await pipeline.exec()) ?? [];
      for (const [index, { id }] of batch.entries()) {
        const [error, exists] = answers[index] ?? [new Error('no answer'), 1];
        if (!error && exists === 0 && (await this.store.delete(id))) reaped++;
      }
    }
    return reaped;
  }

  startReaper(): void {
    if (this.#reaper) return;
    this.#reaper = setInterval(() => {
      this.reap().catch((error: unknown) => this.#logger?.warn({ err: error }, 'reaping job blobs failed'));
    }, this.#intervalMs);
    this.#reaper.unref();
  }

  stopReaper(): void {
    if (this.#reaper) clearInterval(this.#reaper);
    this.#reaper = undefined;
  }
}
