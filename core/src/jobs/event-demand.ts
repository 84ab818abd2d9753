/**
 * Which waiters of one capability need the queue's events reader (ADR 0065).
 *
 * A waiter whose job a worker in this process runs gets the outcome from that
 * worker (ADR 0061, local-results.ts), so it needs no blocking XREAD on the
 * queue's events stream. Only a job that may run elsewhere needs the reader:
 * one submitted where no worker of this process takes jobs, one that has not
 * started here within `localStartMs` (a busy or absent local worker, or an
 * id that names a job already running somewhere), and one whose attempt here
 * failed and will be retried (the next attempt may run anywhere). Such a
 * waiter holds the reader until it is settled; once the reader runs, one
 * read of the job's state catches up on what happened before it started.
 */
export interface EventReader {
  /** Runs the reader (from the stream's current tail) until the returned release is called. */
  hold(): Promise<() => void>;
}

/**
 * What a read of a job's state says: still queued (a worker here may take it), taken by a worker here
 * (fetched, not yet started), finished (its waiters are settled), or taken elsewhere.
 */
export type Probe = 'queued' | 'here' | 'settled' | 'elsewhere';

/** A queued job's state is read again after at most this many times `localStartMs`. */
const MAX_PROBE_FACTOR = 8;

interface Tracked {
  waits: number;
  started: boolean;
  timer: NodeJS.Timeout | undefined;
  /** The reader hold, once this job escalated; undefined while it still may be answered here. */
  escalated: Promise<void> | undefined;
  release: (() => void) | undefined;
  gone: boolean;
}

export interface EventDemandDeps {
  readonly reader: EventReader;
  /** How long a job may take to start in a local worker before its waiter reads the events stream. */
  readonly localStartMs: number;
  /** After the reader started: settles the job's waiters if it already finished, and anything else missed. */
  catchUp(jobId: string): Promise<void>;
  /** Reads the job's state when it has not started here in time. */
  probe(jobId: string): Promise<Probe>;
  onError(jobId: string, error: unknown): void;
}

export class EventDemand {
  readonly #deps: EventDemandDeps;
  readonly #byJob = new Map<string, Tracked>();

  constructor(deps: EventDemandDeps) {
    this.#deps = deps;
  }

  /**
   * Registers one waiter before its job is added. With `local` false the
   * reader starts first (resolves once it reads), so no event of the job can
   * be missed; with `local` true nothing starts unless the job fails to start
   * here in time. Pair with `release` when the waiter settles.
   */
  async track(jobId: string, local: boolean): Promise<void> {
    let tracked = this.#byJob.get(jobId);
    if (tracked === undefined) {
      tracked = { waits: 0, started: false, timer: undefined, escalated: undefined, release: undefined, gone: false };
      this.#byJob.set(jobId, tracked);
    }
    tracked.waits++;
    if (!local) return this.#escalate(jobId, tracked, false);
    if (tracked.escalated === undefined && tracked.timer === undefined && !tracked.started) this.#probeLater(jobId, tracked, this.#deps.localStartMs);
  }

  /** A worker here started the job: its outcome will be handed over here. */
  startedHere(jobId: string): void {
    const tracked = this.#byJob.get(jobId);
    if (tracked === undefined) return;
    tracked.started = true;
    clearTimeout(tracked.timer);
    tracked.timer = undefined;
  }

  /** An attempt here failed and the job will be retried, here or in another process. */
  retrying(jobId: string): void {
    this.#escalateInBackground(jobId);
  }

  /** One waiter of the job settled (or gave up). */
  release(jobId: string): void {
    const tracked = this.#byJob.get(jobId);
    if (tracked === undefined || --tracked.waits > 0) return;
    this.#byJob.delete(jobId);
    tracked.gone = true;
    clearTimeout(tracked.timer);
    tracked.release?.();
  }

  #probeLater(jobId: string, tracked: Tracked, delayMs: number): void {
    tracked.timer = setTimeout(() => {
      tracked.timer = undefined;
      this.#deps.probe(jobId).then(
        (probe) => {
          if (tracked.gone || tracked.started || tracked.escalated !== undefined || probe === 'settled') return;
          if (probe === 'here') return this.startedHere(jobId);
          if (probe === 'elsewhere') return this.#escalateInBackground(jobId);
          this.#probeLater(jobId, tracked, Math.min(delayMs * 2, this.#deps.localStartMs * MAX_PROBE_FACTOR));
        },
        (error: unknown) => {
          this.#deps.onError(jobId, error);
          this.#escalateInBackground(jobId);
        },
      );
    }, delayMs);
  }

  #escalateInBackground(jobId: string): void {
    const tracked = this.#byJob.get(jobId);
    if (tracked === undefined) return;
    this.#escalate(jobId, tracked, true).catch((error: unknown) => this.#deps.onError(jobId, error));
  }

  #escalate(jobId: string, tracked: Tracked, catchUp: boolean): Promise<void> {
    clearTimeout(tracked.timer);
    tracked.timer = undefined;
    tracked.escalated ??= this.#deps.reader.hold().then(
      async (release) => {
        // The waiter may have settled while the reader started: hand the hold straight back.
        if (tracked.gone) return release();
        tracked.release = release;
        // Events before the reader's start are not read: the job's stored state says whether it already ended.
        if (catchUp) await this.#deps.catchUp(jobId);
      },
      (error: unknown) => {
        // A later retry may try again; until then the waiters' poll (ResultWaiters) is the safety net.
        tracked.escalated = undefined;
        throw error;
      },
    );
    return tracked.escalated;
  }
}
