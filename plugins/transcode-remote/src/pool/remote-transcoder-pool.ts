/**
 * The orchestrator's remote transcoders (go-livepeer's RemoteTranscoderManager):
 * registration, selection, task dispatch over the registration stream, and
 * results arriving on /transcodeResults. Failure handling follows go-livepeer:
 * a transcoder that cannot be sent a task is dropped and the task goes to
 * another; one that times out is dropped and the segment fails (the gateway
 * has moved on by then). Unlike go-livepeer, a transcoder whose stream closes
 * mid-task fails its tasks at once (and they are retried) instead of leaving
 * them to time out, and a cancelled task stops waiting at once.
 */
import { errors } from '@lpx/sdk';
import { bitstringOf, DEFAULT_CAPABILITY_IDS, type JobCapabilities, type TranscoderCapabilities } from '../wire/capabilities.js';
import type { NotifySegment, RegisterRequest } from '../wire/register-messages.js';
import { MIN_TASK_TIMEOUT_MS, TASK_TIMEOUT_DURATION_FACTOR, TRANSCODER_TEXT } from '../wire/wire-texts.js';
import { TaskTable, type TaskOutcome, type TaskResult } from './task-table.js';
import type { TranscoderEntry, TranscoderLink } from './transcoder-entry.js';
import { TranscoderSelection } from './transcoder-selection.js';

export interface PoolLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface PoolStats {
  readonly transcoders: number;
  readonly capacity: number;
  readonly load: number;
  readonly pendingTasks: number;
}

export interface RemoteTranscoderPoolOptions {
  /** Constant-time check of the secret a transcoder presents (orchestrator.secret); false refuses. */
  readonly checkSecret: (given: string) => boolean;
  /** Called whenever transcoders come or go or session load changes. */
  readonly onChange?: (stats: PoolStats) => void;
  /** Per-task timeout from the segment duration; default max(8 s, 4 × duration). */
  readonly taskTimeoutMs?: (durationMs: number) => number;
  readonly logger?: PoolLogger;
}

export interface TranscodeJob {
  readonly sessionId: string;
  /** The job's capabilities; undefined accepts any transcoder. */
  readonly capabilities?: JobCapabilities;
  readonly durationMs: number;
  /** Builds the task message once its id is known (a retry gets a new id). */
  readonly notify: (taskId: bigint) => NotifySegment;
  /** Aborting stops waiting: the task fails with LPX_ERR_TRANSCODE_CANCELLED and its result, if it comes, is dropped. */
  readonly signal?: AbortSignal;
}

/** Registrations beyond this are still correct, only capped: capacities are session counts. */
const MAX_CAPACITY = 1_000_000;

export function defaultTaskTimeoutMs(durationMs: number): number {
  return Math.max(MIN_TASK_TIMEOUT_MS, TASK_TIMEOUT_DURATION_FACTOR * durationMs);
}

/** go-livepeer's DefaultCapabilities, for legacy transcoders that send none. */
export function defaultTranscoderCapabilities(): TranscoderCapabilities {
  return { bitstring: bitstringOf(DEFAULT_CAPABILITY_IDS), version: '' };
}

