// An AIExecutor backed by in-test runners, with the offers a runner
// executor would derive from aiModels config, and plugins that add
// pipelines and executors through the kernel's extension points.
import { aiExecutorsExtensionPoint, aiPipelinesExtensionPoint, definePlugin, errors, HOST_API_VERSION, type AIExecutor, type AIModelOffer, type AIPipeline, type PluginDefinition } from '@lpx/sdk';
import type { TestRunner } from './test-runner.js';

export interface TestExecutor extends AIExecutor {
  offered: AIModelOffer[];
  /** Answer NO_CAPACITY to every request (another executor should get it). */
  refuse: boolean;
  readonly executed: string[];
  closed: boolean;
  /** Tells the kernel the offers moved. */
  update(offers: AIModelOffer[]): void;
}

export function testExecutor(name: string, runner: TestRunner, offers: AIModelOffer[]): TestExecutor {
  const listeners = new Set<(offers: readonly AIModelOffer[]) => void>();
  const executor: TestExecutor = {
    name,
    offered: offers,
    refuse: false,
    executed: [],
    closed: false,
    offers: () => executor.offered,
    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    update(next) {
      executor.offered = next;
      for (const listener of listeners) listener(next);
    },
    async execute({ pipeline, request, signal }) {
      if (executor.refuse) throw errors.ai.NO_CAPACITY.create(`${name} is full`);
      executor.executed.push(`${request.pipeline}:${request.modelId}`);
      return pipeline.run(request, { baseUrl: runner.baseUrl }, signal);
    },
    async close() {
      executor.closed = true;
    },
  };
  return executor;
}

export function pipelinesPlugin(id: string, ...pipelines: AIPipeline[]): PluginDefinition {
  return definePlugin({
    manifest: { id, version: '1.0.0', host: `^${HOST_API_VERSION}`, requires: { extensionPoints: [aiPipelinesExtensionPoint.id] } },
    register(reg) {
      reg.registerInit({ deps: { point: aiPipelinesExtensionPoint }, init: ({ point }) => pipelines.forEach((p) => point.addPipeline(p)) });
    },
  });
}

export function executorsPlugin(id: string, ...executors: AIExecutor[]): PluginDefinition {
  return definePlugin({
    manifest: { id, version: '1.0.0', host: `^${HOST_API_VERSION}`, requires: { extensionPoints: [aiExecutorsExtensionPoint.id] } },
    register(reg) {
      reg.registerInit({ deps: { point: aiExecutorsExtensionPoint }, init: ({ point }) => executors.forEach((e) => point.addExecutor(e)) });
    },
  });
}
