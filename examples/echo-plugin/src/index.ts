import { setTimeout as sleep } from 'node:timers/promises';
import { coreServices, definePlugin, errors, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };

export interface EchoInput {
  text: string;
  /** Optional pause before answering (at most 30 s), to make a job slow enough for failover drills. */
  delayMs?: number;
}

const MAX_DELAY_MS = 30_000;

export interface EchoOutput {
  text: string;
  length: number;
  worker: number;
}

interface EchoConfig {
  uppercase: boolean;
  concurrency: number;
}

const manifest = manifestJson as PluginManifest;

/** The example plugin: `byoc/echo` jobs return the text (optionally upper-cased). */
export const exampleEchoPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { jobs: coreServices.jobs, http: coreServices.http, logger: coreServices.logger, config: coreServices.config, metrics: coreServices.metrics },
      async init({ jobs, http, logger, config, metrics }) {
        const settings = config.get<EchoConfig>();
        const echoed = metrics.counter({ name: 'echoed_total', help: 'texts echoed' });
        jobs.registerProcessor<EchoInput, EchoOutput>(
          'byoc/echo',
          async (job) => {
            if (typeof job.data?.text !== 'string') throw new Error('job data must be { text: string }');
            const delayMs = job.data.delayMs ?? 0;
            if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) throw new Error(`delayMs must be an integer from 0 to ${MAX_DELAY_MS}`);
            if (delayMs > 0) await sleep(delayMs, undefined, { signal: job.signal });
            echoed.inc();
            const text = settings.uppercase ? job.data.text.toUpperCase() : job.data.text;
            return { text, length: text.length, worker: process.pid };
          },
          { concurrency: settings.concurrency },
        );
        http.route({
          method: 'POST',
          url: '/echo',
          schema: { body: { type: 'object', required: ['text'], properties: { text: { type: 'string', maxLength: 10_000 } }, additionalProperties: false } },
          handler: async (request) => jobs.submitAndWait<EchoInput, EchoOutput>('byoc/echo', request.body as EchoInput, { timeoutMs: 30_000 }),
        });
        http.route({
          method: 'GET',
          url: '/jobs/:id',
          handler: async (request) => {
            const status = await jobs.getStatus('byoc/echo', (request.params as { id: string }).id);
            if (!status) throw errors.jobs.NOT_FOUND.create(`no byoc/echo job ${(request.params as { id: string }).id}`);
            return status;
          },
        });
        logger.info({ uppercase: settings.uppercase }, 'echo plugin ready');
      },
    });
  },
});

export default exampleEchoPlugin;
