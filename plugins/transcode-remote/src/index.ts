/**
 * @lpx/plugin-transcode-remote: go-livepeer remote transcoders as the
 * `remote` transcode backend. Transcoders register over `net.Transcoder` and
 * post results to `/transcodeResults` on the orchestrator's port, both
 * mounted through coreServices.orchestratorWire; tasks reach them over their
 * registration streams, which live in the orchestrator process, so the node
 * must run the orchestrator and worker roles together.
 */
import { coreServices, definePlugin, errors, transcodeBackendsExtensionPoint, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { createTranscoderGrpcService } from './grpc/transcoder-grpc-service.js';
import { SegmentStore } from './http/segment-store.js';
import { registerStreamRoute } from './http/stream-route.js';
import { registerTranscodeResultsRoute } from './http/transcode-results-route.js';
import { RemoteTranscoderPool } from './pool/remote-transcoder-pool.js';
import { RemoteTranscodeBackend } from './remote-backend.js';

export { REASON, REMOTE_BACKEND_NAME, RemoteTranscodeBackend, type RemoteBackendOptions } from './remote-backend.js';
export { defaultTaskTimeoutMs, defaultTranscoderCapabilities, RemoteTranscoderPool, type PoolStats, type RemoteTranscoderPoolOptions, type TranscodeJob } from './pool/remote-transcoder-pool.js';
export type { TranscoderEntry, TranscoderLink } from './pool/transcoder-entry.js';
export type { TaskOutcome, TaskResult, TranscodedRendition } from './pool/task-table.js';
export { createTranscoderGrpcService, type TranscoderGrpcService } from './grpc/transcoder-grpc-service.js';
export { TRANSCODER_SERVICE, transcoderServiceDefinition } from './grpc/transcoder-service-definition.js';
export { DEFAULT_STORE_MAX_ENTRIES, pathSegment, SegmentStore, type SegmentStoreOptions } from './http/segment-store.js';
export { registerStreamRoute, STREAM_PATH_PREFIX } from './http/stream-route.js';
export { registerTranscodeResultsRoute, TRANSCODE_RESULTS_PATH } from './http/transcode-results-route.js';
export { parseInt64, resultFromMultipart } from './http/result-parts.js';
export { bitstringOf, DEFAULT_CAPABILITY_IDS, jobCapabilitiesFor } from './wire/capabilities.js';
export * from './wire/register-messages.js';
export { profilesField, wireProfile } from './wire/wire-profiles.js';
export { INVALID_PROFILES, MIN_RENDITION_BYTES, TRANSCODER_TEXT } from './wire/wire-texts.js';

const manifest = manifestJson as PluginManifest;

export interface TranscodeRemoteConfig {
  readonly maxResultBytes?: number;
  readonly storeMaxBytes?: number;
  readonly taskTimeoutMs?: number;
}

export const transcodeRemotePlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.config, logger: coreServices.logger, lifecycle: coreServices.lifecycle, wire: coreServices.orchestratorWire, backends: transcodeBackendsExtensionPoint },
      init({ config, logger, lifecycle, wire, backends }) {
        const roles = config.roles;
        // The transcoders' gRPC streams live in the orchestrator process and the kernel runs
        // transcode tasks in worker processes: only a process with both can reach them.
        if (!wire.enabled || !roles.includes('worker')) {
          throw errors.config.INVALID.create(
            `plugin transcode-remote needs the orchestrator and worker roles on the same node (this node runs: ${roles.join(', ') || 'none'}): remote transcoders register with the orchestrator process and tasks run in its workers`,
            { details: { key: 'node.roles', roles: [...roles] } },
          );
        }
        const settings = config.get<TranscodeRemoteConfig>();
        if (!wire.secretConfigured) logger.warn('orchestrator.secret is not set: no remote transcoder can register, the remote backend stays unavailable');
        let backend: RemoteTranscodeBackend | undefined;
        const pool = new RemoteTranscoderPool({
          checkSecret: (given) => wire.secretMatches(given),
          logger,
          onChange: () => backend?.changed(),
          ...(settings.taskTimeoutMs !== undefined ? { taskTimeoutMs: () => settings.taskTimeoutMs! } : {}),
        });
        const store = new SegmentStore(settings.storeMaxBytes !== undefined ? { maxBytes: settings.storeMaxBytes } : {});
        backend = new RemoteTranscodeBackend({ pool, store, wire });
        const service = createTranscoderGrpcService(pool, { onError: (err) => logger.info({ err }, 'remote transcoder registration refused') });
        wire.addGrpcService(service.definition, service.implementation);
        wire.register(async (scope) => {
          registerTranscodeResultsRoute(scope, { pool, ...(settings.maxResultBytes !== undefined ? { maxBodyBytes: settings.maxResultBytes } : {}) });
          registerStreamRoute(scope, store);
        });
        backends.addBackend(backend);
        lifecycle.onShutdown(() => pool.close());
      },
    });
  },
});

export default transcodeRemotePlugin;
