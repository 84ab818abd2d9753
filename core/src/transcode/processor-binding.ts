/**
 * Keeps this process's `video/transcode` processor in step with its backends:
 * not bound while nothing is available (other workers take the jobs), bound
 * with concurrency = summed capacity once something is, then resized — 0
 * pauses the BullMQ worker rather than taking jobs it would refuse.
 */
import type { Logger } from 'pino';
import type { JobProcessor } from '@lpx/sdk';
import type { JobsRuntime } from '../boot/jobs-runtime.js';
import { TRANSCODE_CAPABILITY, type TranscodeJobData, type TranscodeJobResult } from './transcode-job.js';

export class ProcessorBinding {
  readonly #jobs: JobsRuntime;
  readonly #processor: JobProcessor<TranscodeJobData, TranscodeJobResult>;
  readonly #logger: Logger;
  #bound = false;
  #applied: number | undefined;

  constructor(jobs: JobsRuntime, processor: JobProcessor<TranscodeJobData, TranscodeJobResult>, logger: Logger) {
    this.#jobs = jobs;
    this.#processor = processor;
    this.#logger = logger;
  }

  async apply(capacity: number): Promise<void> {
    if (capacity === this.#applied) return;
    if (!this.#bound && capacity > 0) {
      this.#jobs.service.registerProcessor(TRANSCODE_CAPABILITY, this.#processor, { concurrency: capacity });
      this.#bound = true;
    } else if (this.#bound) {
      await this.#jobs.setConcurrency(TRANSCODE_CAPABILITY, capacity);
    }
    this.#applied = capacity;
    this.#logger.info({ capacity }, capacity > 0 ? 'transcode worker taking video/transcode jobs' : 'transcode worker has no available backend; not taking jobs');
  }
}
