/**
 * Stream stickiness, after go-livepeer's per-stream session manager: each
 * stream gets its own session with an orchestrator (its own GetOrchestrator,
 * so its own auth token — the orchestrator's transcode session and balance
 * key — and ticket params), keeps sending to it while it works, and moves on
 * when it fails. Sessions live in the gateway process that routes the
 * stream's segments; idle streams are forgotten (and their sessions ended)
 * after `idleMs`, as go-livepeer forgets idle balances.
 */
import type { SegmentSession } from './segment-payments.js';

export interface StreamSessionsOptions {
  /** Streams untouched this long are dropped; default 10 min (go-livepeer's balance TTL). */
  readonly idleMs?: number;
  /** At most this many streams; the least recently used go first. Default 10,000. */
  readonly maxStreams?: number;
  /** Called for each session a dropped stream held (end it at the orchestrator, free its PM session). */
  readonly onDrop: (session: SegmentSession) => void;
  readonly now?: () => number;
}

interface StreamState {
  /** The orchestrator the stream sticks to while it works. */
  current: string | undefined;
  readonly sessions: Map<string, SegmentSession>;
  lastUsed: number;
}

export class StreamSessions {
  readonly #streams = new Map<string, StreamState>();
  readonly #idleMs: number;
  readonly #maxStreams: number;
  readonly #onDrop: (session: SegmentSession) => void;
  readonly #now: () => number;
  readonly #opening = new Map<string, Promise<SegmentSession>>();

  constructor(options: StreamSessionsOptions) {
    this.#idleMs = options.idleMs ?? 10 * 60_000;
    this.#maxStreams = options.maxStreams ?? 10_000;
    this.#onDrop = options.onDrop;
    this.#now = options.now ?? Date.now;
  }

  /** The orchestrator this stream last succeeded with. */
  current(streamId: string): string | undefined {
    return this.#streams.get(streamId)?.current;
  }

  /** The stream's session with `uri`, opened with `open` the first time (concurrent callers share one opening). */
  async session(streamId: string, uri: string, open: () => Promise<SegmentSession>): Promise<SegmentSession> {
    const state = this.#touch(streamId);
    const existing = state.sessions.get(uri);
    if (existing !== undefined) return existing;
    const key = `${streamId}\u0000${uri}`;
    let opening = this.#opening.get(key);
    if (opening === undefined) {
      opening = open().finally(() => this.#opening.delete(key));
      this.#opening.set(key, opening);
    }
    const session = await opening;
    // The stream may have ended meanwhile; a session nobody holds would leak.
    const live = this.#streams.get(streamId);
    if (live === undefined) {
      this.#onDrop(session);
      return session;
    }
    if (!live.sessions.has(uri)) live.sessions.set(uri, session);
    return live.sessions.get(uri)!;
  }

  succeeded(streamId: string, uri: string): void {
    this.#touch(streamId).current = uri;
  }

  /** The session with `uri` failed: it is dropped (ended), and the stream no longer sticks to it. */
  failed(streamId: string, uri: string): void {
    const state = this.#streams.get(streamId);
    if (state === undefined) return;
    if (state.current === uri) state.current = undefined;
    const session = state.sessions.get(uri);
    state.sessions.delete(uri);
    if (session !== undefined) this.#onDrop(session);
  }

  /** The stream is over: its sessions, for the caller to end. */
  end(streamId: string): SegmentSession[] {
    const state = this.#streams.get(streamId);
    if (state === undefined) return [];
    this.#streams.delete(streamId);
    return [...state.sessions.values()];
  }

  /** Drops streams idle past `idleMs`; returns how many. */
  sweep(): number {
    const cutoff = this.#now() - this.#idleMs;
    let dropped = 0;
    for (const [streamId, state] of this.#streams) {
      if (state.lastUsed > cutoff) continue;
      this.#drop(streamId, state);
      dropped++;
    }
    return dropped;
  }

  get size(): number {
    return this.#streams.size;
  }

  clear(): void {
    for (const [streamId, state] of [...this.#streams]) this.#drop(streamId, state);
  }

  #drop(streamId: string, state: StreamState): void {
    this.#streams.delete(streamId);
    for (const session of state.sessions.values()) this.#onDrop(session);
  }

  #touch(streamId: string): StreamState {
    let state = this.#streams.get(streamId);
    if (state === undefined) {
      state = { current: undefined, sessions: new Map(), lastUsed: this.#now() };
    } else {
      this.#streams.delete(streamId);
    }
    state.lastUsed = this.#now();
    // Map order is use order: re-inserting keeps the least recently used first.
    this.#streams.set(streamId, state);
    for (const [oldest, old] of this.#streams) {
      if (this.#streams.size <= this.#maxStreams) break;
      if (oldest !== streamId) this.#drop(oldest, old);
    }
    return state;
  }
}
