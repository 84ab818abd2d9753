/**
 * @lpx/plugin-ai-live-runner: the batch AI models this orchestrator serves,
 * as single-shot go-livepeer Live Runner apps (docs/adr/0050), so clients
 * that only speak Live Runner — go-livepeer after PR #4036 retired the batch
 * routes, lpx gateways falling back — can still reach them. Every model of an
 * `ai/<pipeline>` capability with capacity becomes a static runner in
 * `live-runner.registry` (model-app.ts); its calls run through the kernel's
 * AI dispatch on the node's AI workers (bridge-server.ts). The list follows
 * the capability registry: models that come, go, change capacity or price
 * are re-registered on the next look, in order.
 */
import { coreServices, definePlugin, liveRunnerRegistryRef, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { BridgeServer } from './bridge-server.js';
import { modelOffers, planApp } from './model-app.js';

export { appName, fixedPrice, labelFor, modelOffers, planApp, type AppPlan, type ModelOffer } from './model-app.js';
export { BridgeServer, ERROR_CODE_HEADER, type BridgedModel } from './bridge-server.js';

const manifest = manifestJson as PluginManifest;

export interface AILiveRunnerConfig {
  readonly maxUnits?: Readonly<Record<string, string>>;
  readonly pipelines?: readonly string[];
  readonly syncIntervalMs?: number;
}

/** Bodies above this are refused before the kernel's own ai.limits (which is lower by default). */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

export const aiLiveRunnerPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.config,
        logger: coreServices.logger,
        metrics: coreServices.metrics,
        lifecycle: coreServices.lifecycle,
        capabilities: coreServices.capabilities,
        wire: coreServices.orchestratorWire,
        runners: liveRunnerRegistryRef,
      },
      init({ config, logger, metrics, lifecycle, capabilities, wire, runners }) {
        if (!runners.enabled || !wire.enabled) {
          logger.info('live runners are not served on this node (no orchestrator role): AI models are not exposed as Live Runner apps');
          return;
        }
        const settings = config.get<AILiveRunnerConfig>();
        const maxUnits = new Map(Object.entries(settings.maxUnits ?? {}).map(([pipeline, units]) => [pipeline, BigInt(units)]));
        const only = settings.pipelines === undefined ? undefined : new Set(settings.pipelines);
        const calls = metrics.counter<'pipeline' | 'outcome'>({ name: 'calls_total', help: 'Live Runner calls of AI model apps by outcome (ok, refused = 4xx, failed = 5xx)', labelNames: ['pipeline', 'outcome'] });
        const exposed = metrics.gauge({ name: 'apps', help: 'AI models exposed as Live Runner apps' });
        const server = new BridgeServer({
          serveAI: (request) => wire.serveAI(request),
          maxBodyBytes: MAX_BODY_BYTES,
          onServed: ({ model, outcome, status, error }) => {
            calls.inc({ pipeline: model.pipeline, outcome });
            if (outcome !== 'ok') logger.info({ pipeline: model.pipeline, model: model.modelId, status, err: error }, 'AI Live Runner call not served');
          },
        });

        // label → what was registered (JSON), so unchanged models are not upserted every look.
        const registered = new Map<string, { readonly spec: string; readonly key: string }>();
        const refusedBefore = new Map<string, string>();
        let queue: Promise<void> = Promise.resolve();
        let stopped = false;

        const sync = async (): Promise<void> => {
          const paid = wire.payments.enabled;
          const wanted = new Map<string, { key: string; spec: string; plan: ReturnType<typeof planApp> & { ok: true }; pipeline: string; modelId: string }>();
          for (const offer of modelOffers(capabilities.list())) {
            if (only !== undefined && !only.has(offer.pipeline)) continue;
            const key = Buffer.from(`${offer.pipeline}\n${offer.modelId}`).toString('base64url');
            const plan = planApp(offer, { paid, maxUnits: maxUnits.get(offer.pipeline), runnerUrl: server.urlFor(key) });
            const label = `ai/${offer.pipeline}/${offer.modelId}`;
            if (!plan.ok) {
              if (refusedBefore.get(label) !== plan.reason) logger.warn({ app: `${offer.pipeline}/${offer.modelId}`, reason: plan.reason }, 'AI model not exposed as a Live Runner app');
              refusedBefore.set(label, plan.reason);
              continue;
            }
            refusedBefore.delete(label);
            wanted.set(plan.runner.label, { key, spec: JSON.stringify(plan.runner), plan, pipeline: offer.pipeline, modelId: offer.modelId });
          }
          for (const label of [...registered.keys()]) {
            if (wanted.has(label)) continue;
            await runners.removeStatic(label);
            server.delete(registered.get(label)!.key);
            registered.delete(label);
            logger.info({ app: label.slice('ai/'.length) }, 'AI model gone or out of capacity: its Live Runner app is removed');
          }
          for (const [label, want] of wanted) {
            if (registered.get(label)?.spec === want.spec) continue;
            server.set(want.key, { pipeline: want.pipeline, modelId: want.modelId, ...(want.plan.maxUnits !== undefined ? { maxUnits: want.plan.maxUnits } : {}) });
            try {
              const [view] = await runners.registerStatic([want.plan.runner]);
              if (!registered.has(label)) logger.info({ app: want.plan.runner.app, runnerId: view?.runnerId, capacity: want.plan.runner.capacity, price: want.plan.runner.price }, 'AI model exposed as a single-shot Live Runner app');
              registered.set(label, { spec: want.spec, key: want.key });
            } catch (err) {
              logger.warn({ err, app: want.plan.runner.app }, 'AI model app refused by the live runner registry');
            }
          }
          exposed.set({}, registered.size);
        };
        const schedule = () => {
          if (stopped) return;
          queue = queue.then(sync).catch((err: unknown) => logger.warn({ err }, 'bridging AI models to Live Runner failed'));
        };

        let timer: NodeJS.Timeout | undefined;
        lifecycle.onStart(async () => {
          await server.listen();
          schedule();
          // Model capacity moves with the AI workers' heartbeats; the registry has no event for plugins.
          timer = setInterval(schedule, settings.syncIntervalMs ?? 1000);
          timer.unref();
          await queue;
        });
        lifecycle.onShutdown(async () => {
          stopped = true;
          clearInterval(timer);
          await queue;
          await server.close();
        });
      },
    });
  },
});

export default aiLiveRunnerPlugin;
