import type { Logger } from 'pino';

interface Step {
  readonly name: string;
  readonly run: () => Promise<void> | void;
}

/**
 * Everything boot starts pushes how to stop it; stop runs the steps in
 * reverse. A boot that fails half-way unwinds exactly what it started, and a
 * step that throws is logged without stopping the rest of the unwind.
 */
export class TeardownStack {
  readonly #steps: Step[] = [];
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  push(name: string, run: () => Promise<void> | void): void {
    this.#steps.push({ name, run });
  }

  async unwind(): Promise<Error[]> {
    const failures: Error[] = [];
    while (this.#steps.length > 0) {
      const step = this.#steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        failures.push(error as Error);
        this.#logger.error({ err: error, step: step.name }, 'shutdown step failed');
      }
    }
    return failures;
  }
}
