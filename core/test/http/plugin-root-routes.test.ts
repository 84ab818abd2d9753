// Which root paths a plugin may take on the HTTP edge: kernel paths are refused at init,
// OpenAI's namespaces under /v1 are left to plugins (ADR 0035).
import t from 'tap';
import { fastify } from 'fastify';
import { PluginHttpFacade } from '../../src/http/plugin-http-facade.js';

const handler = async () => ({ ok: true });

t.test('kernel paths stay reserved, /v1 included', async (t) => {
  const facade = new PluginHttpFacade('p');
  for (const url of ['/v1', '/v1/jobs/ai/llm', '/v1/blobs/:id', '/v1/transcode/backends', '/v1/modelsx', '/plugins/x', '/healthz', '/metrics', '/status', '/dashboard/assets/x.js']) {
    t.throws(() => facade.rootRoute({ method: 'GET', url, handler }), { code: 'LPX_ERR_HTTP_ROOT_ROUTE_RESERVED' }, url);
  }
});

t.test("OpenAI's namespaces under /v1 mount at the root next to the kernel's /v1 routes", async (t) => {
  const facade = new PluginHttpFacade('openai');
  for (const url of ['/v1/models', '/v1/models/:id', '/v1/chat/completions', '/v1/images/generations', '/v1/audio/speech', '/v1/audio/transcriptions']) {
    facade.rootRoute({ method: url === '/v1/models' || url === '/v1/models/:id' ? 'GET' : 'POST', url, handler });
  }
  const app = fastify();
  app.get('/v1/jobs/:domain/:name/:id', async () => ({ kernel: true }));
  facade.mount(app);
  await app.ready();
  t.teardown(() => app.close());
  t.same((await app.inject({ method: 'GET', url: '/v1/models' })).json(), { ok: true });
  t.same((await app.inject({ method: 'POST', url: '/v1/chat/completions', payload: {} })).json(), { ok: true });
  t.same((await app.inject({ method: 'GET', url: '/v1/jobs/ai/llm/1' })).json(), { kernel: true });
});
