/**
 * One pushed stream: its ladder, the sliding window of segments its HLS
 * playlists list, and what it needs to answer a replayed seq without
 * transcoding (and paying) twice. A segment enters the window only with every
 * rendition present, and leaves it only from the front, so the playlists are
 * consistent whatever fails in between.
 */
import type { OutputFormat, TranscodeProfile } from '@lpx/sdk';
import type { Variant, WindowSegment } from './hls-playlists.js';

export interface StoredSegment extends WindowSegment {
  /** sha256 of the pushed bytes: a replay is recognised by seq and content. */
  readonly hash: string;
  /** Rendition name → bytes; the source under `source` when kept. */
  readonly renditions: ReadonlyMap<string, Buffer>;
  readonly bytes: number;
  /** Monotonic insertion stamp across all streams, for the global byte cap's oldest-first eviction. */
  readonly stamp: number;
}

export interface PushOutcome {
  readonly seq: number;
  /** The ladder's renditions in ladder order (never the source). */
  readonly renditions: readonly { readonly name: string; readonly data: Buffer }[];
  /** Answered from what the gateway already had: nothing was transcoded or paid for. */
  readonly replayed: boolean;
}

interface InFlight {
  readonly hash: string;
  /** The answer: renditions, as soon as they are back. */
  readonly outcome: Promise<PushOutcome>;
  /** Settles (never rejects) once the seq is published, refused as late, or failed. */
  readonly settled: Promise<unknown>;
}

/** How many past seqs a stream remembers (hash only) to refuse replays of segments already gone from the window. */
const REPLAY_MEMORY = 1024;

export const SOURCE_RENDITION = 'source';

export class LiveStream {
  /** The pushed manifest id. */
  readonly pushId: string;
  /** The id HLS is served under and the gateway session is keyed by (the auth webhook may rename the stream). */
  readonly streamId: string;
  readonly ladder: readonly TranscodeProfile[];
  readonly format: OutputFormat;
  readonly keepSource: boolean;
  /** `WIDTHxHEIGHT` from the first push's Content-Resolution, for the master playlist. */
  readonly sourceResolution: string | undefined;
  lastPushAt: number;
  #window: StoredSegment[] = [];
  #evicted = 0;
  #sourceBandwidth = 0;
  readonly #inFlight = new Map<number, InFlight>();
  readonly #seen = new Map<number, string>();

  constructor(init: { pushId: string; streamId: string; ladder: readonly TranscodeProfile[]; format: OutputFormat; keepSource: boolean; sourceResolution?: string; now: number }) {
    this.pushId = init.pushId;
    this.streamId = init.streamId;
    this.ladder = init.ladder;
    this.format = init.format;
    this.keepSource = init.keepSource;
    this.sourceResolution = init.sourceResolution;
    this.lastPushAt = init.now;
  }

  get busy(): boolean {
    return this.#inFlight.size > 0;
  }

  get window(): readonly StoredSegment[] {
    return this.#window;
  }

  /** EXT-X-MEDIA-SEQUENCE: segments that already left the window. */
  get mediaSequence(): number {
    return this.#evicted;
  }

  get bytes(): number {
    return this.#window.reduce((sum, segment) => sum + segment.bytes, 0);
  }

  inFlight(seq: number): InFlight | undefined {
    return this.#inFlight.get(seq);
  }

  /** The hash a seq was transcoded from, while remembered. */
  seenHash(seq: number): string | undefined {
    return this.#seen.get(seq);
  }

  stored(seq: number): StoredSegment | undefined {
    return this.#window.find((segment) => segment.seq === seq);
  }

  /** Lower seqs still in flight: a segment is published after them. */
  pendingBefore(seq: number): Promise<unknown>[] {
    return [...this.#inFlight].filter(([other]) => other < seq).map(([, entry]) => entry.settled);
  }

  track(seq: number, hash: string, outcome: Promise<PushOutcome>, settled: Promise<unknown>): void {
    this.#inFlight.set(seq, { hash, outcome, settled });
    // Until published the seq counts as in flight (replays share it); a failure leaves no trace, so a retry transcodes again.
    void settled.then(() => this.#inFlight.delete(seq));
  }

  /**
   * Adds a fully transcoded segment. A seq below the newest one in the window
   * is only remembered: inserting it mid-window would renumber what players
   * already fetched. Returns whether it was published.
   */
  commit(segment: StoredSegment, sourceBitsPerSecond: number): boolean {
    this.#remember(segment.seq, segment.hash);
    const newest = this.#window.at(-1);
    if (newest !== undefined && segment.seq <= newest.seq) return false;
    this.#window.push(segment);
    this.#sourceBandwidth = Math.max(this.#sourceBandwidth, sourceBitsPerSecond);
    return true;
  }

  /** Drops the oldest segment (window full, or the global byte cap); returns its size. */
  evictOldest(): StoredSegment | undefined {
    const oldest = this.#window.shift();
    if (oldest !== undefined) this.#evicted++;
    return oldest;
  }

  /** Every rendition the master lists, the source first when kept. */
  variants(): Variant[] {
    const ladder = this.ladder.map((p) => ({ name: p.name, bandwidth: p.bitrate, resolution: `${p.width}x${p.height}` }));
    if (!this.keepSource) return ladder;
    const source: Variant = { name: SOURCE_RENDITION, bandwidth: this.#sourceBandwidth, ...(this.sourceResolution ? { resolution: this.sourceResolution } : {}) };
    return [source, ...ladder];
  }

  renditionNames(): string[] {
    return this.variants().map((variant) => variant.name);
  }

  #remember(seq: number, hash: string): void {
    this.#seen.delete(seq);
    this.#seen.set(seq, hash);
    if (this.#seen.size > REPLAY_MEMORY) this.#seen.delete(this.#seen.keys().next().value as number);
  }
}
