/**
 * The large-payload drill: eleven 15 MB async jobs go in at once while small
 * jobs keep running and Redis is PINGed. Before job bodies moved out of Redis
 * this took PING to 4–11 s and stalled the small jobs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DrillClient, percentile } from './drill-client.js';
import { startDrillNetwork } from './drill-network.js';

export interface LargeFigures {
  largeJobs: number;
  largeAccepted: number;
  largeCompleted: number;
  smallJobs: number;
  smallCompleted: number;
  smallP50Ms: number;
  smallP99Ms: number;
  pingP50Ms: number;
  pingMaxMs: number;
  /** The largest Redis key's memory use, in KiB, after the jobs were accepted. */
  largestRedisKeyKiB: number;
  crashes: number;
}

export async function runLargePayloads(options: { count: number; megabytes: number; log: (line: string) => void }): Promise<LargeFigures> {
  const net = await startDrillNetwork({ orchestrators: 2 });
  const client = new DrillClient(net.gatewayUrl, net.apiKey);
  const redis = await net.redis();
  const figures: LargeFigures = { largeJobs: options.count, largeAccepted: 0, largeCompleted: 0, smallJobs: 0, smallCompleted: 0, smallP50Ms: 0, smallP99Ms: 0, pingP50Ms: 0, pingMaxMs: 0, largestRedisKeyKiB: 0, crashes: 0 };
  const pings: number[] = [];
  const small: number[] = [];
  let done = false;
  try {
    const pinger = (async () => {
      while (!done) {
        const started = performance.now();
        await redis.ping();
        pings.push(performance.now() - started);
        await sleep(100);
      }
    })();
    const smallJobs = (async () => {
      while (!done) {
        figures.smallJobs++;
        const answer = await client.run({ text: `small-${figures.smallJobs}` });
        if (answer.status === 200) {
          figures.smallCompleted++;
          small.push(answer.ms);
        }
      }
    })();
    const text = 'L'.repeat(options.megabytes * 1_000_000);
    options.log(`submitting ${options.count} jobs of ${options.megabytes} MB`);
    const paths = (await Promise.all(Array.from({ length: options.count }, (_, i) => client.submit({ text: `${i}${text}` })))).filter((p): p is string => p !== undefined);
    figures.largeAccepted = paths.length;
    figures.largestRedisKeyKiB = await largestKeyKiB(redis);
    const states = await client.settle(paths, 300_000);
    figures.largeCompleted = [...states.values()].filter((s) => s?.state === 'completed').length;
    done = true;
    await Promise.all([pinger, smallJobs]);
    figures.crashes = net.crashed().length;
  } finally {
    done = true;
    await net.stop();
  }
  figures.smallP50Ms = Math.round(percentile(small, 50));
  figures.smallP99Ms = Math.round(percentile(small, 99));
  figures.pingP50Ms = Math.round(percentile(pings, 50) * 10) / 10;
  figures.pingMaxMs = Math.round(Math.max(0, ...pings));
  return figures;
}

async function largestKeyKiB(redis: import('ioredis').Redis): Promise<number> {
  let largest = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) largest = Math.max(largest, Number((await redis.memory('USAGE', key)) ?? 0));
  } while (cursor !== '0');
  return Math.round(largest / 1024);
}
