/**
 * go-livepeer's remote transcoder selection: a session sticks to the
 * transcoder that took its first segment; a new session goes to the least
 * loaded (load / capacity) transcoder whose capabilities cover the job, and
 * takes one unit of its load until the session ends or a task fails.
 */
import { errors } from '@lpx/sdk';
import { isBitstringSubset, isVersionCompatible, type JobCapabilities } from '../wire/capabilities.js';
import { lessLoaded, type TranscoderEntry } from './transcoder-entry.js';
import { TRANSCODER_TEXT } from '../wire/wire-texts.js';

function covers(entry: TranscoderEntry, job: JobCapabilities | undefined): boolean {
  // Like go-livepeer: only the bitstring and the minimum version matter here, not per-model constraints.
  if (job === undefined) return true;
  return isBitstringSubset(job.bitstring, entry.capabilities.bitstring) && isVersionCompatible(job.minVersion, entry.capabilities.version);
}

export class TranscoderSelection {
  readonly #entries: TranscoderEntry[] = [];
  readonly #sessions = new Map<string, TranscoderEntry>();

  get entries(): readonly TranscoderEntry[] {
    return this.#entries;
  }

  add(entry: TranscoderEntry): void {
    this.#entries.push(entry);
  }

  /** Forgets a transcoder and every session stuck to it (their next segment picks again). */
  remove(entry: TranscoderEntry): void {
    entry.live = false;
    const index = this.#entries.indexOf(entry);
    if (index >= 0) this.#entries.splice(index, 1);
    for (const [sessionId, owner] of this.#sessions) if (owner === entry) this.#sessions.delete(sessionId);
  }

  sessionOwner(sessionId: string): TranscoderEntry | undefined {
    return this.#sessions.get(sessionId);
  }

  /** The transcoder for the session's next segment; throws NONE_AVAILABLE or NONE_COMPATIBLE with go-livepeer's text. */
  select(sessionId: string, job: JobCapabilities | undefined): TranscoderEntry {
    const sticky = this.#sessions.get(sessionId);
    if (sticky !== undefined && sticky.live) return sticky;
    if (sticky !== undefined) this.#sessions.delete(sessionId);
    if (this.#entries.length === 0) throw errors.transcoder.NONE_AVAILABLE.create(TRANSCODER_TEXT.noneAvailable);
    let best: TranscoderEntry | undefined;
    for (const entry of this.#entries) {
      if (entry.live && covers(entry, job) && (best === undefined || lessLoaded(entry, best))) best = entry;
    }
    if (best === undefined) throw errors.transcoder.NONE_COMPATIBLE.create(TRANSCODER_TEXT.noneCompatible);
    // The least loaded one is full, so all of them are.
    if (best.load >= best.capacity) throw errors.transcoder.NONE_AVAILABLE.create(TRANSCODER_TEXT.noneAvailable);
    best.load++;
    this.#sessions.set(sessionId, best);
    return best;
  }

  /** Ends the session's claim on its transcoder (go-livepeer's completeStreamSession). */
  release(sessionId: string): TranscoderEntry | undefined {
    const owner = this.#sessions.get(sessionId);
    if (owner === undefined) return undefined;
    owner.load = Math.max(0, owner.load - 1);
    this.#sessions.delete(sessionId);
    return owner;
  }

  totals(): { capacity: number; load: number; transcoders: number } {
    let capacity = 0;
    let load = 0;
    for (const entry of this.#entries) {
      capacity += entry.capacity;
      load += entry.load;
    }
    return { capacity, load, transcoders: this.#entries.length };
  }
}
