import { JobsKernel } from '../core/src/jobs/index.js';
import { startEmbeddedRedis } from '../core/src/redis/embedded-redis.js';
import { connectRedis } from '../core/src/redis/connect.js';
import { mkdtempSync } from 'node:fs';
const server = await startEmbeddedRedis({ dataDir: mkdtempSync('/tmp/latr-') });
const connection = await connectRedis(server.url, {});
const jobs = new JobsKernel({ connection, prefix: '{lat}' });
jobs.registerProcessor('test/echo', async (job) => job.data, { concurrency: 16 });
jobs.start();
for (let i = 0; i < 50; i++) await jobs.submitAndWait('test/echo', { i }, { timeoutMs: 5000, jobId: crypto.randomUUID(), freshId: true });
const lat: number[] = [];
for (let i = 0; i < 300; i++) { const t0 = performance.now(); await jobs.submitAndWait('test/echo', { i }, { timeoutMs: 5000, jobId: crypto.randomUUID(), freshId: true }); lat.push(performance.now() - t0); }
lat.sort((a, b) => a - b);
console.log('p50', lat[150]!.toFixed(2), 'p90', lat[270]!.toFixed(2));
await jobs.close(); await connection.quit(); await server.stop();