function cancelled(): Error {
  return errors.transcode.CANCELLED.create('the transcode task was cancelled');
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

  checkSecret(given: string): boolean {
    return this.#options.checkSecret(given);
  }

  /** Live transcoders, for the backend status. */
  get entries(): readonly TranscoderEntry[] {
    return this.#selection.entries;
  }

  /** Adds a transcoder; throws SECRET_INVALID / CAPACITY_INVALID (messages are go-livepeer's texts). */
  register(request: RegisterRequest, link: TranscoderLink): void {
    if (this.#closed) throw errors.transcoder.POOL_CLOSED.create('the remote transcoder pool is closed');
    if (!this.checkSecret(request.secret)) throw errors.transcoder.SECRET_INVALID.create(TRANSCODER_TEXT.secretInvalid);
    if (request.capacity <= 0n) throw errors.transcoder.CAPACITY_INVALID.create(TRANSCODER_TEXT.zeroCapacity, { details: { capacity: request.capacity.toString() } });
    const capacity = request.capacity > BigInt(MAX_CAPACITY) ? MAX_CAPACITY : Number(request.capacity);
    const entry: TranscoderEntry = { id: this.#nextId++, link, capacity, capabilities: request.capabilities ?? defaultTranscoderCapabilities(), load: 0, live: true };
    this.#byLink.set(link, entry);
    this.#selection.add(entry);
    this.#options.logger?.info({ peer: link.peer, capacity }, 'remote transcoder registered');
    this.#changed();
  }

  /** The transcoder's stream closed (it cancelled or disconnected): forget it and retry its tasks elsewhere. */
  unregister(link: TranscoderLink): void {
    const entry = this.#byLink.get(link);
    if (entry === undefined) return;
    this.#byLink.delete(link);
    const wasLive = entry.live;
    this.#selection.remove(entry);
    this.#tasks.failOwnedBy(entry, () => errors.transcoder.DISCONNECTED.create('remote transcoder disconnected', { details: { peer: link.peer } }));
    if (wasLive) {
      this.#options.logger?.info({ peer: link.peer }, 'remote transcoder unregistered');
      this.#changed();
    }
  }

  /** Runs one segment on a remote transcoder, retrying on another after a send failure or a disconnect. */
  async transcode(job: TranscodeJob): Promise<TaskResult> {
    for (;;) {
      if (this.#closed) throw errors.transcoder.POOL_CLOSED.create('the remote transcoder pool is closed');
      if (job.signal?.aborted === true) throw cancelled();
      const claimed = this.#selection.sessionOwner(job.sessionId)?.live === true;
      const entry = this.#selection.select(job.sessionId, job.capabilities);
      if (!claimed) this.#changed();
      const outcome = await this.#dispatch(entry, job);
      if ('result' in outcome) return outcome.result;
      // Any failure ends the session's claim; a retry picks a transcoder afresh.
      if (this.#selection.sessionOwner(job.sessionId) === entry && this.#selection.release(job.sessionId) !== undefined) this.#changed();
      const error = outcome.error;
      if (errors.transcoder.TIMEOUT.is(error)) {
        this.#drop(entry, 'task timed out');
        throw error;
      }
      if (!errors.transcoder.DISCONNECTED.is(error)) throw error;
      this.#drop(entry, error.message);
    }
  }

  async #dispatch(entry: TranscoderEntry, job: TranscodeJob): Promise<TaskOutcome> {
    const { taskId, outcome } = this.#tasks.open(entry, (this.#options.taskTimeoutMs ?? defaultTaskTimeoutMs)(job.durationMs));
    const onAbort = (): void => void this.#tasks.deliver(taskId, { error: cancelled() });
    job.signal?.addEventListener('abort', onAbort, { once: true });
    let sent = false;
    try {
      sent = entry.live && entry.link.send(job.notify(taskId));
    } catch (error) {
      this.#options.logger?.warn({ err: error, peer: entry.link.peer }, 'could not send a task to a remote transcoder');
    }
    if (!sent) this.#tasks.deliver(taskId, { error: errors.transcoder.DISCONNECTED.create('could not send the task to the remote transcoder', { details: { peer: entry.link.peer } }) });
    try {
      return await outcome;
    } finally {
      job.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Ends a dropped transcoder's stream; it reconnects on its own, as go-livepeer transcoders do. */
  #drop(entry: TranscoderEntry, reason: string): void {
    if (!entry.live) return;
    this.#options.logger?.warn({ peer: entry.link.peer, reason }, 'dropping remote transcoder');
    this.#selection.remove(entry);
    this.#changed();
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
   * The session ended: tell its transcoder to tear it down (empty url, session
   * id in segData) and release the load it held.
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
    this.#changed();
  }

  stats(): PoolStats {
    return { ...this.#selection.totals(), pendingTasks: this.#tasks.size };
  }

  /** Ends every registration stream and fails waiting tasks. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#tasks.failAll(() => errors.transcoder.POOL_CLOSED.create('the remote transcoder pool is closed'));
    for (const entry of [...this.#selection.entries]) this.#drop(entry, 'pool closed');
  }

  #changed(): void {
    this.#options.onChange?.(this.stats());
  }
}
