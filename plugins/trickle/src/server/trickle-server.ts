/**
 * The channels of one node: created in-process (autocreate is off, as on a
 * go-livepeer orchestrator), removed by name, by the HTTP `DELETE`, or by the
 * idle sweep. Removing a channel closes it first, which ends every waiting
 * GET and preconnected POST with `Lp-Trickle-Closed`.
 */
import { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_SWEEP_INTERVAL_MS } from '@lpx/sdk/trickle-kit';
import { Channel } from './channel.js';

export interface TrickleServerOptions {
  /** A channel with no write for this long is removed (default 5 min). */
  readonly idleTimeoutMs?: number;
  /** How often the sweep looks (default 1 min). */
  readonly sweepIntervalMs?: number;
  readonly now?: () => number;
}

/** What the server counts, for metrics (callers wire these to gauges/counters). */
export interface TrickleStats {
  onChannels?(count: number): void;
  onBytesIn?(bytes: number): void;
  onBytesOut?(bytes: number): void;
  onSubscribers?(delta: number): void;
}

export class TrickleServer {
  readonly #channels = new Map<string, Channel>();
  readonly #removedListeners = new Set<(names: readonly string[]) => void>();
  readonly #now: () => number;
  readonly idleTimeoutMs: number;
  readonly sweepIntervalMs: number;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(
    options: TrickleServerOptions = {},
    readonly stats: TrickleStats = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.sweepIntervalMs = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  }

  now(): number {
    return this.#now();
  }

  /** Creates the channel, or returns the existing one (its mime type stays). */
  create(name: string, mimeType: string, keepIdle: boolean): Channel {
    const existing = this.#channels.get(name);
    if (existing !== undefined) return existing;
    const channel = new Channel(name, mimeType, keepIdle, this.#now());
    this.#channels.set(name, channel);
    this.stats.onChannels?.(this.#channels.size);
    return channel;
  }

  get(name: string): Channel | undefined {
    return this.#channels.get(name);
  }

  /** Closes and forgets the channel; false when there was none. */
  remove(name: string): boolean {
    const channel = this.#channels.get(name);
    if (channel === undefined) return false;
    channel.close();
    this.#channels.delete(name);
    this.stats.onChannels?.(this.#channels.size);
    return true;
  }

  /** `DELETE {channel}` from a client (a publisher closing its stream): removed like by the sweep, and listeners hear of it. */
  removeFromHttp(name: string): boolean {
    if (!this.remove(name)) return false;
    for (const listener of this.#removedListeners) listener([name]);
    return true;
  }

  /** Removes the channels idle for longer than the timeout (names starting with `_` and keepIdle ones are exempt). */
  sweep(): string[] {
    const now = this.#now();
    const removed: string[] = [];
    for (const channel of [...this.#channels.values()]) {
      if (channel.keepIdle || channel.name.startsWith('_')) continue;
      if (now - channel.writeTime > this.idleTimeoutMs && this.remove(channel.name)) removed.push(channel.name);
    }
    if (removed.length > 0) for (const listener of this.#removedListeners) listener(removed);
    return removed;
  }

  onRemoved(listener: (names: readonly string[]) => void): () => void {
    this.#removedListeners.add(listener);
    return () => void this.#removedListeners.delete(listener);
  }

  start(): void {
    if (this.#sweeper !== undefined) return;
    this.#sweeper = setInterval(() => this.sweep(), this.sweepIntervalMs);
    this.#sweeper.unref();
  }

  /** Stops the sweep and closes every channel (node shutdown: waiting clients get end of stream). */
  stop(): void {
    if (this.#sweeper !== undefined) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    for (const name of [...this.#channels.keys()]) this.remove(name);
  }
}
