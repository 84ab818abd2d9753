/**
 * How AI workers and the orchestrator find each other through the node's
 * Redis, as transcode workers do (core/src/transcode/worker-directory.ts):
 * each worker process keeps a short-TTL key with its executors' offers,
 * indexed by expiry, and the AI channel carries "offers changed" and
 * "cancel this request" notes.
 */
import type { Redis } from 'ioredis';
import type { AIModelOffer } from '@lpx/sdk';
import type { OffersByWorker } from './model-offers.js';

export interface AIWorkerHeartbeat {
  readonly workerId: string;
  readonly node: string;
  /** Unix ms the heartbeat was written. */
  readonly at: number;
  /** Executor name → its offers. */
  readonly executors: Readonly<Record<string, readonly AIModelOffer[]>>;
}

export type AIChannelNote = { readonly type: 'status'; readonly workerId: string } | { readonly type: 'cancel'; readonly jobId: string };

export class AIWorkerDirectory {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  get channel(): string {
    return `${this.#prefix}:ai:events`;
  }

  #index(): string {
    return `${this.#prefix}:ai:workers`;
  }

  #key(workerId: string): string {
    return `${this.#prefix}:ai:worker:${workerId}`;
  }

  async beat(heartbeat: AIWorkerHeartbeat, ttlMs: number): Promise<void> {
    await this.#redis
      .multi()
      .set(this.#key(heartbeat.workerId), JSON.stringify(heartbeat), 'PX', ttlMs)
      .zadd(this.#index(), heartbeat.at + ttlMs, heartbeat.workerId)
      .exec();
  }

  async leave(workerId: string): Promise<void> {
    await this.#redis.multi().del(this.#key(workerId)).zrem(this.#index(), workerId).exec();
  }

  async live(now = Date.now()): Promise<AIWorkerHeartbeat[]> {
    await this.#redis.zremrangebyscore(this.#index(), '-inf', String(now));
    const ids = await this.#redis.zrange(this.#index(), '0', '-1');
    if (ids.length === 0) return [];
    const values = await this.#redis.mget(ids.map((id) => this.#key(id)));
    const out: AIWorkerHeartbeat[] = [];
    for (const value of values) {
      if (value === null) continue;
      try {
        const parsed = JSON.parse(value) as AIWorkerHeartbeat;
        if (typeof parsed.workerId === 'string' && parsed.executors !== null && typeof parsed.executors === 'object') out.push(parsed);
      } catch {
        // a corrupt entry is skipped; it expires with its TTL
      }
    }
    return out;
  }

  async note(note: AIChannelNote): Promise<void> {
    await this.#redis.publish(this.channel, JSON.stringify(note));
  }
}

export function byWorker(heartbeats: readonly AIWorkerHeartbeat[]): OffersByWorker {
  return new Map(heartbeats.map((h) => [h.workerId, h.executors]));
}

export function parseAINote(message: string): AIChannelNote | undefined {
  try {
    const note = JSON.parse(message) as Record<string, unknown>;
    if (note.type === 'status' && typeof note.workerId === 'string') return { type: 'status', workerId: note.workerId };
    if (note.type === 'cancel' && typeof note.jobId === 'string') return { type: 'cancel', jobId: note.jobId };
  } catch {
    // not ours
  }
  return undefined;
}
