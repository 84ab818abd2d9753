export interface JobContext<Input> {
  readonly id: string;
  readonly capabilityId: string;
  readonly data: Input;
  /** 1 on the first try. */
  readonly attempt: number;
  progress(value: number | Record<string, unknown>): Promise<void>;
  /** Aborted when the worker is closing; long work should stop and let the job be retried. */
  readonly signal: AbortSignal;
  /**
   * Opens this job's live stream to whoever submitted it (the orchestrator's
   * route relays it as it arrives, even from another process); once opened,
   * the job's return value only says how it ended. Absent where the kernel
   * offers no stream. `headers` travel with the opening (before any line),
   * for a submitter that answers HTTP (the gateway relays an orchestrator's
   * reply headers this way).
   */
  stream?(headers?: Readonly<Record<string, string>>): JobStream;
}

/** Text lines, in order, to the job's submitter. */
export interface JobStream {
  write(line: string): Promise<void>;
  /** The last line was written. */
  end(): Promise<void>;
}

export type JobProcessor<Input = unknown, Output = unknown> = (job: JobContext<Input>) => Promise<Output>;

export interface ProcessorOptions {
  /** Jobs this process runs at once for this capability (default 1). */
  concurrency?: number;
}

export interface SubmitOptions {
  /** Total tries including the first (default 3). */
  attempts?: number;
  backoff?: { type: 'fixed' | 'exponential'; delayMs: number };
  /** Idempotency: a second submit with the same id returns the existing job. */
  jobId?: string;
  /** 1 (highest) .. 2^21; lower runs first. */
  priority?: number;
}

export interface WaitOptions extends SubmitOptions {
  /** How long submitAndWait waits for the result (default 60 s); the job stays queued on timeout. */
  timeoutMs?: number;
}

export type JobState = 'waiting' | 'active' | 'completed' | 'failed' | 'delayed' | 'prioritized' | 'waiting-children' | 'unknown';

export interface JobStatus<Output = unknown> {
  readonly id: string;
  readonly capabilityId: string;
  readonly state: JobState;
  readonly progress: number | Record<string, unknown>;
  readonly attemptsMade: number;
  readonly result?: Output;
  readonly failedReason?: string;
  readonly createdAt: number;
  readonly finishedAt?: number;
}

export type JobEvent =
  | { type: 'active'; capabilityId: string; jobId: string }
  | { type: 'progress'; capabilityId: string; jobId: string; progress: number | Record<string, unknown> }
  | { type: 'completed'; capabilityId: string; jobId: string; result: unknown }
  | { type: 'failed'; capabilityId: string; jobId: string; reason: string; attemptsMade: number; final: boolean }
  | { type: 'stalled'; capabilityId: string; jobId: string };

/** Durable work on BullMQ: one queue per capability, shared by every process on the same Redis. */
export interface JobsService {
  registerProcessor<Input, Output>(capabilityId: string, processor: JobProcessor<Input, Output>, options?: ProcessorOptions): void;
  submit<Input>(capabilityId: string, data: Input, options?: SubmitOptions): Promise<{ id: string }>;
  submitAndWait<Input, Output>(capabilityId: string, data: Input, options?: WaitOptions): Promise<Output>;
  getStatus<Output = unknown>(capabilityId: string, jobId: string): Promise<JobStatus<Output> | undefined>;
  /** Lifecycle events for a capability's queue, from any process; returns an unsubscribe function. */
  onEvent(capabilityId: string, listener: (event: JobEvent) => void): () => void;
}
