import { coreServices, definePlugin, discoveryStrategiesExtensionPoint, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { WebhookDiscoveryStrategy } from './webhook-strategy.js';

export { fetchWebhookBody, type FetchWebhookOptions } from './fetch-webhook.js';
export { parseWebhookBody, type ParsedWebhookBody } from './parse-webhook-body.js';
export { WebhookDiscoveryStrategy, type WebhookDiscoveryOptions } from './webhook-strategy.js';

export interface WebhookDiscoveryConfig {
  url: string;
  refreshMs: number;
  timeoutMs: number;
  headers: Record<string, string>;
}

const manifest = manifestJson as PluginManifest;

/** Contributes the `webhook` discovery strategy from `plugins.discovery-webhook.config`. */
export const discoveryWebhookPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.config, logger: coreServices.logger, lifecycle: coreServices.lifecycle, strategies: discoveryStrategiesExtensionPoint },
      init({ config, logger, lifecycle, strategies }) {
        const settings = config.get<WebhookDiscoveryConfig>();
        const strategy = new WebhookDiscoveryStrategy({ ...settings, logger });
        strategies.addStrategy(strategy);
        // go-livepeer fetches once in the background at construction so the first job finds a warm list.
        lifecycle.onStart(() => {
          strategy.refresh().catch((error: unknown) => logger.warn({ code: (error as { code?: string }).code }, `initial discovery webhook fetch failed: ${(error as Error).message}`));
        });
        lifecycle.onShutdown(() => strategy.close());
      },
    });
  },
});

export default discoveryWebhookPlugin;
