/**
 * @lpx/plugin-ai-remote-worker: go-livepeer remote AI workers as the
 * `remote-workers` AI executor (docs/adr/0032-remote-ai-worker-plugin.md).
 * Workers register over `net.AIWorker`, download inputs from
 * `/ai-worker/files/...` and post results to `/aiResults` on the
 * orchestrator's port, all mounted through coreServices.orchestratorWire;
 * jobs reach them over their registration streams, which live in the
 * orchestrator process, so the node must run the orchestrator and worker
 * roles together (as for transcode-remote).
 */
import { aiExecutorsExtensionPoint, coreServices, definePlugin, errors, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { createAIWorkerGrpcService } from './grpc/ai-worker-grpc-service.js';
import { registerAIResultsRoutes } from './http/ai-results-route.js';
import { InputStore } from './http/input-store.js';
import { RemoteAIWorkerPool } from './pool/remote-ai-pool.js';
import { RemoteWorkersExecutor, type ServedModel } from './remote-executor.js';

export { REMOTE_WORKERS_EXECUTOR, RemoteWorkersExecutor, type RemoteExecutorOptions, type ServedModel } from './remote-executor.js';
export { RemoteAIWorkerPool, type AIJob, type JobResult, type RemoteAIEvent, type RemoteAIWorkerPoolOptions } from './pool/remote-ai-pool.js';
export type { WorkerFile, WorkerOutcome } from './pool/worker-outcome.js';
export { AI_WORKER_SERVICE, aiWorkerServiceDefinition, createAIWorkerGrpcService } from './grpc/ai-worker-grpc-service.js';
export { DEFAULT_MAX_RESULT_BYTES, registerAIResultsRoutes } from './http/ai-results-route.js';
export { InputStore, type InputStoreOptions } from './http/input-store.js';
export { parseMultipartResult, dispositionFilename } from './http/multipart-result.js';
export { parseTaskId, parseWorkerMediaType } from './http/result-headers.js';
export { ChunkChannel } from './http/chunk-channel.js';
export { relayEventStream, MAX_EVENT_LINE_BYTES } from './http/event-stream-relay.js';
export { encodeRequestData, INPUT_FIELD, modelField, workerJob } from './job-request.js';
export { toExecutorError } from './executor-errors.js';
export * from './wire/ai-worker-messages.js';
export * from './wire/wire-texts.js';

const manifest = manifestJson as PluginManifest;

export interface AIRemoteWorkerConfig {
  readonly models?: readonly ServedModel[];
  readonly timeoutMs?: number;
  readonly maxResultBytes?: number;
  readonly inputStoreMaxBytes?: number;
  readonly minWorkerVersion?: string;
}

export const aiRemoteWorkerPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.config, logger: coreServices.logger, lifecycle: coreServices.lifecycle, wire: coreServices.orchestratorWire, executors: aiExecutorsExtensionPoint },
      init({ config, logger, lifecycle, wire, executors }) {
        const roles = config.roles;
        // The workers' gRPC streams live in the orchestrator process and executors run where the kernel
        // runs AI jobs: only a process with both roles can reach the workers.
        if (!wire.enabled || !roles.includes('worker')) {
          throw errors.config.INVALID.create(
            `plugin ai-remote-worker needs the orchestrator and worker roles on the same node (this node runs: ${roles.join(', ') || 'none'}): remote AI workers register with the orchestrator process and jobs run in its workers`,
            { details: { key: 'node.roles', roles: [...roles] } },
          );
        }
        const settings = config.get<AIRemoteWorkerConfig>();
        if (!wire.secretConfigured) logger.warn('orchestrator.secret is not set: no remote AI worker can register, the remote-workers executor offers nothing');
        const checkSecret = (given: string): boolean => wire.secretMatches(given);
        const pool = new RemoteAIWorkerPool({
          checkSecret,
          ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
          ...(settings.minWorkerVersion !== undefined ? { minWorkerVersion: settings.minWorkerVersion } : {}),
          onEvent: (event) => logger.info({ event: { ...event, ...('error' in event ? { error: event.error.message } : {}) } }, 'remote AI worker'),
        });
        const inputs = new InputStore(settings.inputStoreMaxBytes !== undefined ? { maxBytes: settings.inputStoreMaxBytes } : {});
        const executor = new RemoteWorkersExecutor({
          pool,
          inputs,
          serviceUri: () => wire.serviceUri(),
          ...(settings.models !== undefined ? { models: settings.models } : {}),
          onUnlisted: (model) => logger.warn({ pipeline: model.pipeline, modelId: model.modelId }, 'a remote AI worker serves a model the plugin config does not list; it is not offered'),
        });
        const service = createAIWorkerGrpcService(pool);
        wire.addGrpcService(service.definition, service.implementation);
        wire.register(async (scope) => {
          registerAIResultsRoutes(scope, {
            pool,
            inputs,
            checkSecret,
            ...(settings.maxResultBytes !== undefined ? { maxResultBytes: settings.maxResultBytes } : {}),
            onError: (err) => logger.debug({ err }, 'remote AI worker route refused'),
          });
        });
        executors.addExecutor(executor);
        lifecycle.onShutdown(() => executor.close());
      },
    });
  },
});

export default aiRemoteWorkerPlugin;
