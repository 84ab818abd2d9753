/**
 * How fast an LLM token crosses from a worker process to the orchestrator
 * process (docs/adr/0031): the kernel's relay — one Redis stream per request,
 * XADD by the worker, blocking XREAD by the orchestrator (core/src/ai/
 * ai-stream-relay.ts) — against BullMQ job progress events (updateProgress
 * + QueueEvents 'progress') and, as the floor, raw Redis PUBLISH/SUBSCRIBE,
 * all on one embedded Redis. Latency per event from append to receipt;
 * prints p50/p99 and ratios, no thresholds.
 *   node --import tsx bench/ai-stream-relay.ts [events]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { RelayReader, RelayWriter } from '../core/src/jobs/stream-relay.js';
import { connectRedis, startEmbeddedRedis } from '../core/src/redis/index.js';

const EVENTS = Number(process.argv[2] ?? 2_000);
/** Tokens come a few ms apart from a real runner; the gap keeps each measurement a single event's latency. */
const GAP_MS = 1;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lpx-bench-relay-'));
  const redis = await startEmbeddedRedis({ dataDir });
  const commands = await connectRedis(redis.url);
  const results: Record<string, number[]> = {};
  try {
    // The kernel's relay.
    {
      const key = 'bench:ai:stream:1';
      const writer = new RelayWriter(commands, key);
      const blocking = commands.duplicate();
      const reader = new RelayReader(blocking, key);
      const latencies: number[] = [];
      const reading = (async () => {
        while (latencies.length < EVENTS) for (const entry of await reader.read(250)) if (entry.t === 'data') latencies.push(performance.now() - (entry.d.at as number));
      })();
      for (let i = 0; i < EVENTS; i++) {
        await writer.append({ t: 'data', d: { at: performance.now(), i } });
        await sleep(GAP_MS);
      }
      await reading;
      await reader.remove();
      blocking.disconnect();
      results['redis stream per request (lpx)'] = latencies;
    }
    // BullMQ progress events on the job's queue.
    {
      const connection = commands.duplicate({ maxRetriesPerRequest: null });
      const queue = new Queue('bench-relay', { connection, prefix: 'bench' });
      const eventsConnection = connection.duplicate();
      const workerConnection = connection.duplicate({ maxRetriesPerRequest: null });
      const events = new QueueEvents('bench-relay', { connection: eventsConnection, prefix: 'bench' });
      await events.waitUntilReady();
      const latencies: number[] = [];
      const done = new Promise<void>((resolve) =>
        events.on('progress', ({ data }) => {
          latencies.push(performance.now() - (data as { at: number }).at);
          if (latencies.length === EVENTS) resolve();
        }),
      );
      const worker = new Worker(
        'bench-relay',
        async (job) => {
          for (let i = 0; i < EVENTS; i++) {
            await job.updateProgress({ at: performance.now(), i });
            await sleep(GAP_MS);
          }
        },
        { connection: workerConnection, prefix: 'bench' },
      );
      await queue.add('llm', {});
      await done;
      await worker.close();
      await events.close();
      await queue.close();
      for (const c of [connection, eventsConnection, workerConnection]) c.disconnect();
      results['bullmq job progress events'] = latencies;
    }
    // Floor: raw pub/sub.
    {
      const sub = commands.duplicate();
      const latencies: number[] = [];
      const done = new Promise<void>((resolve) =>
        sub.on('message', (_channel, message) => {
          latencies.push(performance.now() - (JSON.parse(message) as { at: number }).at);
          if (latencies.length === EVENTS) resolve();
        }),
      );
      await sub.subscribe('bench:relay');
      for (let i = 0; i < EVENTS; i++) {
        await commands.publish('bench:relay', JSON.stringify({ at: performance.now(), i }));
        await sleep(GAP_MS);
      }
      await done;
      sub.disconnect();
      results['raw redis pub/sub (baseline)'] = latencies;
    }
  } finally {
    commands.disconnect();
    await redis.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const floor = percentile(results['raw redis pub/sub (baseline)']!, 50);
  console.log(`${EVENTS} events, ${GAP_MS} ms apart, one embedded Redis`);
  for (const [name, values] of Object.entries(results)) {
    const p50 = percentile(values, 50);
    console.log(`${name.padEnd(34)} p50 ${p50.toFixed(3)} ms  p99 ${percentile(values, 99).toFixed(3)} ms  (p50 ×${(p50 / floor).toFixed(2)} vs pub/sub)`);
  }
}

await main();
