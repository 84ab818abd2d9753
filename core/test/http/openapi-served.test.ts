// GET /openapi.json on a running node: the HTTP port lists the kernel's routes
// with their schemas and the routes a plugin added through its HTTP facade
// (prefixed and root); the orchestrator's TLS front door serves its own.
import t from 'tap';
import { request } from 'undici';
import { coreServices, definePlugin } from '@lpx/sdk';
import { makeHost } from '../../../test/helpers/host.js';
import { insecureAgent } from '../network/helpers/remote-transcoder-node.js';

interface Doc {
  openapi: string;
  paths: Record<string, Record<string, { summary?: string; responses?: Record<string, unknown>; parameters?: { name: string; in: string }[] }>>;
}

const routes = definePlugin({
  manifest: { id: 'docs-test', version: '0.1.0', host: '^0.1.0', requires: { services: ['core.http'] } },
  register(reg) {
    reg.registerInit({
      deps: { http: coreServices.http },
      init: ({ http }) => {
        http.route({ method: 'GET', url: '/things/:id', schema: { summary: 'One thing', params: { type: 'object', properties: { id: { type: 'string' } } } }, handler: async () => ({ ok: true }) });
        http.route({ method: 'POST', url: '/bare', handler: async () => ({ ok: true }) });
        http.rootRoute({ method: 'GET', url: '/v1/models', handler: async () => ({ data: [] }) });
      },
    });
  },
});

t.test('the node port documents kernel and plugin routes', async (t) => {
  const host = makeHost(t, [routes]);
  await host.start();
  const res = await request(`${host.url}/openapi.json`);
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  const doc = (await res.body.json()) as Doc;
  t.equal(doc.openapi, '3.0.3');
  t.equal(doc.paths['/healthz']?.get?.summary, 'Liveness: the process answers');
  t.ok(doc.paths['/readyz']?.get?.responses?.['503'], 'readyz documents its 503');
  t.equal(doc.paths['/plugins/docs-test/things/{id}']?.get?.summary, 'One thing', "the plugin's schema");
  t.same(doc.paths['/plugins/docs-test/things/{id}']?.get?.parameters?.map((p) => [p.in, p.name]), [['path', 'id']]);
  t.ok(doc.paths['/plugins/docs-test/bare']?.post, 'a route without a schema is still listed');
  t.ok(doc.paths['/v1/models']?.get, "a plugin's root route");
  // Documenting a route must not change its reply.
  t.same(await (await request(`${host.url}/healthz`)).body.json(), { status: 'ok' });
});

t.test('a plugin cannot take /openapi.json', async (t) => {
  const taker = definePlugin({
    manifest: { id: 'taker', version: '0.1.0', host: '^0.1.0', requires: { services: ['core.http'] } },
    register(reg) {
      reg.registerInit({ deps: { http: coreServices.http }, init: ({ http }) => http.rootRoute({ method: 'GET', url: '/openapi.json', handler: async () => ({}) }) });
    },
  });
  const host = makeHost(t, [taker]);
  await t.rejects(host.start(), { code: 'LPX_ERR_PLUGIN_INIT_FAILED', message: /\/openapi.json belongs to the kernel/ });
});

t.test("the orchestrator's front door serves its own document over TLS", async (t) => {
  const host = makeHost(t, [], { node: { roles: ['orchestrator'] }, orchestrator: { port: 0, secret: 'openapi-secret' } });
  await host.start();
  const res = await request(`${host.serviceUri}/openapi.json`, { dispatcher: insecureAgent });
  t.equal(res.statusCode, 200);
  const doc = (await res.body.json()) as Doc;
  t.ok(doc.paths['/segment']?.post, "go-livepeer's /segment");
  t.ok(doc.paths['/process/token']?.get, 'BYOC /process/token');
  t.notOk(doc.paths['/healthz'], "the node port's routes are not on the door");
});
