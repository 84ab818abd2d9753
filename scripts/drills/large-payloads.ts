/**
 * The large-payload drill: eleven 15 MB async jobs go in at once while small
 * jobs keep running and Redis is PINGed from a separate process. Before job
 * bodies moved out of Redis this took PING to 4–11 s and stalled the small jobs.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { DrillClient } from './drill-client.js';
import { startDrillNetwork } from './drill-network.js';

export interface ProbeFigures {
  smallJobs: number;
  smallCompleted: number;
  smallP50Ms: number;
  smallP99Ms: number;
  pingP50Ms: number;
  pingP99Ms: number;
  pingMaxMs: number;
}

export interface LargeFigures {
  largeJobs: number;
  largeAccepted: number;
  largeCompleted: number;
  largeFailed: number;
  /** Seconds from the first submission until the last large job completed (or the deadline). */
  largeSeconds: number;
  probe: ProbeFigures | undefined;
  /** The largest Redis key's memory use, in KiB, after the jobs were accepted. */
  largestRedisKeyKiB: number;
  crashes: number;
}

const PROBE = fileURLToPath(new URL('./responsiveness-probe.ts', import.meta.url));

function startProbe(redisUrl: string, gatewayUrl: string, apiKey: string | undefined): { stop(): Promise<ProbeFigures | undefined> } {
  const child = spawn(process.execPath, ['--import', 'tsx', PROBE, redisUrl, gatewayUrl, apiKey ?? ''], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.stdin!.end();
      await exited;
      try {
        return JSON.parse(output.trim().split('\n').pop() ?? '') as ProbeFigures;
      } catch {
        return undefined;
      }
    },
  };
}

export async function runLargePayloads(options: { count: number; megabytes: number; log: (line: string) => void }): Promise<LargeFigures> {
  const net = await startDrillNetwork({ orchestrators: 2 });
  const client = new DrillClient(net.gatewayUrl, net.apiKey);
  const redis = await net.redis();
  const figures: LargeFigures = { largeJobs: options.count, largeAccepted: 0, largeCompleted: 0, largeFailed: 0, largeSeconds: 0, probe: undefined, largestRedisKeyKiB: 0, crashes: 0 };
  const probe = startProbe(net.redisUrl, net.gatewayUrl, net.apiKey);
  try {
    const text = 'L'.repeat(options.megabytes * 1_000_000);
    options.log(`submitting ${options.count} jobs of ${options.megabytes} MB`);
    const started = Date.now();
    const paths = (await Promise.all(Array.from({ length: options.count }, (_, i) => client.submit({ text: `${i}${text}` })))).filter((p): p is string => p !== undefined);
    figures.largeAccepted = paths.length;
    figures.largestRedisKeyKiB = await largestKeyKiB(redis);
    const states = await client.settle(paths, 300_000);
    figures.largeSeconds = Math.round((Date.now() - started) / 1000);
    figures.largeCompleted = [...states.values()].filter((s) => s?.state === 'completed').length;
    figures.largeFailed = [...states.values()].filter((s) => s?.state === 'failed').length;
    figures.crashes = net.crashed().length;
  } finally {
    figures.probe = await probe.stop();
    await net.stop();
  }
  return figures;
}

async function largestKeyKiB(redis: Redis): Promise<number> {
  let largest = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) largest = Math.max(largest, Number((await redis.memory('USAGE', key)) ?? 0));
  } while (cursor !== '0');
  return Math.round(largest / 1024);
}
