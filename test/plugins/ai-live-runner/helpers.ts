// An lpx orchestrator + AI worker in one Host serving the batch AI models of
// ai-runners as Live Runner apps (ai-live-runner), with the lpx reference
// runner run in this process on an ephemeral port and configured as an
// external runner URL (aiModels `url`) — the same code as the reference
// image, without building it (the Docker path is covered by
// test/plugins/ai-runners). Offchain unless `raw.chain` is given.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PluginDefinition } from '@lpx/sdk';
import { aiLlmPlugin } from '@lpx/plugin-ai-llm';
import { aiRunnersPlugin } from '@lpx/plugin-ai-runners';
import { aiTextToImagePlugin } from '@lpx/plugin-ai-text-to-image';
import { aiLiveRunnerPlugin } from '../../../plugins/ai-live-runner/src/index.js';
import { startReferenceRunner, type RunningRunner } from '../../../plugins/ai-runners/reference-runner/src/runner.js';
import type { Teardownable } from '../../helpers/host.js';
import { startLiveRunnerNode, type LiveRunnerTestNode } from '../live-runner/helpers/node.js';

export const T2I_MODEL = 'ByteDance/SDXL-Lightning';
export const LLM_MODEL = 'meta-llama/Meta-Llama-3.1-8B-Instruct';

/** The reference runner for one pipeline/model in this process. */
export async function referenceRunner(t: Teardownable, pipeline: string, modelId: string): Promise<RunningRunner> {
  const runner = await startReferenceRunner({ HOST: '127.0.0.1', PORT: '0', PIPELINE: pipeline, MODEL_ID: modelId }, () => undefined);
  t.teardown(() => runner.close());
  await runner.loaded;
  return runner;
}

export interface AIOrchestrator extends LiveRunnerTestNode {
  readonly t2i: RunningRunner;
  readonly llm: RunningRunner;
}

export async function startAIOrchestrator(
  t: Teardownable,
  options: { readonly bridge?: Record<string, unknown>; readonly raw?: Record<string, unknown>; readonly price?: { price_per_unit: string; pixels_per_unit: string }; readonly extraPlugins?: PluginDefinition[]; readonly t2iFront?: (runnerUrl: string) => Promise<string>; readonly orchestrator?: Record<string, unknown> } = {},
): Promise<AIOrchestrator> {
  const t2i = await referenceRunner(t, 'text-to-image', T2I_MODEL);
  const llm = await referenceRunner(t, 'llm', LLM_MODEL);
  const t2iUrl = options.t2iFront === undefined ? t2i.url : await options.t2iFront(t2i.url);
  const price = options.price ?? { price_per_unit: '0', pixels_per_unit: '1' };
  const node = await startLiveRunnerNode(t, {
    ...(options.orchestrator !== undefined ? { orchestrator: options.orchestrator } : {}),
    extraPlugins: [aiTextToImagePlugin, aiLlmPlugin, aiRunnersPlugin, aiLiveRunnerPlugin, ...(options.extraPlugins ?? [])],
    raw: {
      ...options.raw,
      node: { roles: ['orchestrator', 'worker'] },
      ai: { heartbeatMs: 1000, ...((options.raw?.ai as object | undefined) ?? {}) },
      plugins: {
        'live-runner': { config: { healthIntervalMs: 100 } },
        'ai-runners': {
          config: {
            aiModels: [
              { pipeline: 'text-to-image', model_id: T2I_MODEL, url: t2iUrl, capacity: 2, ...price },
              { pipeline: 'llm', model_id: LLM_MODEL, url: llm.url, capacity: 1, ...price },
            ],
            timeouts: { pollMs: 20, healthMs: 5_000, watchIntervalMs: 200, externalStartMs: 10_000 },
          },
        },
        'ai-live-runner': { config: { syncIntervalMs: 100, ...options.bridge } },
      },
    },
  });
  return { ...node, t2i, llm };
}

export interface DiscoveredApp {
  readonly url: string;
  readonly app: string;
  readonly mode: string;
  readonly metadata?: string;
  readonly capacity: number;
  readonly price_info?: { price: number | string; unit: string };
}

/** A pass-through in front of a runner that can drop the next pipeline call (test double of a runner dying mid-request). */
export async function droppingFront(t: Teardownable, runnerUrl: string): Promise<{ url: string; dropNext(): void }> {
  let drop = false;
  const front = createServer((req, res) => {
    if (req.method === 'POST' && drop) {
      drop = false;
      req.resume();
      req.on('end', () => res.socket?.destroy());
      return;
    }
    const upstream = httpRequest(new URL(req.url ?? '/', runnerUrl), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.socket?.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => (front.closeAllConnections(), front.close(() => resolve()))));
  return { url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`, dropNext: () => (drop = true) };
}

