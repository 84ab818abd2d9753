// Every route a node serves says what it is (ADR 0058, plugin route schemas):
// the nodes of scripts/openapi/role-documents.ts are booted (kernel, roles, and
// the plugins that serve HTTP for the gateway and the orchestrator's front door)
// and every route fastify registered must have a summary, a tag and a response
// for its success status; plugin routes and the dashboard must document their
// refusals too. A route without a schema fails the same check, so it can fail.
import t, { type Test } from 'tap';
import pino from 'pino';
import { Registry } from 'prom-client';
import { problemSchema, routeSchema, jsonResponse, problemResponses } from '@lpx/sdk';
import { generateRoleDocuments } from '../../../scripts/openapi/role-documents.js';
import { createRootServer } from '../../src/http/root-server.js';
import { PluginHttpFacade } from '../../src/http/plugin-http-facade.js';
import { documentedRoutes, missingRouteDocs, openApiDocument, registeredRouteSchemas, routeDocGaps } from '../../src/http/openapi/index.js';

const servers = await generateRoleDocuments();
const byName = new Map(servers.map((server) => [server.name, server]));

// A route is the plugins' when the same role booted without plugins does not have it.
const BASE: Readonly<Record<string, string>> = { 'gateway-plugins': 'gateway', 'orchestrator-plugins': 'orchestrator' };
// Kernel routes that refuse; the probes (/healthz, /metrics, /status, /events, ...) never do.
const KERNEL_REFUSING = [/^GET \/dashboard(\/|$)/, /^GET \/v1\/blobs\//, /^POST \/(segment|payment)$/];
// Plugin routes that answer every request (public listings), as the kernel's probes do.
const NEVER_REFUSE = new Set(['GET /discovery']);

t.test('the plugin documents load the plugins they are for', async (t) => {
  t.same(Object.keys(BASE).map((name) => byName.has(name)), [true, true]);
  const gateway = byName.get('gateway-plugins')!.registered;
  t.ok(gateway.includes('POST /v1/chat/completions'), 'gateway-openai');
  t.ok(gateway.includes('POST /live/{manifestId}/{file}'), 'video-ingest');
  const door = byName.get('orchestrator-plugins')!.registered;
  for (const route of ['GET /ai/trickle/{*}', 'POST /transcodeResults', 'POST /aiResults', 'POST /capability/register', 'POST /ai/stream/start', 'GET /discovery']) t.ok(door.includes(route), route);
});

for (const server of servers) {
  t.test(`${server.name}: every route has a summary, a tag and its responses`, async (t) => {
    const base = BASE[server.name] === undefined ? undefined : new Set(byName.get(BASE[server.name]!)!.registered);
    const pluginRoute = (operation: string) => base !== undefined && !base.has(operation);
    const gaps = routeDocGaps(server.routes, { requireErrors: (operation) => (pluginRoute(operation) && !NEVER_REFUSE.has(operation)) || KERNEL_REFUSING.some((pattern) => pattern.test(operation)) });
    t.same(gaps, [], 'no route is missing documentation');
    t.same(server.routes.map((route) => route.operation), server.registered, 'the check saw every registered route');
  });
}

t.test('/status, /events and /dashboard say what they answer', async (t) => {
  const paths = byName.get('worker')!.document.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
  t.ok(paths['/status']?.get?.responses['200']?.content?.['application/json'], '/status: JSON');
  t.ok(paths['/events']?.get?.responses['200']?.content?.['text/event-stream'], '/events: an event stream');
  t.ok(paths['/dashboard']?.get?.responses['200']?.content?.['text/html'], '/dashboard: HTML');
  t.ok(paths['/dashboard']?.get?.responses['503']?.content?.['application/problem+json'], '/dashboard: problem+json when not built');
});

t.test('the documents are OpenAPI 3.0 in shape: every operation has described responses', async (t) => {
  const wrong: string[] = [];
  for (const server of servers) {
    t.equal(server.document.openapi, '3.0.3', server.name);
    for (const [path, item] of Object.entries(server.document.paths)) {
      if (!path.startsWith('/')) wrong.push(`${server.name} ${path}: not a path`);
      for (const [method, operation] of Object.entries(item)) {
        if (method.startsWith('x-')) continue;
        const responses = Object.entries((operation as { responses?: Record<string, { description?: unknown }> }).responses ?? {});
        if (responses.length === 0 || responses.some(([, response]) => typeof response.description !== 'string' || response.description === '')) wrong.push(`${server.name} ${method.toUpperCase()} ${path}`);
      }
    }
  }
  t.same(wrong, [], 'operations with no response or an undescribed one');
});

async function edgeWith(t: Test, routes: (http: PluginHttpFacade) => void) {
  const app = await createRootServer({ logger: pino({ level: 'silent' }), metrics: new Registry(), bodyLimitBytes: 1024, readiness: async () => ({ ready: true, checks: {} }) });
  const http = new PluginHttpFacade('probe');
  routes(http);
  http.mount(app);
  t.teardown(() => app.close());
  await app.ready();
  return app;
}

t.test('the check fails for a plugin route without a schema, or without its refusals', async (t) => {
  const app = await edgeWith(t, (http) => {
    http.route({ method: 'GET', url: '/bare', handler: async () => ({}) });
    http.route({ method: 'GET', url: '/happy-only', schema: routeSchema({ summary: 'Only the good case', tags: ['probe'], response: { 200: jsonResponse('ok', { type: 'object', additionalProperties: true }) } }), handler: async () => ({}) });
    http.route({ method: 'GET', url: '/documented', schema: routeSchema({ summary: 'Both', tags: ['probe'], response: { 200: jsonResponse('ok', { type: 'object', additionalProperties: true }), ...problemResponses({ 404: 'none' }) } }), handler: async () => ({}) });
  });
  const routes = registeredRouteSchemas(app).filter((route) => route.operation.includes('/plugins/probe/'));
  t.same(routeDocGaps(routes, { requireErrors: () => true }), [
    { operation: 'GET /plugins/probe/bare', missing: ['summary', 'tags', 'success response', 'error responses'] },
    { operation: 'GET /plugins/probe/happy-only', missing: ['error responses'] },
  ]);
  t.same(missingRouteDocs(routes.find((route) => route.operation.endsWith('/documented'))!, true), []);
  t.same(documentedRoutes(openApiDocument(app)).filter((route) => route.includes('/plugins/probe/')), routes.map((route) => route.operation), 'still listed in the document');
});

t.test('routeSchema refuses a schema that cannot document a route', async (t) => {
  const ok = { 200: jsonResponse('ok', { type: 'object' }) };
  t.throws(() => routeSchema({ summary: ' ', tags: ['p'], response: ok }), { code: 'LPX_ERR_PLUGIN_REGISTER_INVALID', message: /summary/ });
  t.throws(() => routeSchema({ summary: 'x', tags: [] as unknown as [string], response: ok }), { code: 'LPX_ERR_PLUGIN_REGISTER_INVALID', message: /tag/ });
  t.throws(() => routeSchema({ summary: 'x', tags: ['p'], response: problemResponses({ 400: 'no' }) }), { code: 'LPX_ERR_PLUGIN_REGISTER_INVALID', message: /2xx/ });
  t.throws(() => routeSchema({ summary: 'x', tags: ['p'], body: { type: 'object' }, requestBody: { content: { 'application/json': { type: 'object' } } }, response: ok }), { code: 'LPX_ERR_PLUGIN_REGISTER_INVALID', message: /exclude/ });
});

t.test('requestBody is documented, never validated; body is validated; refusals use the kernel problem schema', async (t) => {
  const object = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
  const app = await edgeWith(t, (http) => {
    http.route({ method: 'POST', url: '/raw', schema: routeSchema({ summary: 'Reads its own body', tags: ['probe'], requestBody: { content: { 'application/json': object } }, response: { 200: jsonResponse('echo', { type: 'object', additionalProperties: true }) } }), handler: async (request) => ({ got: request.body }) });
    http.route({ method: 'POST', url: '/checked', schema: routeSchema({ summary: 'Validated body', tags: ['probe'], body: object, response: { 200: jsonResponse('echo', { type: 'object', additionalProperties: true }), ...problemResponses({ 400: 'bad body' }) } }), handler: async (request) => ({ got: request.body }) });
  });
  const raw = await app.inject({ method: 'POST', url: '/plugins/probe/raw', headers: { 'content-type': 'application/json' }, payload: '{"other":1}' });
  t.equal(raw.statusCode, 200, 'a body outside the documented shape still reaches the handler');
  t.same(raw.json(), { got: { other: 1 } }, 'and the reply keeps every field');
  const checked = await app.inject({ method: 'POST', url: '/plugins/probe/checked', headers: { 'content-type': 'application/json' }, payload: '{"other":1}' });
  t.equal(checked.statusCode, 400);
  t.equal(checked.json().code, 'LPX_ERR_HTTP_BAD_REQUEST');
  const doc = openApiDocument(app).paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  t.match(doc['/plugins/probe/raw']?.post?.requestBody?.content['application/json']?.schema, { required: ['name'] }, 'the documented body is in the document');
  t.notOk(JSON.stringify(doc['/plugins/probe/raw']).includes('x-lpx-request-body'), 'the carrier key is not');
  t.match(doc['/plugins/probe/checked']?.post?.responses['400']?.content?.['application/problem+json']?.schema, { required: problemSchema.required });
});
