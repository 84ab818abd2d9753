// The gateway as a client of go-livepeer's Live Runner wire, end to end over
// HTTP: discovery, the 402 challenge, paid reservations validated by a real
// Recipient in the go-livepeer-style double, background payments, stop,
// single-shot calls, ceilings and failover.
import t from 'tap';
import { request } from 'undici';
import { Rational } from '../../../src/payments/index.js';
import { startLiveDouble, startLiveGateway, memoryChain, until } from './live-runner-fixture.js';

const APP = 'live-video-to-video/scope';
const ENC = encodeURIComponent(APP);
const PRICE = 1_000_000_000n; // wei per second: one ticket of the double a second

async function json(res: Awaited<ReturnType<typeof request>>): Promise<Record<string, unknown>> {
  return (await res.body.json()) as Record<string, unknown>;
}

t.test('a paid session: challenge → paid reserve → calls → top-ups → stop, nothing paid after stop', async (t) => {
  const chain = memoryChain();
  const orch = await startLiveDouble(t, chain, [{ route: 'scope', app: APP, mode: 'persistent', capacity: 2, price: { price: PRICE, unit: 'seconds' } }]);
  const gw = await startLiveGateway(t, chain, [orch], { intervalMs: 100, aheadSeconds: 2 });

  const res = await request(`${gw.url}/v1/apps/${ENC}/sessions`, { method: 'POST' });
  t.equal(res.statusCode, 201);
  const body = await json(res);
  t.equal(body.orchestrator, orch.uri);
  t.match(body.app_url, new RegExp(`^${gw.url}/v1/apps/${ENC}/sessions/[0-9a-f-]+/app$`), 'app_url is on the gateway');
  t.equal(orch.history.length, 1, 'one session reserved on the orchestrator');
  const session = orch.history[0]!;
  t.equal(session.id, orch.challenges[0], 'the session id is the challenge manifest id');

  const hello = await request(`${body.app_url as string}/hello?x=1`);
  t.equal(hello.statusCode, 200);
  t.same(await hello.body.json(), { hello: 'world', session: session.id, query: { x: '1' } }, 'proxied to the app with the query');

  const sse = await request(`${body.app_url as string}/events`);
  t.match(String(sse.headers['content-type']), /text\/event-stream/);
  t.equal(await sse.body.text(), 'data: {"n":0}\n\ndata: {"n":1}\n\ndata: {"n":2}\n\n', 'SSE relayed');

  const echo = await request(`${body.app_url as string}/echo`, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: 'Bearer secret' }, body: 'ping' });
  t.equal(await echo.body.text(), 'ping');

  await until(() => session.payments >= 4, 'top-up payments');
  t.notOk(session.releasedForPayment, 'the orchestrator never ran out of credit');

  const stop = await request(`${body.control_url as string}/stop`, { method: 'POST' });
  t.equal(stop.statusCode, 204);
  t.equal(orch.sessions.size, 0, 'released on the orchestrator');
  const paymentsAtStop = session.payments;
  const usedSeconds = BigInt(Math.ceil((session.stoppedAt! - session.startedAt) / 1000));
  t.ok(session.credited.gte(Rational.of(PRICE * (usedSeconds - 1n))), `credited ${session.credited.num}/${session.credited.den} ≥ price × seconds used`);
  t.ok(session.credited.gte(Rational.of(PRICE * BigInt(session.debitedUnits))), 'credit covers every debit');

  await new Promise((resolve) => setTimeout(resolve, 500));
  t.equal(session.payments, paymentsAtStop, 'no payment after stop');
  t.equal(session.paymentsAfterStop, 0, 'not even a refused one');
  const again = await request(`${body.app_url as string}/hello`);
  t.equal(again.statusCode, 404);
  t.equal((await json(again)).code, 'LPX_ERR_LIVE_RUNNER_SESSION_UNKNOWN');
});

t.test('a fixed price is paid once', async (t) => {
  const chain = memoryChain();
  const orch = await startLiveDouble(t, chain, [{ route: 'fixed', app: APP, mode: 'persistent', capacity: 1, price: { price: 5_000_000_000n, unit: 'fixed' } }]);
  const gw = await startLiveGateway(t, chain, [orch], { intervalMs: 50 });
  const res = await request(`${gw.url}/v1/apps/${ENC}/sessions`, { method: 'POST' });
  t.equal(res.statusCode, 201);
  const body = await json(res);
  await new Promise((resolve) => setTimeout(resolve, 400));
  const session = orch.history[0]!;
  t.equal(session.payments, 1, 'one payment, at reservation');
  t.ok(session.credited.gte(Rational.of(5_000_000_000n)), 'it covers the fixed price');
  t.equal((await request(`${body.control_url as string}/stop`, { method: 'POST' })).statusCode, 204);
});

