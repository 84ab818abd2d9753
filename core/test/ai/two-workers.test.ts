// Worker processes of one orchestrator (separate Hosts on one Redis) add
// up: the orchestrator advertises the sum of their executors' offers per
// model, a model only one of them offers is still advertised, and a worker
// that stops takes its capacity with it at once (it leaves the directory).
import t from 'tap';
import { pino } from 'pino';
import { KernelAI } from '../../src/ai/kernel-ai.js';
import { createJobsRuntime } from '../../src/boot/jobs-runtime.js';
import { CapabilityRegistry } from '../../src/capabilities/index.js';
import { loadConfig } from '../../src/config/load-config.js';
import { BlobStore, DiskBackend } from '../../src/blobs/index.js';
import { makeHost } from '../../../test/helpers/host.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { Registry } from 'prom-client';
import { randomBytes } from 'node:crypto';
import { executorsPlugin, pipelinesPlugin, testExecutor } from './helpers/test-executor.js';
import { llm, textToImage } from './helpers/test-pipelines.js';
import { startTestRunner } from './helpers/test-runner.js';
import { until } from './helpers/paid-ai-orchestrator.js';

const T2I = 'stabilityai/sdxl-turbo';

t.test('two worker processes: capacities add up per model, a stopped worker leaves at once', async (t) => {
  const redis = await testRedis(t);
  const prefix = uniquePrefix('ai-two-workers');
  const ai = { heartbeatMs: 10_000 };
  const config = loadConfig({ raw: { node: { roles: ['orchestrator'], dataDir: t.testdir() }, redis: { url: redis.url, prefix }, ai }, env: {} }).config;
  const logger = pino({ level: 'silent' });
  const disk = new DiskBackend(t.testdir());
  await disk.init();
  const store = await BlobStore.open({ backend: disk, secret: randomBytes(32), maxBlobBytes: 1024 * 1024, quotaBytes: 1024 * 1024 * 16, ttlSeconds: 60 });
  const jobs = await createJobsRuntime({ url: redis.url, prefix, logger, metrics: new Registry(), tuning: config.jobs });
  t.teardown(() => jobs.close());
  const orchestrator = new KernelAI({ config, redisUrl: redis.url, store, jobs, logger });
  t.teardown(() => orchestrator.close());
  orchestrator.pipelines.addPipeline(textToImage);
  orchestrator.pipelines.addPipeline(llm);
  const registry = new CapabilityRegistry();
  orchestrator.declare(registry, [], ['orchestrator']);
  registry.publish();
  const served = orchestrator.serveOrchestrator({ registry })!;

  const runner = await startTestRunner();
  t.teardown(() => runner.close());
  const workerOf = (name: string, offers: Parameters<typeof testExecutor>[2]) =>
    makeHost(t, [pipelinesPlugin(`${name}-pipelines`, textToImage, llm), executorsPlugin(`${name}-executor`, testExecutor('runners', runner, offers))], { redis: { url: redis.url, prefix }, ai, node: { roles: ['worker'] } });
  const a = workerOf('a', [{ pipeline: 'text-to-image', modelId: T2I, capacity: 2, warm: true, price: { pricePerUnit: '1', pixelsPerUnit: '1' } }]);
  const b = workerOf('b', [
    { pipeline: 'text-to-image', modelId: T2I, capacity: 3, warm: false, price: { pricePerUnit: '3', pixelsPerUnit: '2' } },
    { pipeline: 'llm', modelId: 'llama', capacity: 1, warm: true },
  ]);
  await a.start();
  await b.start();

  // Reads the directory as the orchestrator's heartbeat does (the channel notes only make it sooner).
  await until(async () => {
    await served.refresh();
    return registry.get('ai/text-to-image')?.capacity === 5 && registry.get('ai/llm')?.capacity === 1;
  }, 'both workers summed');
  t.same(registry.get('ai/text-to-image')!.constraints.models, { [T2I]: { warm: true, capacity: 5, price: { pricePerUnit: '3', pixelsPerUnit: '2' } } }, 'capacity 2 + 3, warm on either, the higher of two prices');
  const summaries = await served.refresh();
  t.same(summaries.map((s) => [s.pipeline, s.modelId, s.capacity, s.workers]), [['llm', 'llama', 1, 1], ['text-to-image', T2I, 5, 2]]);

  await b.stop();
  await served.refresh();
  t.equal(registry.get('ai/text-to-image')?.capacity, 2, "the stopped worker's capacity is gone");
  t.same(Object.keys(registry.get('ai/llm')!.constraints.models ?? {}), [], 'and the model only it offered');
});
