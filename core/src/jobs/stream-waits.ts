/** What `CapabilityLane.streamOpened` hands a submitAndStream caller. */
export interface StreamWait {
  readonly opened: Promise<void>;
  /** Forgets the wait; says whether a processor in this process answered the job whole (then no stream exists). */
  cancel(): { completedHere: boolean };
}

/**
 * submitAndStream callers of one lane waiting for their job's stream to open,
 * by job id, and the jobs among them that a processor here answered whole.
 */
export class StreamWaits {
  readonly #byJob = new Map<string, Set<() => void>>();
  readonly #completedHere = new Set<string>();

  has(jobId: string): boolean {
    return this.#byJob.has(jobId);
  }

  /** The job's stream is open: every caller waiting for it may start reading. */
  opened(jobId: string): void {
    for (const opened of this.#byJob.get(jobId) ?? []) opened();
  }

  /** A processor here returned without streaming: remembered only for a job someone here waits on. */
  answeredWhole(jobId: string): void {
    if (this.#byJob.has(jobId)) this.#completedHere.add(jobId);
  }

  wait(jobId: string): StreamWait {
    let resolve!: () => void;
    const opened = new Promise<void>((r) => (resolve = r));
    let waits = this.#byJob.get(jobId);
    if (waits === undefined) this.#byJob.set(jobId, (waits = new Set()));
    waits.add(resolve);
    return {
      opened,
      cancel: () => {
        waits.delete(resolve);
        if (waits.size === 0 && this.#byJob.get(jobId) === waits) this.#byJob.delete(jobId);
        return { completedHere: this.#completedHere.delete(jobId) };
      },
    };
  }
}