t.test('a challenge above the ceiling is refused without paying', async (t) => {
  const chain = memoryChain();
  const orch = await startLiveDouble(t, chain, [{ route: 'scope', app: APP, mode: 'persistent', capacity: 1, price: { price: PRICE, unit: 'seconds' } }]);
  orch.challengePrice = PRICE * 10n;
  const gw = await startLiveGateway(t, chain, [orch], { ceilings: { seconds: PRICE * 2n } });
  const res = await request(`${gw.url}/v1/apps/${ENC}/sessions`, { method: 'POST' });
  const body = await json(res);
  t.equal(body.code, 'LPX_ERR_GATEWAY_PRICE_TOO_HIGH', String(body.detail));
  t.equal(orch.challenges.length, 1, 'it was challenged');
  t.equal(orch.history.length, 0, 'nothing reserved, nothing paid');

  const lower = await request(`${gw.url}/v1/apps/${ENC}/sessions`, { method: 'POST', headers: { 'lpx-max-price': String(PRICE - 1n) } });
  t.equal((await json(lower)).code, 'LPX_ERR_GATEWAY_PRICE_TOO_HIGH', 'a request header lowers the ceiling below the advertised price');
  t.equal(orch.challenges.length, 1, 'a runner advertised above the ceiling is not even asked');
});

t.test('failover: an orchestrator at capacity (503) hands over to the next', async (t) => {
  const chain = memoryChain();
  const runners = [{ route: 'scope', app: APP, mode: 'persistent' as const, capacity: 1, price: { price: PRICE, unit: 'seconds' as const } }];
  const busy = await startLiveDouble(t, chain, runners);
  const ok = await startLiveDouble(t, chain, runners);
  busy.mode = 'busy';
  const gw = await startLiveGateway(t, chain, [busy, ok]);
  const res = await request(`${gw.url}/v1/apps/${ENC}/sessions`, { method: 'POST' });
  t.equal(res.statusCode, 201);
  t.equal((await json(res)).orchestrator, ok.uri);
  t.equal(busy.history.length, 0);
  t.equal(ok.history.length, 1);
  t.same(gw.failed.map((f) => [f.uri, f.action]), [[busy.uri, 'try-another']], 'no blame for a busy orchestrator');
  t.notOk(gw.pool.isSuspended(busy.uri));
});

t.test('a malformed challenge is a coded error and nothing is paid', async (t) => {
  const chain = memoryChain();
  const orch = await startLiveDouble(t, chain, [{ route: 'scope', app: APP, mode: 'persistent', capacity: 1, price: { price: PRICE, unit: 'seconds' } }]);
  orch.mode = 'malformed-challenge';
  const gw = await startLiveGateway(t, chain, [orch]);
  const res = await request(`${gw.url}/v1/apps/${ENC}/sessions`, { method: 'POST' });
  t.equal(res.statusCode, 502);
  t.match(String(res.headers['content-type']), /problem\+json/);
  const body = await json(res);
  t.equal(body.code, 'LPX_ERR_LIVE_RUNNER_CLIENT_FAILED');
  t.match(String(body.detail), /malformed payment challenge/);
  t.equal(orch.history.length, 0, 'nothing reserved or paid');
  t.ok(gw.pool.isSuspended(orch.uri), 'the orchestrator is suspended');
});

