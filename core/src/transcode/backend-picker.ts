/**
 * Which backend runs a task, as go-livepeer's remote transcoder manager
 * chooses: a session sticks to its backend while it lives; a new session
 * takes the backend with the lowest load factor (running tasks / capacity)
 * that has room and can encode what the profiles ask for.
 */
import { errors, type TranscodeBackendStatus, type TranscodeProfile } from '@lpx/sdk';

/** go-livepeer's transcode loop ends after 70 s without a segment. */
export const SESSION_IDLE_MS = 70_000;

interface Stuck {
  backend: string;
  lastUsed: number;
}

export class BackendPicker {
  readonly #load = new Map<string, number>();
  readonly #sessions = new Map<string, Stuck>();
  readonly #now: () => number;
  readonly #onSessionEnd: (sessionId: string, backend: string) => void;

  constructor(onSessionEnd: (sessionId: string, backend: string) => void, now: () => number = Date.now) {
    this.#onSessionEnd = onSessionEnd;
    this.#now = now;
  }

  load(backend: string): number {
    return this.#load.get(backend) ?? 0;
  }

  /** Reserves one unit on the chosen backend; call release(name) when the task ends. */
  acquire(sessionId: string, profiles: readonly TranscodeProfile[], statuses: ReadonlyMap<string, TranscodeBackendStatus>): string {
    this.#expire();
    const fits = (name: string, status: TranscodeBackendStatus) =>
      status.available && profiles.every((p) => status.encode.includes(p.codec) && (status.formats.length === 0 || status.formats.includes(p.format))) && this.load(name) < status.capacity;
    const stuck = this.#sessions.get(sessionId);
    const current = stuck === undefined ? undefined : statuses.get(stuck.backend);
    let chosen: string | undefined = stuck !== undefined && current !== undefined && fits(stuck.backend, current) ? stuck.backend : undefined;
    if (chosen === undefined) {
      let best = Infinity;
      for (const [name, status] of statuses) {
        if (!fits(name, status)) continue;
        const factor = this.load(name) / status.capacity;
        if (factor < best) [best, chosen] = [factor, name];
      }
    }
    if (chosen === undefined) throw refusal(profiles, statuses);
    if (stuck !== undefined && stuck.backend !== chosen) this.#onSessionEnd(sessionId, stuck.backend);
    this.#sessions.set(sessionId, { backend: chosen, lastUsed: this.#now() });
    this.#load.set(chosen, this.load(chosen) + 1);
    return chosen;
  }

  release(backend: string): void {
    this.#load.set(backend, Math.max(0, this.load(backend) - 1));
  }

  /** The gateway ended the session: forget its backend and tell it. */
  endSession(sessionId: string): void {
    const stuck = this.#sessions.get(sessionId);
    if (stuck === undefined) return;
    this.#sessions.delete(sessionId);
    this.#onSessionEnd(sessionId, stuck.backend);
  }

  get sessions(): number {
    this.#expire();
    return this.#sessions.size;
  }

  #expire(): void {
    const cutoff = this.#now() - SESSION_IDLE_MS;
    for (const [id, stuck] of this.#sessions) if (stuck.lastUsed < cutoff) this.endSession(id);
  }
}

function refusal(profiles: readonly TranscodeProfile[], statuses: ReadonlyMap<string, TranscodeBackendStatus>): Error {
  const available = [...statuses].filter(([, s]) => s.available);
  if (available.length === 0) {
    const reasons = Object.fromEntries([...statuses].map(([name, s]) => [name, s.reason ?? 'unavailable']));
    return errors.transcode.BACKEND_UNAVAILABLE.create(`no transcode backend is available on this worker: ${JSON.stringify(reasons)}`, { details: { backends: reasons } });
  }
  const capable = available.filter(([, s]) => profiles.every((p) => s.encode.includes(p.codec) && (s.formats.length === 0 || s.formats.includes(p.format))));
  if (capable.length === 0) {
    const asked = [...new Set(profiles.map((p) => `${p.codec}/${p.format}`))];
    return errors.transcode.PROFILE_INVALID.create(`no available backend encodes ${asked.join(', ')}`, { details: { asked } });
  }
  return errors.transcode.NO_CAPACITY.create('every available transcode backend is at its session capacity', { details: { backends: capable.map(([name, s]) => ({ name, capacity: s.capacity })) } });
}
