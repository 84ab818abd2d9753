/**
 * @lpx/plugin-byoc-stream: go-livepeer's BYOC streaming on the orchestrator
 * (`/ai/stream/*`) for the apps `byoc-host` hosts — external workers
 * registered over `/capability/register` and partner container apps alike
 * (docs/adr/0047-byoc-streams-on-the-orchestrator.md).
 */
import { byocHostedServiceRef, coreServices, definePlugin, trickleServiceRef, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { streamRoutes } from './stream-routes.js';
import { DEBIT_INTERVAL_MS, StreamTable } from './stream-table.js';

export { DEBIT_INTERVAL_MS, DEBIT_UNITS, StreamTable, type StreamRecord } from './stream-table.js';
export { MIN_BALANCE_SECONDS } from './start-stream.js';
export { STREAM_ROUTES } from './stream-routes.js';
export { STREAM_ID_HEADER } from './app-calls.js';

const manifest = manifestJson as PluginManifest;

export interface ByocStreamConfig {
  readonly debitIntervalMs?: number;
}

/** How long the app gets to hear of a stop when the node shuts down. */
const SHUTDOWN_STOP_MS = 5_000;

export const byocStreamPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.config,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        capabilities: coreServices.capabilities,
        wire: coreServices.orchestratorWire,
        hosted: byocHostedServiceRef,
        trickle: trickleServiceRef,
      },
      init({ config, logger, lifecycle, capabilities, wire, hosted, trickle }) {
        if (!wire.enabled) {
          logger.info('BYOC streams are served by orchestrators: this node does not run the role');
          return;
        }
        const settings = config.get<ByocStreamConfig>();
        const table = new StreamTable({ capabilities, trickle, payments: wire.payments, logger, debitIntervalMs: settings.debitIntervalMs ?? DEBIT_INTERVAL_MS });
        wire.register(streamRoutes({ wire, hosted, capabilities, trickle, table, logger, now: () => Date.now() }));

        let unsubscribe: (() => void) | undefined;
        lifecycle.onStart(() => {
          // An app that goes away takes its streams with it (go-livepeer leaves them to the idle sweep).
          unsubscribe = hosted.onChange((apps) => {
            const ready = new Set(apps.filter((app) => app.ready).map((app) => app.name));
            for (const stream of table.list()) {
              if (!ready.has(stream.capability)) void table.stop(stream.id, 'its app went away or became unready', SHUTDOWN_STOP_MS);
            }
          });
        });
        // Streams are taken out at the first sign of shutdown, before other plugins (trickle) unwind,
        // so each app hears why its stream ended.
        let stopping: Promise<void> | undefined;
        const stopAll = (): Promise<void> => (stopping ??= table.stopAll('the orchestrator is shutting down', SHUTDOWN_STOP_MS));
        lifecycle.signal.addEventListener('abort', () => void stopAll(), { once: true });
        lifecycle.onShutdown(async () => {
          unsubscribe?.();
          await stopAll();
        });
      },
    });
  },
});

export default byocStreamPlugin;
