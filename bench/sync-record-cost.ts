/**
 * What durability costs a synchronous job, in CPU per job (this process and
 * redis-server, /proc), concurrency 16, no-op work, one embedded Redis:
 *
 * 1. the jobs kernel as the gateway used it for a route job until ADR 0067 —
 *    BullMQ add, a worker in this process, the result handed to the waiter
 *    (ADR 0061/0065) — and as it uses it now: the job run inline, recorded in
 *    the process's ledger (ADR 0067);
 * 2. the lightest durable record one could keep instead: one MULTI that writes
 *    the job and a lease before the work, one that deletes both after it (what
 *    a sweeper would need to hand a dead process's jobs on) — not lpx code, a
 *    floor for the design question in session 12's note;
 * 3. no record at all (the work alone).
 *
 *   node --import tsx bench/sync-record-cost.ts [jobs]
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobsKernel } from '../core/src/jobs/index.js';
import { connectRedis, startEmbeddedRedis } from '../core/src/redis/index.js';
import { cpuSeconds } from './proc-cpu.js';
import { measureConcurrent } from './rate.js';

const jobs = Number(process.argv[2] ?? 4_000);
const PAYLOAD = { capabilityId: 'byoc/echo', input: 'eyJ0ZXh0IjoiaGkifQ==', relay: true, byoc: { subpath: '', request: '{}', parameters: '{}', timeoutSeconds: 30, contentType: 'application/json' }, tenant: 'tenant-1' };
const RESULT = { output: { contentType: 'application/json', body: 'eyJ0ZXh0IjoiaGkifQ==' }, orchestrator: 'https://127.0.0.1:8935', tried: 1, headers: {} };

const dataDir = await mkdtemp(join(tmpdir(), 'lpx-bench-sync-record-'));
const server = await startEmbeddedRedis({ dataDir });
const connection = await connectRedis(server.url, {});
const kernel = new JobsKernel({ connection, prefix: '{bench-sync}' });
kernel.registerProcessor('byoc/echo', async () => RESULT, { concurrency: 64 });
kernel.start();

async function cpuPerJob(name: string, work: () => Promise<unknown>): Promise<void> {
  const call = async (): Promise<void> => {
    await work();
  };
  await measureConcurrent(200, 16, call);
  const self = process.cpuUsage();
  const redisBefore = cpuSeconds(server.pid)!;
  const result = await measureConcurrent(jobs, 16, call);
  const used = process.cpuUsage(self);
  const redisMs = ((cpuSeconds(server.pid)! - redisBefore) * 1000) / jobs;
  const selfMs = (used.user + used.system) / 1000 / jobs;
  console.log(`${name.padEnd(34)} ${(selfMs + redisMs).toFixed(3)} ms/job (node ${selfMs.toFixed(3)}, redis ${redisMs.toFixed(3)}), ${result.perSecond.toFixed(0)} jobs/s`);
}

try {
  console.log(`CPU per synchronous job, c=16, ${jobs} jobs`);
  await cpuPerJob('jobs kernel (BullMQ, local worker)', () => kernel.submitAndWait('byoc/echo', PAYLOAD, { jobId: randomUUID(), freshId: true, timeoutMs: 30_000 }));
  await cpuPerJob('jobs kernel, inline (ADR 0067)', () => kernel.submitAndWait('byoc/echo', PAYLOAD, { jobId: randomUUID(), freshId: true, inline: true, timeoutMs: 30_000 }));
  await cpuPerJob('light record (2 MULTI per job)', async () => {
    const id = randomUUID();
    await connection.multi().hset(`{bench-sync}:sync:${id}`, 'data', JSON.stringify(PAYLOAD)).zadd('{bench-sync}:sync:leases', Date.now() + 30_000, id).exec();
    const result = await Promise.resolve(RESULT);
    await connection.multi().del(`{bench-sync}:sync:${id}`).zrem('{bench-sync}:sync:leases', id).exec();
    return result;
  });
  await cpuPerJob('no record', () => Promise.resolve(RESULT));
} finally {
  await kernel.close();
  await connection.quit();
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
