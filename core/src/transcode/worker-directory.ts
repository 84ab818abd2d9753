/**
 * How transcode workers and the orchestrator find each other through the
 * node's Redis (no extra network port): each worker keeps a short-TTL
 * heartbeat key with its backends' statuses, indexed in a sorted set by
 * expiry, and the kernel's transcode channel carries "statuses changed" and
 * "session ended" notes. Keys live under the node's redis prefix.
 */
import type { Redis } from 'ioredis';
import type { TranscodeBackendStatus } from '@lpx/sdk';
import type { CapabilityRegistry } from '../capabilities/index.js';

export interface WorkerHeartbeat {
  readonly workerId: string;
  readonly node: string;
  /** Unix ms the heartbeat was written. */
  readonly at: number;
  readonly backends: Readonly<Record<string, TranscodeBackendStatus>>;
}

export type ChannelNote = { readonly type: 'status'; readonly workerId: string } | { readonly type: 'end-session'; readonly sessionId: string };

export class WorkerDirectory {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  get channel(): string {
    return `${this.#prefix}:transcode:events`;
  }

  #index(): string {
    return `${this.#prefix}:transcode:workers`;
  }

  #key(workerId: string): string {
    return `${this.#prefix}:transcode:worker:${workerId}`;
  }

  async beat(heartbeat: WorkerHeartbeat, ttlMs: number): Promise<void> {
    await this.#redis
      .multi()
      .set(this.#key(heartbeat.workerId), JSON.stringify(heartbeat), 'PX', ttlMs)
      .zadd(this.#index(), heartbeat.at + ttlMs, heartbeat.workerId)
      .exec();
  }

  /** A worker shutting down leaves at once instead of when its key expires. */
  async leave(workerId: string): Promise<void> {
    await this.#redis.multi().del(this.#key(workerId)).zrem(this.#index(), workerId).exec();
  }

  /** Heartbeats of workers whose key has not expired. */
  async live(now = Date.now()): Promise<WorkerHeartbeat[]> {
    await this.#redis.zremrangebyscore(this.#index(), '-inf', String(now));
    const ids = await this.#redis.zrange(this.#index(), '0', '-1');
    if (ids.length === 0) return [];
    const values = await this.#redis.mget(ids.map((id) => this.#key(id)));
    const out: WorkerHeartbeat[] = [];
    for (const value of values) {
      if (value === null) continue;
      try {
        out.push(JSON.parse(value) as WorkerHeartbeat);
      } catch {
        // a corrupt entry is skipped; it expires with its TTL
      }
    }
    return out;
  }

  async note(note: ChannelNote): Promise<void> {
    await this.#redis.publish(this.channel, JSON.stringify(note));
  }
}

/** Parses a channel message; undefined for anything else published there. */
export function parseNote(message: string): ChannelNote | undefined {
  try {
    const note = JSON.parse(message) as Partial<ChannelNote> & Record<string, unknown>;
    if (note.type === 'status' && typeof note.workerId === 'string') return { type: 'status', workerId: note.workerId };
    if (note.type === 'end-session' && typeof note.sessionId === 'string') return { type: 'end-session', sessionId: note.sessionId };
  } catch {
    // not ours
  }
  return undefined;
}

export interface TranscodeOffer {
  /** Summed capacity of every live worker's available backends. */
  readonly capacity: number;
  readonly decode: readonly string[];
  readonly encode: readonly string[];
  readonly formats: readonly string[];
  readonly workers: number;
}

/** What the live workers offer together: capacities add up, codecs and formats unite. */
export function combineOffers(heartbeats: readonly WorkerHeartbeat[]): TranscodeOffer {
  let capacity = 0;
  const decode = new Set<string>();
  const encode = new Set<string>();
  const formats = new Set<string>();
  let workers = 0;
  for (const heartbeat of heartbeats) {
    let offers = false;
    for (const status of Object.values(heartbeat.backends ?? {})) {
      if (!status?.available || !(status.capacity > 0)) continue;
      offers = true;
      capacity += status.capacity;
      status.decode.forEach((c) => decode.add(c));
      status.encode.forEach((c) => encode.add(c));
      status.formats.forEach((f) => formats.add(f));
    }
    if (offers) workers++;
  }
  return { capacity, decode: [...decode].sort(), encode: [...encode].sort(), formats: [...formats].sort(), workers };
}

/** The offer as the orchestrator advertises it: video/transcode's capacity and the codecs its go-livepeer bits derive from. */
export function advertiseOffer(registry: CapabilityRegistry, capabilityId: string, offer: TranscodeOffer): void {
  registry.setConstraint(capabilityId, 'transcode', { decode: [...offer.decode], encode: [...offer.encode], formats: [...offer.formats] });
  if (registry.get(capabilityId)?.capacity !== offer.capacity) registry.setCapacity(capabilityId, offer.capacity);
}
