/**
 * The plugin's routes on a bare fastify listening on 127.0.0.1 (port 0),
 * over the pipeline double, with the official openai client pointed at it:
 * what an app sees, without a node. plugin-host.test.ts covers the plugin
 * as a node loads it.
 */
import { fastify } from 'fastify';
import OpenAI from 'openai';
import { OpenAIApi, openAIRoutes, withDefaults, type OpenAIConfig } from '../../src/index.js';
import { PipelineGatewayDouble } from './pipeline-gateway-double.js';

export interface Teardownable {
  teardown(fn: () => unknown): void;
}

export async function openAIApp(t: Teardownable, config: Partial<OpenAIConfig> = {}, options: { apiKey?: string } = {}) {
  const gateway = new PipelineGatewayDouble();
  const api = new OpenAIApi(gateway, withDefaults({ ffmpegPath: '/usr/bin/ffmpeg', ...config }));
  // Connections the client opened but never used would hold close() until they time out.
  const app = fastify({ forceCloseConnections: true });
  const settings = withDefaults(config);
  for (const route of openAIRoutes({ api, authenticate: (h) => gateway.authenticate(h), maxAudioBytes: settings.maxAudioBytes })) app.route(route);
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  // No retries: a test sees the first answer, not a retried one.
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: options.apiKey ?? 'sk-unused', maxRetries: 0 });
  return { app, url, gateway, client };
}
