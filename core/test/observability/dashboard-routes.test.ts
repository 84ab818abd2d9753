import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Test } from 'tap';
import { fastify, type FastifyInstance } from 'fastify';
import { installProblemJson } from '../../src/http/problem-json.js';
import { registerDashboardRoutes } from '../../src/observability/dashboard/dashboard-routes.js';

function app(t: Test, dir: string): FastifyInstance {
  const server = fastify() as unknown as FastifyInstance;
  installProblemJson(server);
  registerDashboardRoutes(server, dir);
  t.teardown(() => server.close());
  return server;
}

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'lpx-dashboard-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('without a build: an HTML page for browsers, problem+json for the rest', async (t) => {
  const server = app(t, join(tempDir(t), 'dist'));
  const browser = await server.inject({ url: '/dashboard', headers: { accept: 'text/html,application/xhtml+xml' } });
  t.equal(browser.statusCode, 503);
  t.match(browser.headers['content-type'], /^text\/html/);
  t.match(browser.body, /Dashboard not built/);
  t.match(browser.body, /scripts\/bootstrap\.mjs/);
  t.match(browser.body, /LPX_ERR_DASHBOARD_ASSETS_MISSING/);
  const api = await server.inject({ url: '/dashboard' });
  t.equal(api.statusCode, 503);
  t.match(api.headers['content-type'], /^application\/problem\+json/);
  t.match(api.json(), { code: 'LPX_ERR_DASHBOARD_ASSETS_MISSING', status: 503, detail: /bootstrap/ });
});

t.test('with a build: the page with a same-origin CSP, hashed assets cached for good, nothing outside assets/', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'no');
  const server = app(t, dir);
  for (const url of ['/dashboard', '/dashboard/']) {
    const page = await server.inject({ url });
    t.equal(page.statusCode, 200, url);
    t.match(page.headers['content-type'], /^text\/html/);
    t.match(page.headers['content-security-policy'], /default-src 'self'/);
    t.equal(page.body, '<!doctype html><title>x</title>');
  }
  const js = await server.inject({ url: '/dashboard/assets/index-abc.js' });
  t.equal(js.statusCode, 200);
  t.match(js.headers['content-type'], /^text\/javascript/);
  t.match(js.headers['cache-control'], /immutable/);
  for (const url of ['/dashboard/assets/..%2Fsecret.txt', '/dashboard/assets/.env.js', '/dashboard/assets/missing-x.js', '/dashboard/assets/index-abc.exe']) {
    const refused = await server.inject({ url });
    t.equal(refused.statusCode, 404, url);
    t.equal(refused.json().code, 'LPX_ERR_HTTP_NOT_FOUND', url);
  }
});
