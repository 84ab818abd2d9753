/**
 * AI requests through the whole network path versus the same runner
 * container called directly, in the same run: a local network with AI
 * (`lpx dev up --ai`: orchestrator 1 runs reference runner containers in its
 * own dockerd) — app → gateway's `POST /<pipeline>` → route job → the
 * go-livepeer AI client pays orchestrator 1 → its AI route → BullMQ →
 * the runners executor → the container — against `POST /<pipeline>` on the
 * container's own port. Two pipelines: llm (whole answer, the runner answers
 * in ms, so the platform's overhead shows) and text-to-speech (espeak-ng, a
 * real engine). Then a runner's cold start (create, start, /health ready,
 * first answer) against a warm answer. Prints medians and ratios; no
 * thresholds.
 *
 *   node --import tsx bench/ai-path.ts [runs]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { buildReferenceRunnerImage } from '../plugins/ai-runners/src/reference-image/index.js';
import { createDockerRuntime } from '@lpx/plugin-runtime-docker';
import { waitForAIRunners } from '../core/src/demo/demo-ai.js';
import { DEV_AI_MODELS, devDockerStateDir } from '../core/src/dev/dev-configs.js';
import { startDevNetwork } from '../core/src/dev/dev-network.js';
import { runNodesCompiled } from './compiled-nodes.js';

runNodesCompiled();

const RUNS = Number(process.argv[2] ?? process.env['BENCH_RUNS'] ?? 20);
const LLM_MODEL = 'meta-llama/llama-3.1-8B-Instruct';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Case {
  readonly pipeline: string;
  readonly body: Record<string, unknown>;
}

const CASES: readonly Case[] = [
  { pipeline: 'llm', body: { model: LLM_MODEL, messages: [{ role: 'user', content: 'What is Livepeer?' }], stream: false, max_tokens: 16 } },
  { pipeline: 'text-to-speech', body: { text: 'hello from the bench' } },
];

async function timePost(url: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const t0 = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${text.slice(0, 200)}`);
  return performance.now() - t0;
}

/** The host port of orchestrator 1's runner container for a pipeline (the containers are the dev engine's only ones). */
async function runnerUrl(docker: Dockerode, pipeline: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const containers = await docker.listContainers({ filters: { label: ['io.lpx.plugin=ai-runners'], status: ['running'] } });
    const found = containers.find((c) => c.Names.some((name) => name.includes(`-${pipeline}_`)));
    const port = found?.Ports.find((p) => p.PrivatePort === 8000 && p.PublicPort !== undefined);
    if (port) {
      const url = `http://127.0.0.1:${port.PublicPort}`;
      const health = await fetch(`${url}/health`).then((r) => r.json() as Promise<{ status: string }>).catch(() => undefined);
      if (health?.status === 'OK' || health?.status === 'IDLE') return url;
    }
    await sleep(500);
  }
  throw new Error(`no ready ${pipeline} runner container on the dev engine`);
}

async function pathVersusDirect(gatewayUrl: string, apiKey: string | undefined, docker: Dockerode): Promise<void> {
  const auth: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  for (const c of CASES) {
    const direct = await runnerUrl(docker, c.pipeline);
    // Warm both paths: orchestrator session, payment tickets, the runner's first request.
    await timePost(`${gatewayUrl}/${c.pipeline}`, c.body, auth);
    await timePost(`${direct}/${c.pipeline}`, c.body);
    const raw: number[] = [];
    const path: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so load on the machine hits both alike.
      raw.push(await timePost(`${direct}/${c.pipeline}`, c.body));
      path.push(await timePost(`${gatewayUrl}/${c.pipeline}`, c.body, auth));
    }
    const r = median(raw);
    const p = median(path);
    console.log(
      `${c.pipeline.padEnd(15)} runner direct ${r.toFixed(1)} ms | gateway → orchestrator → runner ${p.toFixed(1)} ms | overhead ${(p - r).toFixed(1)} ms/request | ratio direct/path ${(r / p).toFixed(3)} (medians of ${RUNS})`,
    );
  }
}

async function coldVersusWarm(dockerHost: string): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lpx-bench-ai-'));
  const runtime = createDockerRuntime({ host: dockerHost, dataDir });
  try {
    await runtime.probe(AbortSignal.timeout(60_000));
    const image = await buildReferenceRunnerImage(runtime);
    const context = { ownerId: 'bench-ai-path', pluginId: 'bench', specHash: 'bench' };
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const created = await runtime.create(
        { name: `lpx-bench-tts-${process.pid}-${i}`, image: image.ref, env: { PIPELINE: 'text-to-speech', MODEL_ID: 'parler-tts/parler-tts-large-v1' }, ports: [{ containerPort: 8000 }] },
        context,
      );
      try {
        const started = await runtime.start(created.id);
        const url = `http://127.0.0.1:${started.ports.find((p) => p.containerPort === 8000)!.hostPort}`;
        for (;;) {
          const health = await fetch(`${url}/health`).then((r) => r.json() as Promise<{ status: string }>).catch(() => undefined);
          if (health?.status === 'OK' || health?.status === 'IDLE') break;
          await sleep(100);
        }
        await timePost(`${url}/text-to-speech`, CASES[1]!.body);
        cold.push(performance.now() - t0);
        for (let j = 0; j < 5; j++) warm.push(await timePost(`${url}/text-to-speech`, CASES[1]!.body));
      } finally {
        await runtime.remove(created.id, { force: true });
      }
    }
    const c = median(cold);
    const w = median(warm);
    console.log(`text-to-speech cold start (create → /health ready → first answer) ${c.toFixed(0)} ms | warm answer ${w.toFixed(0)} ms | cold/warm ${(c / w).toFixed(1)}×`);
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lpx-bench-ai-net-'));
  const network = await startDevNetwork({ orchestrators: 1, ai: true, dataDir, readiness: { readyTimeoutMs: 900_000 } });
  const socket = join(devDockerStateDir(), 'exec', 'docker.sock');
  try {
    // The orchestrator's executor counts a runner once its watchdog has seen it ready, not when /health first says so.
    await waitForAIRunners(network.orchestrators[0]!.process.httpUrl, DEV_AI_MODELS, (line) => console.log(line));
    const docker = new Dockerode({ socketPath: socket });
    await pathVersusDirect(network.gateway.httpUrl, network.tenants[0]?.apiKey, docker);
    await coldVersusWarm(`unix://${socket}`);
  } finally {
    await network.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
