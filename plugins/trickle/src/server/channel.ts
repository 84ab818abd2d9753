/**
 * A channel's state as go-livepeer keeps it: a ring of five segments (index
 * i in slot i % 5, a newer index overwriting an older one), the next write
 * index, the time of the last write (for the idle sweep) and a closed flag.
 */
import { MAX_SEGMENTS_PER_CHANNEL, SEQ_CURRENT, SEQ_NEXT } from '@lpx/sdk/trickle-kit';
import { Segment } from './segment.js';

export interface ReadTarget {
  /** The segment to serve, when it is in the window (or was precreated for this read). */
  readonly segment: Segment | undefined;
  /** The seq asked for, -1/-2 resolved. */
  readonly seq: number;
  /** The channel's next write index when the read started. */
  readonly latest: number;
  readonly closed: boolean;
}

function slotOf(seq: number): number {
  return seq % MAX_SEGMENTS_PER_CHANNEL;
}

export class Channel {
  readonly #ring: (Segment | undefined)[] = new Array<Segment | undefined>(MAX_SEGMENTS_PER_CHANNEL);
  #nextWrite = 0;
  #writeTime: number;
  #closed = false;

  constructor(
    readonly name: string,
    readonly mimeType: string,
    readonly keepIdle: boolean,
    now: number,
  ) {
    this.#writeTime = now;
  }

  get nextWrite(): number {
    return this.#nextWrite;
  }

  get writeTime(): number {
    return this.#writeTime;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** A publisher started `seq` (first byte, or an empty segment ended): it is the write head now. */
  wrote(seq: number, now: number): void {
    this.#nextWrite = seq + 1;
    this.#writeTime = now;
  }

  /**
   * The segment a publisher writes `seq` (-1: the next index) into: the one in
   * its slot when it is that index and still untouched (a subscriber's
   * precreated placeholder), otherwise a new one replacing whatever the slot
   * held (an older index, or an earlier attempt at the same index).
   */
  forWrite(seq: number): Segment {
    const index = seq === SEQ_NEXT ? this.#nextWrite : seq;
    const slot = slotOf(index);
    const held = this.#ring[slot];
    if (held !== undefined && held.seq === index && held.fresh) return held;
    held?.close();
    const segment = new Segment(index);
    this.#ring[slot] = segment;
    return segment;
  }

  /** `Lp-Trickle-Reset`: a restarted publisher; every earlier segment is closed so no reader hangs on it. */
  closeBefore(seq: number): void {
    for (const segment of this.#ring) if (segment !== undefined && segment.seq < seq) segment.close();
  }

  /**
   * What a GET for `seq` reads. -1 is the next write, -2 the current one. A
   * read of the write head (or of 1 before anything was written, a race
   * go-livepeer allows for) precreates the segment and waits on it.
   */
  forRead(seq: number): ReadTarget {
    let index = seq;
    if (seq === SEQ_NEXT) index = this.#nextWrite;
    else if (seq === SEQ_CURRENT) index = Math.max(this.#nextWrite - 1, 0);
    const latest = this.#nextWrite;
    if (index < 0) return { segment: undefined, seq: index, latest, closed: this.#closed };
    const slot = slotOf(index);
    let segment = this.#ring[slot];
    const ahead = index === this.#nextWrite || (this.#nextWrite === 0 && index === 1);
    if ((segment === undefined || segment.seq !== index) && ahead && !this.#closed) {
      segment?.close();
      segment = new Segment(index);
      this.#ring[slot] = segment;
    }
    return { segment: segment?.seq === index ? segment : undefined, seq: index, latest, closed: this.#closed };
  }

  /** The segment in the window with exactly this index. */
  at(seq: number): Segment | undefined {
    if (seq < 0) return undefined;
    const segment = this.#ring[slotOf(seq)];
    return segment?.seq === seq ? segment : undefined;
  }

  close(): void {
    this.#closed = true;
    for (const [slot, segment] of this.#ring.entries()) {
      segment?.close();
      this.#ring[slot] = undefined;
    }
  }
}
