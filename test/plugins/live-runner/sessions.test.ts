// The Live Runner on an offchain lpx orchestrator, through a real front door
// with a real runner app (helpers/runner-app.ts): discovery, persistent
// sessions proxied over HTTP, SSE and WebSocket with go-livepeer's four
// injected headers, single-shot calls, stop, capacity, unknown runners and
// the generated proxy URLs. Offchain: no payment challenge, no price.
import { connect } from 'node:http2';
import t from 'tap';
import { call } from './helpers/live-runner-client.js';
import { startLiveRunnerNode, until } from './helpers/node.js';
import { startRunnerApp } from './helpers/runner-app.js';
import { connectWebSocket } from './helpers/websocket.js';

t.test('persistent sessions: discovery, reserve, HTTP / SSE / WebSocket through the proxy, stop', async (t) => {
  const app = await startRunnerApp();
  t.teardown(() => app.close());
  const { uri } = await startLiveRunnerNode(t, {
    config: {
      runners: [
        { label: 'scope-a', routing: 'label', runner_url: app.url, health_url: '/health', app: 'live-video-to-video/scope', version: '1.4.0', metadata: '{"region":"test"}', mode: 'persistent', capacity: 1, gpu: { id: '0', name: 'NVIDIA L40S', vram_mb: 46068 }, price_info: { price: '12345', unit: 'seconds' } },
        { label: 'batch', runner_url: app.url, health_url: `${app.url}/health`, app: 'text-to-image/sd', mode: 'single_shot', capacity: 2 },
      ],
    },
  });

  const discovery = await call(`${uri}/discovery`);
  t.equal(discovery.status, 200);
  const [entry] = discovery.json<{ address: string; runners: Record<string, unknown>[] }[]>() as unknown as { address: string; runners: Record<string, unknown>[] }[];
  t.equal(entry!.address, uri, 'the orchestrator address is the service URI');
  const scope = entry!.runners.find((r) => r['app'] === 'live-video-to-video/scope')!;
  t.same(scope, { url: `${uri}/apps/scope-a/session`, gpu: { id: '0', name: 'NVIDIA L40S', vram_mb: 46068 }, app: 'live-video-to-video/scope', version: '1.4.0', metadata: '{"region":"test"}', mode: 'persistent', capacity: 1, capacity_used: 0, capacity_available: 1 }, 'label routing, no price offchain');
  const batch = entry!.runners.find((r) => r['app'] === 'text-to-image/sd')!;
  t.match(batch['url'], new RegExp(`^${uri}/apps/runner_[a-z2-7]+/app$`), 'a single-shot runner by its generated id');
  t.notOk(discovery.text.includes(app.url), 'the private runner URL never leaks');

  const reserved = await call(`${uri}/apps/scope-a/session`, { method: 'POST' });
  t.equal(reserved.status, 200);
  const session = reserved.json<{ session_id: string; app_url: string; control_url: string }>();
  t.equal(session.app_url, `${uri}/apps/scope-a/session/${session.session_id}/app`);
  t.equal(session.control_url, `${uri}/apps/scope-a/session/${session.session_id}`);

  const full = await call(`${uri}/apps/scope-a/session`, { method: 'POST' });
  t.equal(full.status, 503, 'capacity counts sessions');
  t.equal(full.text, 'no capacity available for runner\n');
  t.equal(full.headers['lpx-error-code'], 'LPX_ERR_LIVE_RUNNER_NO_CAPACITY');
  t.equal((await call(`${uri}/discovery`)).json<{ runners: { capacity_used: number }[] }[]>()[0]!.runners.find(() => true)!.capacity_used >= 0, true);

  const echoed = await call(`${session.app_url}/v1/echo?verbose=true&x=1`, { method: 'PUT', headers: { 'content-type': 'text/plain', 'x-client': 'c1' }, body: 'payload' });
  t.equal(echoed.status, 200);
  t.equal(echoed.headers['x-runner'], 'yes', 'response headers come back');
  const seen = echoed.json<{ method: string; path: string; query: string; headers: Record<string, string>; body: string }>();
  t.equal(seen.method, 'PUT');
  t.equal(seen.path, '/v1/echo', 'the app path is appended to runner_url');
  t.equal(seen.query, '?verbose=true&x=1', 'the query is preserved');
  t.equal(seen.body, 'payload', 'the body is streamed through');
  t.equal(seen.headers['x-client'], 'c1');
  t.equal(seen.headers['host'], `127.0.0.1:${app.port}`);
  t.equal(seen.headers['livepeer-runner-route'], 'scope-a');
  t.equal(seen.headers['livepeer-session-id'], session.session_id);
  t.match(seen.headers['livepeer-session-token'], /^[a-z2-7]{52}$/);
  t.equal(seen.headers['livepeer-session-control'], `${uri}/runner/scope-a/session/${session.session_id}`);

  const teapot = await call(`${session.app_url}/teapot`);
  t.equal(teapot.status, 418, 'the upstream status is passed through');

  const events = await call(`${session.app_url}/events`);
  t.equal(events.headers['content-type'], 'text/event-stream');
  t.same(
    events.text.split('\n\n').filter(Boolean).map((e) => JSON.parse(e.slice('data: '.length))),
    [{ n: 1 }, { n: 2 }, { n: 3 }],
    'SSE events arrive in order',
  );

  const ws = await connectWebSocket(`${session.app_url.replace('https:', 'https:')}/ws`);
  t.equal(ws.status, 101, 'the WebSocket upgrade goes through');
  t.equal(await ws.frames!.next(), `hello ${session.session_id}`, 'the runner saw the injected session id on the upgrade');
  ws.send('ping');
  t.equal(await ws.frames!.next(), 'echo ping');

  const stopped = await call(`${session.control_url}/stop`, { method: 'POST' });
  t.equal(stopped.status, 204);
  t.equal(await ws.frames!.next(), undefined, 'stopping the session cuts its WebSocket');
  t.equal((await call(`${session.app_url}/echo`)).status, 404, 'a stopped session is gone');
  t.equal((await call(`${session.control_url}/stop`, { method: 'POST' })).text, 'runner session not found\n');
  t.equal((await call(`${uri}/apps/scope-a/session`, { method: 'POST' })).status, 200, 'the slot is free again');
});

