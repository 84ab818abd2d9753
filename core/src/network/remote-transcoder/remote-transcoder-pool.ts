/**
 * The orchestrator's remote transcoders (go-livepeer's RemoteTranscoderManager):
 * registration, selection, task dispatch over the registration stream, and
 * results arriving on /transcodeResults. Failure handling follows go-livepeer:
 * a transcoder that cannot be sent a task is dropped and the task goes to
 * another; one that times out is dropped and the segment fails (the gateway
 * has moved on by then). Unlike go-livepeer, a transcoder whose stream closes
 * mid-task fails its tasks at once (and they are retried) instead of leaving
 * them to time out.
 */
import { secretMatches } from '../../http/secret-match.js';
import { bitstringOf, DEFAULT_CAPABILITY_IDS, emptyLivepeerCapabilities, type LivepeerCapabilities, type LivepeerCapabilitiesInput } from '../../capabilities/index.js';
import type { NotifySegment, RegisterRequest } from './register-messages.js';
import { TaskTable, type TaskOutcome, type TaskResult } from './task-table.js';
import type { TranscoderEntry, TranscoderLink } from './transcoder-entry.js';
import { transcoderErrors } from './transcoder-errors.js';
import { TranscoderSelection } from './transcoder-selection.js';
import { MIN_TASK_TIMEOUT_MS, TASK_TIMEOUT_DURATION_FACTOR, TRANSCODER_TEXT } from './wire-texts.js';

export interface PoolLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface RemoteTranscoderPoolOptions {
  /** The orchestrator secret (-orchSecret); read per registration so it can rotate. Empty refuses everyone. */
  readonly secret: string | (() => string);
  /** What a transcoder that advertises nothing is assumed to have (go-livepeer: the default capability set). */
  readonly defaultCapabilities?: LivepeerCapabilities;
  /** Called whenever registered capacity or session load changes, e.g. to track maxSessions: auto. */
  readonly onCapacityChange?: (totalCapacity: number, totalLoad: number) => void;
  /** Per-task timeout from the segment duration; default max(8 s, 4 × duration). */
  readonly taskTimeoutMs?: (durationMs: number) => number;
  readonly logger?: PoolLogger;
}

export interface TranscodeJob {
  readonly sessionId: string;
  /** The job's capabilities; undefined accepts any transcoder. */
  readonly capabilities?: LivepeerCapabilitiesInput;
  readonly durationMs: number;
  /** Builds the task message once its id is known (a retry gets a new id). */
  readonly notify: (taskId: bigint) => NotifySegment;
}

/** Registrations refused beyond this are still correct, only capped: capacities are session counts. */
const MAX_CAPACITY = 1_000_000;

export function defaultTaskTimeoutMs(durationMs: number): number {
  return Math.max(MIN_TASK_TIMEOUT_MS, TASK_TIMEOUT_DURATION_FACTOR * durationMs);
}

/** go-livepeer's DefaultCapabilities, for legacy transcoders that send none. */
export function defaultTranscoderCapabilities(version = ''): LivepeerCapabilities {
  const caps = emptyLivepeerCapabilities(version);
  caps.bitstring = bitstringOf(DEFAULT_CAPABILITY_IDS);
  return caps;
}

export class RemoteTranscoderPool {
  readonly #options: RemoteTranscoderPoolOptions;
  readonly #selection = new TranscoderSelection();
  readonly #tasks = new TaskTable();
  readonly #byLink = new Map<TranscoderLink, TranscoderEntry>();
  #nextId = 0;
  #closed = false;

  constructor(options: RemoteTranscoderPoolOptions) {
    this.#options = options;
  }

  /** Whether `given` is the orchestrator secret (also what /transcodeResults checks). */
  checkSecret(given: string): boolean {
    const secret = this.#options.secret;
    return secretMatches(given, typeof secret === 'function' ? secret() : secret);
  }

