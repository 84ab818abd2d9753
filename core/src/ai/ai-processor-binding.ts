/**
 * Keeps this process's `ai/<pipeline>` processors in step with its
 * executors' offers: a pipeline's processor is not bound while nothing here
 * offers it (other workers take its jobs), bound with concurrency = the
 * summed capacity of its models once something does, then resized — 0
 * pauses the BullMQ worker rather than taking jobs it would refuse.
 */
import type { Logger } from 'pino';
import { aiCapabilityId, isAIPipelineName, type AIModelOffer, type JobProcessor } from '@lpx/sdk';
import type { JobsRuntime } from '../boot/jobs-runtime.js';
import type { AIJobData, AIJobResult } from './ai-job.js';

export class AIProcessorBinding {
  readonly #jobs: JobsRuntime;
  readonly #processor: JobProcessor<AIJobData, AIJobResult>;
  readonly #logger: Logger;
  readonly #applied = new Map<string, number>();

  constructor(jobs: JobsRuntime, processor: JobProcessor<AIJobData, AIJobResult>, logger: Logger) {
    this.#jobs = jobs;
    this.#processor = processor;
    this.#logger = logger;
  }

  async apply(executors: Readonly<Record<string, readonly AIModelOffer[]>>, hasPipeline: (name: string) => boolean): Promise<void> {
    const wanted = new Map<string, number>();
    for (const offers of Object.values(executors)) {
      for (const offer of offers) {
        if (!isAIPipelineName(offer.pipeline) || !hasPipeline(offer.pipeline) || !(offer.capacity > 0)) continue;
        const id = aiCapabilityId(offer.pipeline);
        wanted.set(id, (wanted.get(id) ?? 0) + offer.capacity);
      }
    }
    for (const id of this.#applied.keys()) if (!wanted.has(id)) wanted.set(id, 0);
    for (const [id, capacity] of wanted) {
      const applied = this.#applied.get(id);
      if (applied === capacity) continue;
      if (applied === undefined) {
        if (capacity === 0) continue;
        this.#jobs.service.registerProcessor(id, this.#processor, { concurrency: capacity });
      } else {
        await this.#jobs.setConcurrency(id, capacity);
      }
      this.#applied.set(id, capacity);
      this.#logger.info({ capabilityId: id, capacity }, capacity > 0 ? 'AI worker taking jobs' : 'AI worker has no capacity for the pipeline; not taking its jobs');
    }
  }
}
