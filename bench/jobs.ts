/**
 * Job round trip (submit, process, result back to the caller) through the
 * lpx jobs service versus raw BullMQ doing the same with its idiomatic
 * `queue.add` + `job.waitUntilFinished(queueEvents)`, on one embedded Redis,
 * same payload and no-op processor. Prints jobs/s and the lpx/raw ratio.
 *
 *   node --import tsx bench/jobs.ts [jobs]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Queue, QueueEvents, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobsKernel } from '../core/src/jobs/index.js';
import { connectRedis, startEmbeddedRedis } from '../core/src/redis/index.js';

export interface JobsBenchRow {
  concurrency: number;
  jobs: number;
  lpxJobsPerSecond: number;
  rawJobsPerSecond: number;
  ratio: number;
}

const PAYLOAD = { stream: 'bench-stream-0001', segment: 42, profile: '720p30', bytes: 123456 };

/** `callers` loops in flight, each running `roundTrip` until `total` have finished. */
async function drive(total: number, callers: number, roundTrip: () => Promise<unknown>): Promise<number> {
  let issued = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: callers }, async () => {
    while (issued < total) {
      issued++;
      await roundTrip();
    }
  }));
  return total / ((performance.now() - started) / 1000);
}

async function lpxRun(connection: Redis, prefix: string, total: number, concurrency: number): Promise<number> {
  const kernel = new JobsKernel({ connection, prefix });
  kernel.registerProcessor('bench/noop', async (job) => job.data, { concurrency });
  kernel.start();
  await kernel.submitAndWait('bench/noop', PAYLOAD); // warm: queue, worker, event reader
  const rate = await drive(total, concurrency, () => kernel.submitAndWait('bench/noop', PAYLOAD));
  await kernel.close();
  return rate;
}

async function rawRun(connection: Redis, prefix: string, total: number, concurrency: number): Promise<number> {
  const name = 'raw-noop';
  const retention = { removeOnComplete: { age: 3600, count: 10000 }, removeOnFail: { age: 604800, count: 50000 } };
  const queue = new Queue(name, { connection, prefix, defaultJobOptions: retention });
  // waitUntilFinished adds a 'closing' listener per waiting call.
  queue.setMaxListeners(0);
  const events = new QueueEvents(name, { connection, prefix });
  const worker = new Worker(name, async (job) => job.data, { connection, prefix, concurrency });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), worker.waitUntilReady()]);
  const once = async (): Promise<unknown> => (await queue.add(name, PAYLOAD, { attempts: 3 })).waitUntilFinished(events);
  await once();
  const rate = await drive(total, concurrency, once);
  await worker.close();
  await events.close();
  await queue.close();
  return rate;
}

export async function runJobsBench(options: { jobs?: number; concurrencies?: number[]; log?: (line: string) => void } = {}): Promise<JobsBenchRow[]> {
  const jobs = options.jobs ?? 2_000;
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = await mkdtemp(join(tmpdir(), 'lpx-bench-jobs-'));
  const redis = await startEmbeddedRedis({ dataDir });
  const connection = await connectRedis(redis.url);
  const rows: JobsBenchRow[] = [];
  try {
    for (const concurrency of options.concurrencies ?? [1, 50]) {
      // Alternate order so neither side always runs on a warmer Redis.
      const raw = await rawRun(connection, `{bench-raw-${concurrency}}`, jobs, concurrency);
      const lpx = await lpxRun(connection, `{bench-lpx-${concurrency}}`, jobs, concurrency);
      const row = { concurrency, jobs, lpxJobsPerSecond: lpx, rawJobsPerSecond: raw, ratio: lpx / raw };
      rows.push(row);
      log(`jobs round trip  c=${String(concurrency).padStart(2)}  ${jobs} jobs  lpx ${lpx.toFixed(0).padStart(6)} jobs/s  raw BullMQ ${raw.toFixed(0).padStart(6)} jobs/s  ratio lpx/raw ${row.ratio.toFixed(2)}`);
    }
  } finally {
    await connection.quit();
    await redis.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const jobs = Number(process.argv[2] ?? 2_000);
  await runJobsBench({ jobs });
}
