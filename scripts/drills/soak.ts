/**
 * The soak drill: steady load through the gateway for a fixed time while each
 * process's RSS is sampled. The figure that matters is RSS growth from the
 * end of warm-up to the end of the run (the bound: within 10 %).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DrillClient, percentile } from './drill-client.js';
import { rssBytes, startDrillNetwork } from './drill-network.js';

export interface ProcessRss {
  afterWarmupMiB: number;
  endMiB: number;
  maxMiB: number;
  growthPercent: number;
}

export interface SoakFigures {
  minutes: number;
  concurrency: number;
  jobs: number;
  completed: number;
  serverErrors: number;
  otherErrors: number;
  p50Ms: number;
  p99Ms: number;
  rss: Record<string, ProcessRss>;
  crashes: number;
}

const MiB = 1024 * 1024;
const round = (n: number) => Math.round(n * 10) / 10;

export async function runSoak(options: { minutes: number; concurrency: number; log: (line: string) => void }): Promise<SoakFigures> {
  const net = await startDrillNetwork({ orchestrators: 2 });
  const client = new DrillClient(net.gatewayUrl, net.apiKey);
  const durationMs = options.minutes * 60_000;
  const warmupMs = Math.max(60_000, durationMs / 5);
  const started = Date.now();
  const samples = new Map<string, { at: number; rss: number }[]>();
  const latencies: number[] = [];
  const figures: SoakFigures = { minutes: options.minutes, concurrency: options.concurrency, jobs: 0, completed: 0, serverErrors: 0, otherErrors: 0, p50Ms: 0, p99Ms: 0, rss: {}, crashes: 0 };

  const sampler = setInterval(() => {
    for (const node of net.nodes) {
      const rss = rssBytes(node.process.pid);
      if (rss === undefined) continue;
      const list = samples.get(node.name) ?? [];
      list.push({ at: Date.now() - started, rss });
      samples.set(node.name, list);
    }
  }, 5_000);
  const progress = setInterval(() => options.log(`${Math.round((Date.now() - started) / 1000)} s: ${figures.jobs} jobs, ${figures.completed} completed`), 60_000);

  const worker = async (lane: number): Promise<void> => {
    for (let n = 0; Date.now() - started < durationMs; n++) {
      // One job in ten carries a 256 KiB body: result caches must stay bounded by bytes, not only by count.
      const text = n % 10 === lane % 10 ? 'x'.repeat(256 * 1024) : `soak-${lane}-${n}`;
      figures.jobs++;
      const answer = await client.run({ text });
      if (answer.status === 200 && answer.text === text) {
        figures.completed++;
        latencies.push(answer.ms);
      } else if (answer.status >= 500) figures.serverErrors++;
      else {
        figures.otherErrors++;
        await sleep(200);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, (_, lane) => worker(lane)));
  } finally {
    clearInterval(sampler);
    clearInterval(progress);
  }
  figures.crashes = net.crashed().length;
  await net.stop();

  figures.p50Ms = round(percentile(latencies, 50));
  figures.p99Ms = round(percentile(latencies, 99));
  for (const [name, list] of samples) {
    const afterWarmup = list.filter((s) => s.at >= warmupMs);
    if (afterWarmup.length === 0) continue;
    const base = afterWarmup[0]!.rss;
    const end = afterWarmup[afterWarmup.length - 1]!.rss;
    figures.rss[name] = {
      afterWarmupMiB: round(base / MiB),
      endMiB: round(end / MiB),
      maxMiB: round(Math.max(...afterWarmup.map((s) => s.rss)) / MiB),
      growthPercent: round(((end - base) / base) * 100),
    };
  }
  return figures;
}
