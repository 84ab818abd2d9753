import t, { type Test } from 'tap';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Registry } from 'prom-client';
import { errors } from '@lpx/sdk';
import { createRootServer } from '../../src/http/root-server.js';

async function server(t: Test) {
  const app = await createRootServer({ logger: pino({ level: 'silent' }), metrics: new Registry(), bodyLimitBytes: 100, readiness: async () => ({ ready: true, checks: {} }) });
  app.post('/v1/echo', { schema: { querystring: { type: 'object', properties: { n: { type: 'integer' } } }, body: { type: 'object', required: ['a'] } } }, async (r) => r.body);
  app.get('/v1/items/:id', { schema: { params: { type: 'object', properties: { id: { type: 'integer' } } } } }, async (r) => r.params);
  app.register(async (scope) => scope.put('/thing/:name', async () => ({ ok: true })), { prefix: '/plugins/p' });
  app.get('/v1/boom', async () => {
    throw Object.assign(new Error('teapot says no'), { statusCode: 418 });
  });
  t.teardown(() => app.close());
  await app.ready();
  return app;
}

const json = { 'content-type': 'application/json' };

function checkProblem(t: Test, res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code: string): Record<string, unknown> {
  t.equal(res.statusCode, status, `status ${status}`);
  t.match(String(res.headers['content-type']), /^application\/problem\+json/, 'problem+json');
  const body = JSON.parse(res.body) as Record<string, unknown>;
  t.match(body, { type: 'about:blank', title: String, status, detail: String, code });
  t.notMatch(JSON.stringify(body), /FST_/, 'no fastify code leaks');
  return body;
}

t.test('fastify body refusals carry catalogue codes', async (t) => {
  const app = await server(t);
  checkProblem(t, await app.inject({ method: 'POST', url: '/v1/echo', headers: json, payload: '{nope' }), 400, errors.http.BODY_INVALID.code);
  checkProblem(t, await app.inject({ method: 'POST', url: '/v1/echo', headers: json, payload: '' }), 400, errors.http.BODY_INVALID.code);
  checkProblem(t, await app.inject({ method: 'POST', url: '/v1/echo', headers: { 'content-type': 'application/x-foo' }, payload: 'x' }), 415, errors.http.UNSUPPORTED_MEDIA_TYPE.code);
  checkProblem(t, await app.inject({ method: 'POST', url: '/v1/echo', headers: json, payload: JSON.stringify({ a: 'x'.repeat(200) }) }), 413, errors.http.BODY_TOO_LARGE.code);
  checkProblem(t, await app.inject({ method: 'POST', url: '/v1/echo', headers: { ...json, 'content-length': '5' }, payload: '{"a":1,"b":2}' }), 400, errors.http.BODY_INVALID.code);
});

t.test('schema refusals (body, querystring, params) are BAD_REQUEST', async (t) => {
  const app = await server(t);
  checkProblem(t, await app.inject({ method: 'POST', url: '/v1/echo', headers: json, payload: '{}' }), 400, errors.http.BAD_REQUEST.code);
  checkProblem(t, await app.inject({ method: 'POST', url: '/v1/echo?n=x', headers: json, payload: '{"a":1}' }), 400, errors.http.BAD_REQUEST.code);
  checkProblem(t, await app.inject({ method: 'GET', url: '/v1/items/abc' }), 400, errors.http.BAD_REQUEST.code);
});

t.test('404, and 405 with Allow for a known path', async (t) => {
  const app = await server(t);
  checkProblem(t, await app.inject({ method: 'GET', url: '/nothing' }), 404, errors.http.NOT_FOUND.code);
  const wrong = await app.inject({ method: 'DELETE', url: '/v1/echo' });
  checkProblem(t, wrong, 405, errors.http.METHOD_NOT_ALLOWED.code);
  t.equal(wrong.headers['allow'], 'POST');
  const param = await app.inject({ method: 'POST', url: '/v1/items/7?x=1' });
  checkProblem(t, param, 405, errors.http.METHOD_NOT_ALLOWED.code);
  t.match(param.headers['allow'], /GET/);
  const prefixed = await app.inject({ method: 'GET', url: '/plugins/p/thing/x' });
  checkProblem(t, prefixed, 405, errors.http.METHOD_NOT_ALLOWED.code);
  t.equal(prefixed.headers['allow'], 'PUT', 'routes in encapsulated plugin scopes count');
  checkProblem(t, await app.inject({ method: 'GET', url: '/v1/items/7/more' }), 404, errors.http.NOT_FOUND.code);
});

t.test('a bad URL is refused as problem+json before routing', async (t) => {
  const app = await server(t);
  checkProblem(t, await app.inject({ method: 'GET', url: '/v1/items/%zz' }), 400, errors.http.URL_INVALID.code);
});

t.test("a plugin's own 4xx keeps its status under a catalogue code", async (t) => {
  const app = await server(t);
  const body = checkProblem(t, await app.inject({ method: 'GET', url: '/v1/boom' }), 418, errors.http.REQUEST_REFUSED.code);
  t.equal(body.detail, 'teapot says no');
});

async function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let out = '';
    socket.on('data', (chunk) => (out += chunk.toString('latin1')));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

t.test('malformed HTTP on the socket gets a problem+json answer, not fastify JSON', async (t) => {
  const app = await server(t);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  const answer = await raw(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n');
  t.match(answer, /^HTTP\/1\.1 400 /);
  t.match(answer, /Content-Type: application\/problem\+json/);
  t.match(answer, new RegExp(errors.http.BAD_REQUEST.code));
  const huge = await raw(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  t.match(huge, /^HTTP\/1\.1 431 /);
  t.match(huge, new RegExp(errors.http.HEADERS_TOO_LARGE.code));
});