t.test('single-shot: paid call with the body, released after; unknown app is a 404', async (t) => {
  const chain = memoryChain();
  const orch = await startLiveDouble(t, chain, [{ route: 'echo', app: 'text/echo', mode: 'single-shot', capacity: 1, price: { price: 7n, unit: '720p-pixel-seconds' } }]);
  const gw = await startLiveGateway(t, chain, [orch]);
  const res = await request(`${gw.url}/v1/apps/text%2Fecho/app/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['lpx-orchestrator'], orch.uri);
  t.equal(await res.body.text(), '{"a":1}');
  t.equal(orch.history.length, 1);
  t.ok(orch.history[0]!.credited.gte(Rational.of(7n * 1280n * 720n * 30n)), 'paid ahead at the pixel-second price');
  await until(() => orch.sessions.size === 0, 'single-shot release');

  const app500 = await request(`${gw.url}/v1/apps/text%2Fecho/app/fail`);
  t.equal(app500.statusCode, 500, "the app's own error passes through");
  t.same(await app500.body.json(), { app: 'failed' });

  const unknown = await request(`${gw.url}/v1/apps/nope/app/x`);
  t.equal(unknown.statusCode, 404);
  t.equal((await json(unknown)).code, 'LPX_ERR_LIVE_RUNNER_RUNNER_UNKNOWN');
});

t.test('single-shot failover before the app saw a byte', async (t) => {
  const chain = memoryChain();
  const runners = [{ route: 'echo', app: 'text/echo', mode: 'single-shot' as const, capacity: 1, price: { price: 3n, unit: 'seconds' as const } }];
  const down = await startLiveDouble(t, chain, runners);
  const ok = await startLiveDouble(t, chain, runners);
  const gw = await startLiveGateway(t, chain, [down, ok]);
  await gw.directory.refresh();
  down.mode = 'down';
  const res = await request(`${gw.url}/v1/apps/text%2Fecho/app/echo`, { method: 'POST', body: 'x' });
  t.equal(res.statusCode, 200);
  t.equal(await res.body.text(), 'x');
  t.equal(down.appRequests, 0);
  t.equal(ok.appRequests, 1, 'the app got it exactly once');
  t.ok(gw.pool.isSuspended(down.uri), 'a broken connection suspends');
});

t.test('shutdown stops every session, then nothing is paid', async (t) => {
  const chain = memoryChain();
  const orch = await startLiveDouble(t, chain, [{ route: 'scope', app: APP, mode: 'persistent', capacity: 3, price: { price: PRICE, unit: 'seconds' } }]);
  const gw = await startLiveGateway(t, chain, [orch], { intervalMs: 50 });
  for (let i = 0; i < 2; i++) t.equal((await request(`${gw.url}/v1/apps/${ENC}/sessions`, { method: 'POST' })).statusCode, 201);
  t.equal(orch.sessions.size, 2);
  await gw.router.close();
  t.equal(orch.sessions.size, 0, 'released on the orchestrator');
  const counts = orch.history.map((s) => s.payments);
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.same(orch.history.map((s) => s.payments), counts, 'no payment after shutdown');
});

t.test('an offchain gateway uses free runners only; /discovery 404 means no apps', async (t) => {
  const chain = memoryChain();
  const free = await startLiveDouble(t, chain, [{ route: 'free', app: 'free/app', mode: 'persistent', capacity: 1 }]);
  const none = await startLiveDouble(t, chain, [{ route: 'x', app: 'free/app', mode: 'persistent', capacity: 1 }]);
  none.mode = 'no-discovery';
  const gw = await startLiveGateway(t, chain, [none, free], { paid: false });
  const list = await request(`${gw.url}/v1/apps`);
  t.same(await list.body.json(), { apps: [{ app: 'free/app', modes: ['persistent'], runners: 1, orchestrators: 1 }] });
  const res = await request(`${gw.url}/v1/apps/free%2Fapp/sessions`, { method: 'POST' });
  t.equal(res.statusCode, 201);
  const body = await json(res);
  t.equal(body.orchestrator, free.uri);
  t.equal((await request(`${body.app_url as string}/hello`)).statusCode, 200);
  t.equal((await request(`${body.control_url as string}/stop`, { method: 'POST' })).statusCode, 204);
  t.equal((await request(`${body.control_url as string}/stop`, { method: 'POST' })).statusCode, 404, 'a stopped session is gone');
});

t.test('a session the orchestrator released is no longer paid, and the client is told', async (t) => {
  const chain = memoryChain();
  const orch = await startLiveDouble(t, chain, [{ route: 'scope', app: APP, mode: 'persistent', capacity: 1, price: { price: PRICE, unit: 'seconds' } }]);
  const gw = await startLiveGateway(t, chain, [orch], { intervalMs: 50, aheadSeconds: 1 });
  const body = await json(await request(`${gw.url}/v1/apps/${ENC}/sessions`, { method: 'POST' }));
  const session = orch.history[0]!;
  orch.release(session.id);
  await until(() => gw.ended.length === 1, 'the gateway to notice');
  t.equal(session.paymentsAfterStop, 1, 'one refused payment told it (404)');
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(session.paymentsAfterStop, 1, 'and no more after that');
  t.equal(gw.router.size, 0);
  t.equal((await request(`${body.app_url as string}/hello`)).statusCode, 404);
});

t.test("the tenant's ceiling applies to the runner's unit", async (t) => {
  const chain = memoryChain();
  const orch = await startLiveDouble(t, chain, [{ route: 'scope', app: APP, mode: 'persistent', capacity: 1, price: { price: PRICE, unit: 'seconds' } }]);
  const gw = await startLiveGateway(t, chain, [orch], { tenantMaxPrice: { pricePerUnit: PRICE - 1n, pixelsPerUnit: 1n } });
  const res = await request(`${gw.url}/v1/apps/${ENC}/sessions`, { method: 'POST' });
  t.equal(res.statusCode, 503);
  t.equal((await json(res)).code, 'LPX_ERR_GATEWAY_PRICE_TOO_HIGH');
  t.equal(orch.challenges.length, 0, 'not even challenged');
  const bad = await request(`${gw.url}/v1/apps/${ENC}/sessions`, { method: 'POST', headers: { 'lpx-max-price': 'cheap' } });
  t.equal(bad.statusCode, 400);
  t.equal((await json(bad)).code, 'LPX_ERR_HTTP_BAD_REQUEST');
});

t.test('a WebSocket on the session app URL is relayed to the app', async (t) => {
  const { WebSocket } = await import('undici');
  const chain = memoryChain();
  const orch = await startLiveDouble(t, chain, [{ route: 'scope', app: APP, mode: 'persistent', capacity: 1, price: { price: PRICE, unit: 'seconds' } }]);
  const gw = await startLiveGateway(t, chain, [orch]);
  const body = await json(await request(`${gw.url}/v1/apps/${ENC}/sessions`, { method: 'POST' }));
  const ws = new WebSocket(`${(body.app_url as string).replace(/^http/, 'ws')}/ws`);
  const echoed = await new Promise<string>((resolve, reject) => {
    ws.addEventListener('open', () => ws.send('hello over ws'));
    ws.addEventListener('message', (event) => resolve(String(event.data)));
    ws.addEventListener('error', () => reject(new Error('websocket failed')));
  });
  t.equal(echoed, 'hello over ws');
  ws.close();
  const refused = new WebSocket(`${gw.url.replace(/^http/, 'ws')}/v1/apps/${ENC}/sessions/nope/app/ws`);
  const outcome = await new Promise<string>((resolve) => {
    refused.addEventListener('open', () => resolve('open'));
    refused.addEventListener('error', () => resolve('refused'));
  });
  t.equal(outcome, 'refused', 'an unknown session is not upgraded');
});

t.test("a tenant's spent budget ends the session: no tickets past it", async (t) => {
  const { errors } = await import('@lpx/sdk');
  const chain = memoryChain();
  const orch = await startLiveDouble(t, chain, [{ route: 'scope', app: APP, mode: 'persistent', capacity: 1, price: { price: PRICE, unit: 'seconds' } }]);
  let charged = 0n;
  const budget = PRICE * 3n;
  const gw = await startLiveGateway(t, chain, [orch], {
    intervalMs: 50,
    aheadSeconds: 1,
    charge: async (wei) => {
      if (charged + wei > budget) throw errors.gateway.BUDGET_EXHAUSTED.create('spent');
      charged += wei;
      return async () => {
        charged -= wei;
      };
    },
  });
  t.equal((await request(`${gw.url}/v1/apps/${ENC}/sessions`, { method: 'POST' })).statusCode, 201);
  await until(() => gw.ended.length === 1, 'the session to end on the budget', 30_000);
  t.equal((gw.ended[0]!.reason as Error & { code?: string }).code, 'LPX_ERR_LIVE_RUNNER_CLIENT_FAILED');
  t.ok(charged <= budget, 'never charged past the budget');
  await until(() => orch.sessions.size === 0, 'the orchestrator to be told');
  const session = orch.history[0]!;
  const payments = session.payments;
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(session.payments, payments, 'nothing paid after');
  t.ok(session.credited.lte(Rational.of(budget)), 'the orchestrator got at most the budget');
});