  /** Adds a transcoder; throws SECRET_INVALID / CAPACITY_INVALID (messages are go-livepeer's texts). */
  register(request: RegisterRequest, link: TranscoderLink): void {
    if (this.#closed) throw transcoderErrors.POOL_CLOSED.create('the remote transcoder pool is closed');
    if (!this.checkSecret(request.secret)) throw transcoderErrors.SECRET_INVALID.create(TRANSCODER_TEXT.secretInvalid);
    if (request.capacity <= 0n) throw transcoderErrors.CAPACITY_INVALID.create(TRANSCODER_TEXT.zeroCapacity, { details: { capacity: request.capacity.toString() } });
    const capacity = request.capacity > BigInt(MAX_CAPACITY) ? MAX_CAPACITY : Number(request.capacity);
    const entry: TranscoderEntry = {
      id: this.#nextId++,
      link,
      capacity,
      capabilities: request.capabilities ?? this.#options.defaultCapabilities ?? defaultTranscoderCapabilities(),
      load: 0,
      live: true,
    };
    this.#byLink.set(link, entry);
    this.#selection.add(entry);
    this.#options.logger?.info({ peer: link.peer, capacity }, 'remote transcoder registered');
    this.#capacityChanged();
  }

  /** The transcoder's stream closed (it cancelled or disconnected): forget it and retry its tasks elsewhere. */
  unregister(link: TranscoderLink): void {
    const entry = this.#byLink.get(link);
    if (entry === undefined) return;
    this.#byLink.delete(link);
    const wasLive = entry.live;
    this.#selection.remove(entry);
    this.#tasks.failOwnedBy(entry, () => transcoderErrors.DISCONNECTED.create('remote transcoder disconnected', { details: { peer: link.peer } }));
    if (wasLive) {
      this.#options.logger?.info({ peer: link.peer }, 'remote transcoder unregistered');
      this.#capacityChanged();
    }
  }

  /** Runs one segment on a remote transcoder, retrying on another after a send failure or a disconnect. */
  async transcode(job: TranscodeJob): Promise<TaskResult> {
    for (;;) {
      if (this.#closed) throw transcoderErrors.POOL_CLOSED.create('the remote transcoder pool is closed');
      const claimed = this.#selection.sessionOwner(job.sessionId)?.live === true;
      const entry = this.#selection.select(job.sessionId, job.capabilities);
      if (!claimed) this.#capacityChanged();
      const outcome = await this.#dispatch(entry, job);
      if ('result' in outcome) return outcome.result;
      // Any failure ends the session's claim; a retry picks a transcoder afresh.
      if (this.#selection.sessionOwner(job.sessionId) === entry && this.#selection.release(job.sessionId) !== undefined) this.#capacityChanged();
      const error = outcome.error;
      if (transcoderErrors.TIMEOUT.is(error)) {
        this.#drop(entry, 'task timed out');
        throw error;
      }
      if (!transcoderErrors.DISCONNECTED.is(error)) throw error;
      this.#drop(entry, error.message);
    }
  }

  async #dispatch(entry: TranscoderEntry, job: TranscodeJob): Promise<TaskOutcome> {
    const { taskId, outcome } = this.#tasks.open(entry, (this.#options.taskTimeoutMs ?? defaultTaskTimeoutMs)(job.durationMs));
    let sent = false;
    try {
      sent = entry.live && entry.link.send(job.notify(taskId));
    } catch (error) {
      this.#options.logger?.warn({ err: error, peer: entry.link.peer }, 'could not send a task to a remote transcoder');
    }
    if (!sent) this.#tasks.deliver(taskId, { error: transcoderErrors.DISCONNECTED.create('could not send the task to the remote transcoder', { details: { peer: entry.link.peer } }) });
    return outcome;
  }

  /** Ends a dropped transcoder's stream; it reconnects on its own, as go-livepeer transcoders do. */
  #drop(entry: TranscoderEntry, reason: string): void {
    if (!entry.live) return;
    this.#options.logger?.warn({ peer: entry.link.peer, reason }, 'dropping remote transcoder');
    this.#selection.remove(entry);
    this.#capacityChanged();
    try {
      entry.link.end();
    } catch {
      // Already gone; unregister() follows from its close.
    }
  }

  /** A result from /transcodeResults; false when no task with that id is waiting. */
  deliver(taskId: bigint, outcome: TaskOutcome): boolean {
    return this.#tasks.deliver(taskId, outcome);
  }

  /**
   * The orchestrator ended a session: tell its transcoder to tear the session
   * down (empty url, session id in segData) and release the load it held.
   */
  endSession(sessionId: string): void {
    const owner = this.#selection.sessionOwner(sessionId);
    if (owner === undefined) return;
    if (owner.live) {
      try {
        owner.link.send({ url: '', segData: { teardownSessionId: sessionId }, taskId: 0n, orchId: '', profiles: new Uint8Array(0) });
      } catch {
        // Best effort, like go-livepeer, which ignores this send's error.
      }
    }
    this.#selection.release(sessionId);
    this.#capacityChanged();
  }

  stats(): { transcoders: number; capacity: number; load: number; pendingTasks: number } {
    return { ...this.#selection.totals(), pendingTasks: this.#tasks.size };
  }

  /** Ends every registration stream and fails waiting tasks. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#tasks.failAll(() => transcoderErrors.POOL_CLOSED.create('the remote transcoder pool is closed'));
    for (const entry of [...this.#selection.entries]) this.#drop(entry, 'pool closed');
  }

  #capacityChanged(): void {
    const { capacity, load } = this.#selection.totals();
    this.#options.onCapacityChange?.(capacity, load);
  }
}