t.test('single-shot calls reserve, proxy and release; refusals name what was wrong', async (t) => {
  const app = await startRunnerApp();
  t.teardown(() => app.close());
  const { uri } = await startLiveRunnerNode(t, {
    config: {
      runners: [
        { label: 'one', routing: 'label', runner_url: `${app.url}/base`, health_url: `${app.url}/health`, app: 'llm/x', mode: 'single-shot', capacity: 1 },
        { label: 'proxied', routing: 'label', runner_url: app.url, health_url: '/health', app: 'llm/y', mode: 'single-shot', capacity: 1, proxy: true },
        { label: 'sessions', routing: 'label', runner_url: app.url, health_url: '/health', app: 'llm/z', capacity: 1 },
      ],
    },
  });
  const answer = await call(`${uri}/apps/one/app/v1/chat?stream=false`, { method: 'POST', body: '{"q":1}' });
  t.equal(answer.status, 200);
  const seen = answer.json<{ path: string; query: string; body: string; headers: Record<string, string> }>();
  t.equal(seen.path, '/base/v1/chat', 'joined to the runner URL path');
  t.equal(seen.query, '?stream=false');
  t.equal(seen.body, '{"q":1}');
  t.match(seen.headers['livepeer-session-id'], /^session_[a-z2-7]+$/);
  const again = await call(`${uri}/apps/one/app/v1/chat`);
  t.equal(again.status, 200, 'the slot was released when the answer ended');

  const discovery = (await call(`${uri}/discovery`)).json<{ runners: { app: string; url: string }[] }[]>()[0]!;
  t.equal(discovery.runners.find((r) => r.app === 'llm/y')!.url, `${uri}/run/proxied`, 'proxy: true advertises the proxy template URL');
  const viaTemplate = await call(`${uri}/run/proxied/v1/status?verbose=true`);
  t.equal(viaTemplate.status, 200);
  t.equal(viaTemplate.json<{ path: string; query: string }>().path, '/v1/status');

  t.equal((await call(`${uri}/apps/nope/app/x`)).status, 404, 'unknown runner');
  t.equal((await call(`${uri}/apps/nope/session`, { method: 'POST' })).text, 'runner not found\n');
  const wrongMode = await call(`${uri}/apps/sessions/app/x`);
  t.equal(wrongMode.status, 400);
  t.equal(wrongMode.text, 'runner is not single-shot\n');
  const noSessions = await call(`${uri}/apps/one/session`, { method: 'POST' });
  t.equal(noSessions.status, 400);
  t.equal(noSessions.text, 'only persistent runners have sessions\n');
  t.equal((await call(`${uri}/run/unknownproxy/x`)).text, 'live runner proxy not found\n');
});

