import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { LoggerService, PaymentsService } from '@lpx/sdk';
// Not the payments barrel: that pulls the wire codecs and protobufjs, which only network roles need (ADR 0063).
import { offchainPaymentsService } from '../payments/payments-service.js';
import { createBlobStore, type BlobStore } from '../blobs/index.js';
import { CapabilityRegistry } from '../capabilities/index.js';
import type { LoadedConfig } from '../config/load-config.js';
import { KernelDiscovery } from '../discovery/discovery-service.js';
import { SelectionRegistry } from '../selection/selection-registry.js';
import { PluginWire } from '../roles/orchestrator/plugin-wire.js';
import { KernelTranscode } from '../transcode/kernel-transcode.js';
import { KernelContainers } from '../containers/kernel-containers.js';
import { KernelAI } from '../ai/kernel-ai.js';
import { createJobsRuntime, type JobsRuntime } from './jobs-runtime.js';
import type { PreparedPlugins } from './prepare-plugins.js';
import { obtainRedis } from './redis-connection.js';
import type { TeardownStack } from './teardown-stack.js';

export interface KernelServices {
  readonly capabilities: CapabilityRegistry;
  readonly jobs: JobsRuntime;
  readonly discovery: KernelDiscovery;
  readonly selection: SelectionRegistry;
  readonly payments: PaymentsService;
  readonly redisUrl: string;
  /** node.dataDir resolved against the config file's folder, as every kernel part must read it. */
  readonly dataDir: string;
  /** Large job payloads, results and media live here; Redis holds references (docs/adr/0020-blob-store.md). */
  readonly blobs: { readonly store: BlobStore; readonly inlineMaxBytes: number };
  /** What plugins mount on the orchestrator's front door (coreServices.orchestratorWire), applied by the orchestrator role. */
  readonly wire: PluginWire;
  /** Owner of `transcode.backends`, the transcode workers and /segment's dispatch (docs/adr/0021-transcode-backends-and-dispatch.md). */
  readonly transcode: KernelTranscode;
  /** Owner of `containers.runtimes` and coreServices.containers (docs/adr/0028-container-runtime.md). */
  readonly containers: KernelContainers;
  /** Owner of `ai.pipelines` and `ai.executors`, the AI workers and the orchestrator's AI dispatch (docs/adr/0031-kernel-ai-dispatch.md). */
  readonly ai: KernelAI;
}

export function dataDirOf(loaded: LoadedConfig): string {
  return resolve(loaded.baseDir, loaded.config.node.dataDir);
}

/** Kernel singletons, created eagerly before any plugin init (see docs/adr/0002-di-scoping.md). */
export async function bootKernelServices(loaded: LoadedConfig, prepared: PreparedPlugins, logger: Logger, metrics: Registry, teardown: TeardownStack): Promise<KernelServices> {
  const { config } = loaded;
  const capabilities = new CapabilityRegistry();
  for (const plugin of prepared.byId.values()) {
    for (const declaration of plugin.definition.manifest.capabilities ?? []) {
      capabilities.declare(plugin.id, declaration, config.capabilities[declaration.id]);
    }
  }

  const redis = await obtainRedis(config.redis.url, dataDirOf(loaded), logger);
  if (redis.embedded) teardown.push('embedded redis', () => redis.embedded!.stop());
  const store = await createBlobStore(config.blobs, dataDirOf(loaded), logger.child({ component: 'blobs' }) as unknown as LoggerService, metrics);
  teardown.push('blob store', async () => store.close());
  const blobs = { store, inlineMaxBytes: config.blobs.inlineMaxBytes };
  const jobs = await createJobsRuntime({ url: redis.url, prefix: config.redis.prefix, connectTimeoutMs: config.redis.connectTimeoutMs, logger, metrics, tuning: config.jobs, blobs });
  teardown.push('jobs', () => jobs.close());
  const transcode = new KernelTranscode({ config, redisUrl: redis.url, store, jobs, logger, metrics });
  // Unwinds after the job workers drained (pushed later by the host), so backends close last.
  teardown.push('transcode', () => transcode.close());
  const containers = new KernelContainers({ dataDir: dataDirOf(loaded), settings: config.containers, logger });
  // Pushed before any plugin's stop hook, so it unwinds after every plugin stopped its containers.
  teardown.push('container runtime', () => containers.close());
  const ai = new KernelAI({ config, redisUrl: redis.url, store, jobs, logger, metrics });
  teardown.push('ai', () => ai.close());

  const wire = new PluginWire({ enabled: config.node.roles.includes('orchestrator'), secret: () => config.orchestrator.secret, runnerAddr: () => config.orchestrator.runnerAddr });
  return { capabilities, jobs, discovery: new KernelDiscovery(logger.child({ component: 'discovery' }) as unknown as LoggerService), selection: new SelectionRegistry(), payments: offchainPaymentsService, redisUrl: redis.url, dataDir: dataDirOf(loaded), blobs, wire, transcode, containers, ai };
}
