/**
 * Runs as its own process during the large-payload drill, so what it measures
 * is Redis and the gateway, not the drill process's own event loop (which is
 * busy building and parsing 15 MB bodies). Pings Redis every 100 ms and runs
 * small echo jobs back to back until stdin closes, then prints one JSON line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connectRedis } from '../../core/src/redis/connect.js';
import { DrillClient, percentile } from './drill-client.js';

const [redisUrl, gatewayUrl, apiKey] = process.argv.slice(2);
const redis = await connectRedis(redisUrl!, { connectTimeoutMs: 10_000 });
const client = new DrillClient(gatewayUrl!, apiKey === '' ? undefined : apiKey);
let running = true;
process.stdin.on('close', () => (running = false));
process.stdin.resume();

const pings: number[] = [];
const small: number[] = [];
let smallJobs = 0;
let smallCompleted = 0;
await Promise.all([
  (async () => {
    while (running) {
      const started = performance.now();
      await redis.ping();
      pings.push(performance.now() - started);
      await sleep(100);
    }
  })(),
  (async () => {
    while (running) {
      smallJobs++;
      const answer = await client.run({ text: `small-${smallJobs}` });
      if (answer.status === 200) {
        smallCompleted++;
        small.push(answer.ms);
      }
    }
  })(),
]);
const round = (n: number) => Math.round(n * 10) / 10;
process.stdout.write(
  `${JSON.stringify({ smallJobs, smallCompleted, smallP50Ms: round(percentile(small, 50)), smallP99Ms: round(percentile(small, 99)), pingP50Ms: round(percentile(pings, 50)), pingP99Ms: round(percentile(pings, 99)), pingMaxMs: round(Math.max(0, ...pings)) })}\n`,
);
redis.disconnect();
process.exit(0);