t.test('an unhealthy static runner leaves discovery and loses its sessions; it comes back when healthy', async (t) => {
  const app = await startRunnerApp();
  t.teardown(() => app.close());
  const { uri } = await startLiveRunnerNode(t, { config: { runners: [{ label: 'h', routing: 'label', runner_url: app.url, health_url: '/health', app: 'a/b', capacity: 1 }] } });
  const session = (await call(`${uri}/apps/h/session`, { method: 'POST' })).json<{ app_url: string }>();
  const hanging = call(`${session.app_url}/hang`).catch((error: unknown) => error);
  await until(() => app.open.size === 1, 'the long request to reach the runner');
  app.healthStatus = 503;
  await until(async () => ((await call(`${uri}/discovery`)).json<{ runners?: unknown[] }[]>()[0]!.runners === undefined ? true : undefined), 'the runner to leave discovery');
  const cut = await hanging;
  t.ok(cut instanceof Error || (cut as { status: number }).status === 200, 'the long request ended');
  t.equal((await call(`${session.app_url}/x`)).status, 404, 'its session is gone');
  app.healthStatus = 200;
  await until(async () => ((await call(`${uri}/apps/h/session`, { method: 'POST' })).status === 200 ? true : undefined), 'the runner to take sessions again');
});

t.test('a bad static entry fails the boot with a coded error naming it', async (t) => {
  await t.rejects(
    startLiveRunnerNode(t, { config: { runners: [{ label: 'ok', runner_url: 'http://127.0.0.1:1', health_url: '/h', app: 'a/b' }, { label: 'bad/label', routing: 'label', runner_url: 'http://127.0.0.1:1', health_url: '/h', app: 'a/b' }] } }),
    { code: 'LPX_ERR_PLUGIN_START_FAILED', message: /runners\[1\]: label cannot contain \/ when routing is "label"/, cause: { code: 'LPX_ERR_LIVE_RUNNER_CONFIG_INVALID' } },
  );
});

t.test('HTTP/2 clients (Go negotiates h2 on TLS) are proxied too, SSE included; runnerAddr names the control URL', async (t) => {
  const app = await startRunnerApp();
  t.teardown(() => app.close());
  const { uri } = await startLiveRunnerNode(t, {
    orchestrator: { runnerAddr: 'http://lpx-internal:8936' },
    config: { runners: [{ label: 'h2', routing: 'label', runner_url: app.url, health_url: '/health', app: 'a/b', capacity: 1 }] },
  });
  const session = (await call(`${uri}/apps/h2/session`, { method: 'POST' })).json<{ app_url: string }>();
  const client = connect(uri, { rejectUnauthorized: false });
  t.teardown(() => client.close());
  const get = (path: string, body?: string) =>
    new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((resolve, reject) => {
      const stream = client.request({ ':method': body === undefined ? 'GET' : 'POST', ':path': path, 'x-h2': 'yes' });
      let text = '';
      let status = 0;
      let headers: Record<string, unknown> = {};
      stream.on('response', (h) => {
        status = Number(h[':status']);
        headers = h;
      });
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (text += chunk));
      stream.on('end', () => resolve({ status, headers, text }));
      stream.on('error', reject);
      stream.end(body);
    });
  const path = new URL(session.app_url).pathname;
  const echoed = await get(`${path}/v1/echo?h=2`, 'over h2');
  t.equal(echoed.status, 200);
  const seen = JSON.parse(echoed.text) as { method: string; query: string; body: string; headers: Record<string, string> };
  t.same([seen.method, seen.query, seen.body, seen.headers['x-h2']], ['POST', '?h=2', 'over h2', 'yes']);
  t.notOk(Object.keys(seen.headers).some((h) => h.startsWith(':')), 'no HTTP/2 pseudo-headers reach the runner');
  t.match(seen.headers['livepeer-session-control'], /^http:\/\/lpx-internal:8936\/runner\/h2\/session\//, 'runners are told the runnerAddr');
  const events = await get(`${path}/events`);
  t.equal(events.headers['content-type'], 'text/event-stream');
  t.equal(events.text.split('\n\n').filter(Boolean).length, 3);
});
