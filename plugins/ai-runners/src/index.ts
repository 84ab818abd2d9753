import { aiExecutorsExtensionPoint, coreServices, definePlugin, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { resolveRunnersConfig, type RawRunnersConfig } from './config/plugin-config.js';
import { nodeTagFor } from './containers/runner-spec.js';
import { RunnersExecutor } from './executor/runners-executor.js';
import { referenceRunnerImage } from './reference-image-source.js';

export { parseAIModelEntry, describeEntry, type AIModelEntry } from './config/ai-model-entry.js';
export { readAIModelsSource, parseInlineString } from './config/ai-models-source.js';
export { parseExactRational, type ExactRational } from './config/exact-price.js';
export { planModels, toOfferPrice, modelKey, type ModelPlan, type OfferPrice } from './config/model-plan.js';
export { resolveRunnersConfig, parseGpus, imageFor, DEFAULT_TIMEOUTS, type RawRunnersConfig, type RunnersConfig, type RunnerTimeouts, type ImageOverrides } from './config/plugin-config.js';
export { planSlots, type Slot, type GpuAvailability } from './slots/slot-plan.js';
export { SlotPool, type Allocation, type PooledRunner, type RunnerState } from './slots/slot-pool.js';
export { watchStep, type WatchState, type WatchDecision } from './runner/watchdog-policy.js';
export { checkHealth, readVersion, readHardwareInfo, type HealthResult } from './runner/runner-client.js';
export { waitUntilReady } from './runner/wait-ready.js';
export { probeGpus, type GpuProbeResult } from './gpu/gpu-probe.js';
export { runnerSpec, runnerName, nodeTagFor, LABELS, RUNNER_PORT } from './containers/runner-spec.js';
export { computeOffers, lowestVersion } from './executor/offers.js';
export { RunnersExecutor, type RunnersExecutorOptions } from './executor/runners-executor.js';
export { referenceRunnerImage } from './reference-image-source.js';

const manifest = manifestJson as PluginManifest;

/** Adds the `runners` AI executor (managed ai-runner containers and external runner URLs). */
export const aiRunnersPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.config,
        logger: coreServices.logger,
        metrics: coreServices.metrics,
        lifecycle: coreServices.lifecycle,
        containers: coreServices.containers,
        executors: aiExecutorsExtensionPoint,
      },
      init({ config, logger, metrics, lifecycle, containers, executors }) {
        // Config problems are refused here, before the node starts serving.
        const runnersConfig = resolveRunnersConfig(config.get<RawRunnersConfig>(), config.dataDir);
        const executor = new RunnersExecutor({ config: runnersConfig, containers, builtInImage: referenceRunnerImage, nodeTag: nodeTagFor(config.dataDir), logger, metrics });
        executors.addExecutor(executor);
        lifecycle.onStart(() => executor.start());
        // The kernel also calls close() at shutdown; it is idempotent.
        lifecycle.onShutdown(() => executor.close());
      },
    });
  },
});

export default aiRunnersPlugin;
