import { coreServices, definePlugin, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { OpenAIApi } from './openai-api.js';
import { withDefaults, type OpenAIConfig } from './openai-config.js';
import { openAIRoutes } from './openai-routes.js';

export { OpenAIApi, type CallContext, type ChatAnswer } from './openai-api.js';
export { openAIRoutes, type RouteDeps } from './openai-routes.js';
export { DEFAULT_CONFIG, DEFAULT_VOICES, withDefaults, type OpenAIConfig } from './openai-config.js';
export { openAIModels, ModelCatalog, type OpenAIModel } from './model-catalog.js';
export { openAIErrorBody, type OpenAIErrorBody } from './openai-errors.js';
export { srt, vtt } from './transcription-response.js';

const manifest = manifestJson as PluginManifest;

/**
 * An OpenAI-compatible API on a gateway node: OpenAI's paths at the root of
 * the HTTP port, each routed through coreServices.gateway.ai to the Livepeer
 * pipeline that does the work, paid by the caller's tenant.
 */
export const gatewayOpenAIPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.config, logger: coreServices.logger, http: coreServices.http, gateway: coreServices.gateway },
      init({ config, logger, http, gateway }) {
        const settings = withDefaults(config.get<Partial<OpenAIConfig>>());
        if (!gateway.enabled) logger.warn('this node has no gateway role: OpenAI-compatible requests will be refused with LPX_ERR_GATEWAY_NOT_ENABLED');
        const api = new OpenAIApi(gateway, settings);
        const routes = openAIRoutes({
          api,
          authenticate: (authorization) => gateway.authenticate(authorization),
          maxAudioBytes: settings.maxAudioBytes,
          log: (err, message) => logger.warn({ err }, message),
        });
        for (const route of routes) http.rootRoute(route);
      },
    });
  },
});

export default gatewayOpenAIPlugin;
