/**
 * Which executor on this worker takes a request: one that offers the
 * (pipeline, model) with room, counting what this process already runs on
 * it (offers say what an executor can run at once, not what is free). The
 * one with the most room goes first; the processor tries the next when an
 * executor says NO_CAPACITY after all.
 */
import type { AIExecutor } from '@lpx/sdk';

export class ExecutorPicker {
  readonly #inFlight = new Map<string, number>();
  readonly #executors: () => readonly AIExecutor[];

  constructor(executors: () => readonly AIExecutor[]) {
    this.#executors = executors;
  }

  #key(executor: string, pipeline: string, model: string): string {
    return `${executor}\u0000${pipeline}\u0000${model}`;
  }

  inFlight(executor: string, pipeline: string, model: string): number {
    return this.#inFlight.get(this.#key(executor, pipeline, model)) ?? 0;
  }

  /** Executors with room for the model, most room first. */
  candidates(pipeline: string, model: string): AIExecutor[] {
    const out: { executor: AIExecutor; room: number }[] = [];
    for (const executor of this.#executors()) {
      let capacity = 0;
      try {
        for (const offer of executor.offers()) if (offer.pipeline === pipeline && offer.modelId === model) capacity += offer.capacity;
      } catch {
        continue; // an executor whose offers throw is skipped, not fatal
      }
      const room = capacity - this.inFlight(executor.name, pipeline, model);
      if (room > 0) out.push({ executor, room });
    }
    return out.sort((a, b) => b.room - a.room).map((c) => c.executor);
  }

  /** Counts a request on the executor; returns the release (idempotent). */
  acquire(executor: string, pipeline: string, model: string): () => void {
    const key = this.#key(executor, pipeline, model);
    this.#inFlight.set(key, (this.#inFlight.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#inFlight.get(key) ?? 1) - 1;
      if (left <= 0) this.#inFlight.delete(key);
      else this.#inFlight.set(key, left);
    };
  }
}
