// The gateway's BYOC streaming API (go-livepeer's /process/stream/*, ADR 0048) against
// go-livepeer-style stream orchestrator doubles (real HTTP, real trickle channels, real
// ticket payments): start with a signed, paid JobRequest; ingest → out and data SSE
// through the orchestrator's channels; update; stop; periodic payments; failover and
// go-livepeer's give-up rule on start; 4xx handed back; tenancy; mid-stream failures.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { toChecksumAddress } from '../../core/src/payments/index.js';
import { until } from '../plugins/trickle/helpers/trickle-node.js';
import { ALICE, ALL_CHANNELS, auth, BOB, CAPABILITY, CAROL, livepeerHeader, startGateway, type GatewayUnderTest } from './helpers/gateway.js';

interface Urls {
  stream_id: string;
  whip_url: string;
  whep_url: string;
  rtmp_url: string;
  update_url: string;
  status_url: string;
  data_url: string;
  stop_url: string;
  ingest_url: string;
  out_url: string;
}

async function startStream(gw: GatewayUnderTest, body: unknown = {}, header = livepeerHeader({ parameters: ALL_CHANNELS }), key = ALICE) {
  const res = await request(`${gw.url}/process/stream/start`, { method: 'POST', headers: { ...auth(key), livepeer: header, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.body.text();
  return { status: res.statusCode, json: JSON.parse(text) as Urls & { code?: string; detail?: string } };
}

async function get(url: string, key = ALICE) {
  const res = await request(url, { headers: auth(key) });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

async function post(url: string, body: string, key = ALICE, headers: Record<string, string> = {}) {
  const res = await request(url, { method: 'POST', headers: { ...auth(key), ...headers }, body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text };
}

t.test('start: a signed, paid /ai/stream/start; ingest comes back on out and data; update; stop ends it all', async (t) => {
  const gw = await startGateway(t);
  const o = await gw.orchestrator();
  const started = await startStream(gw, { stream_name: 'cam', stream_id: 'abc', params: JSON.stringify({ prompt: 'x' }) });
  t.equal(started.status, 200, started.json.detail ?? '');
  const urls = started.json;
  t.equal(urls.stream_id, 'cam-abc');
  t.same([urls.whip_url, urls.whep_url, urls.rtmp_url], ['', '', ''], 'no MediaMTX / WHIP / WHEP in lpx');
  t.equal(urls.ingest_url, `${gw.url}/process/stream/cam-abc/ingest`);
  t.equal(urls.out_url, `${gw.url}/process/stream/cam-abc/out`);
  t.equal(urls.data_url, `${gw.url}/process/stream/cam-abc/data`);

  const [start] = o.routes('start');
  t.ok(start, 'the orchestrator was asked to start');
  t.equal(start!.job.id, 'cam-abc');
  t.equal(start!.job.sender, toChecksumAddress(gw.gatewayAddress), 'the gateway filled in sender; the double verified sig');
  t.equal(start!.job.parameters, ALL_CHANNELS, 'parameters signed as the client sent them');
  t.equal(start!.job.timeout_seconds, 30);
  t.ok(start!.paid, 'tickets in Livepeer-Payment at start');
  t.same(JSON.parse(start!.body), { params: { prompt: 'x' } });
  t.ok((await o.credit(gw.gatewayAddress)) >= 600n, 'the orchestrator holds a minute of credit');

  // out: asked for segment 0 before it exists; it arrives once the worker answers the ingest.
  const out = get(`${urls.out_url}?seq=0`);
  const ingest = await post(urls.ingest_url, 'hello', ALICE, { 'content-type': 'video/mp2t' });
  t.equal(ingest.status, 200, ingest.text);
  t.same(JSON.parse(ingest.text), { seq: 0 });
  const segment = await out;
  t.equal(segment.status, 200);
  t.equal(segment.text, 'HELLO');
  t.equal(segment.headers['lpx-stream-seq'], '0');

  // data: SSE from the next data segment on.
  const sse = await request(urls.data_url, { headers: auth(ALICE) });
  t.equal(sse.headers['content-type'], 'text/event-stream');
  const events: string[] = [];
  const reading = (async () => {
    for await (const chunk of sse.body) events.push((chunk as Buffer).toString('utf8'));
  })();
  await until(async () => {
    await post(urls.ingest_url, 'world');
    await sleep(20);
    return events.join('').includes('data: {"seq"');
  }, 'a data event');
  t.match(events.join(''), /data: \{"seq":\d+,"bytes":5\}\n\n/);

  const status = await get(urls.status_url);
  t.equal(status.status, 200);
  t.match(status.json(), { stream_id: 'cam-abc', state: 'running', capability: CAPABILITY, orchestrator: o.uri, tickets_sent: 1, charged_wei: /^[0-9]+$/ });

  const update = await post(urls.update_url, '{"prompt":"y"}', ALICE, { livepeer: livepeerHeader({ request: JSON.stringify({ stream_id: 'cam-abc' }), capability: '', timeout_seconds: 5 }), 'content-type': 'application/json' });
  t.equal(update.status, 200, update.text);
  t.same(JSON.parse(update.text), { updated: 'cam-abc' });
  t.same(o.updates, ['{"prompt":"y"}']);
  const wrongUpdate = await post(urls.update_url, '{}', ALICE, { livepeer: livepeerHeader({ request: JSON.stringify({ stream_id: 'other' }) }) });
  t.equal(wrongUpdate.status, 400, 'an update header must name this stream');

  const stop = await post(urls.stop_url, 'bye');
  t.equal(stop.status, 204);
  const [stopCall] = o.routes('stop');
  t.same(JSON.parse(stopCall!.job.request), { stream_id: 'cam-abc' });
  t.equal(stopCall!.body, 'bye', 'the stop body goes to the orchestrator');
  await reading;
  t.match(events.join(''), /event: end\ndata: \{"type":"stream_ended"\}\n\n$/, 'the SSE ends with the stream');
  t.equal((await get(urls.status_url)).status, 404, 'a stopped stream is forgotten');
  t.equal((await post(urls.ingest_url, 'late')).status, 404);
});

t.test('payments: every interval a fresh token and tickets to /ai/stream/payment; none after stop', async (t) => {
  const gw = await startGateway(t, { paymentIntervalMs: 50 });
  const o = await gw.orchestrator({ debitSecondsPerPayment: 100n });
  const { json: urls } = await startStream(gw, {}, livepeerHeader({}));
  await until(() => o.routes('payment').length >= 2, 'two payment rounds');
  for (const payment of o.routes('payment')) {
    t.ok(payment.paid, 'each round carries tickets');
    t.same(JSON.parse(payment.job.request), { stream_id: urls.stream_id });
    t.equal(payment.job.timeout_seconds, 70);
  }
  const status = (await get(urls.status_url)).json();
  t.ok(status['last_payment_at'], 'the last payment is in the status');
  t.ok(Number(status['tickets_sent']) >= 3);
  const charged = BigInt(String(status['charged_wei']));
  const tickets = BigInt(Number(status['tickets_sent']));
  t.ok(charged >= tickets * 1000n && charged <= tickets * 1001n, 'each ticket charged its EV rounded up to a whole wei');
  t.equal(await gw.spent('alice'), charged, 'the tenant\'s budget counter holds exactly what the status says');
  t.equal((await post(urls.stop_url, '')).status, 204);
  const paidRounds = o.routes('payment').length;
  await sleep(300);
  t.equal(o.routes('payment').length, paidRounds, 'payments stopped with the stream');
});

t.test('a payment the orchestrator refuses ends the stream with the reason; ingest is then 410', async (t) => {
  const gw = await startGateway(t, { paymentIntervalMs: 50 });
  await gw.orchestrator({ debitSecondsPerPayment: 100n, paymentRefusal: { status: 400, text: 'Insufficient balance for request' } });
  const { json: urls } = await startStream(gw);
  await until(async () => (await get(urls.status_url)).json()['state'] === 'failed', 'the stream to fail');
  const status = (await get(urls.status_url)).json();
  t.match(status['reason'], /refused the stream payment: 400 Insufficient balance/);
  const ingest = await post(urls.ingest_url, 'x');
  t.equal(ingest.status, 410);
  t.match(JSON.parse(ingest.text), { code: 'LPX_ERR_BYOC_STREAM_ALREADY_ENDED' });
});

t.test('an orchestrator dropping the stream (its channels gone) fails it, and the orchestrator is told to stop', async (t) => {
  const gw = await startGateway(t);
  const o = await gw.orchestrator();
  const { json: urls } = await startStream(gw);
  o.drop(urls.stream_id);
  await until(async () => (await get(urls.status_url)).json()['state'] === 'failed', 'the stream to fail');
  t.match((await get(urls.status_url)).json()['reason'], /events channel/);
  await until(() => o.routes('stop').length === 1, 'the stop call');
});

t.test('failover on start: a 5xx moves on, with the next token refreshed first', async (t) => {
  const gw = await startGateway(t);
  const bad = await gw.orchestrator({ startRefusal: { status: 503, text: 'worker down' } });
  // Its search token arrives after the failing one's, so the failing one is tried first.
  const good = await gw.orchestrator({ tokenDelayMs: 200 });
  const { status, json } = await startStream(gw, {}, livepeerHeader({ parameters: JSON.stringify({ orchestrators: { include: [bad.uri, good.uri] } }) }));
  t.equal(status, 200, json.detail ?? '');
  t.equal(good.routes('start').length, 1);
  t.equal((await get(json.status_url)).json()['orchestrator'], good.uri);
  t.equal(bad.routes('start').length, 1, 'the first orchestrator answered 503');
  t.equal(good.tokens, 2, 'the search token, then a fresh one before the retry');
});

t.test("failover on start: an orchestrator's 400 'No capacity available for capability' (full since its token) moves on", async (t) => {
  const gw = await startGateway(t);
  const full = await gw.orchestrator({ startRefusal: { status: 400, text: 'No capacity available for capability\n' } });
  const free = await gw.orchestrator({ tokenDelayMs: 200 });
  const { status, json } = await startStream(gw);
  t.equal(status, 200, json.detail ?? '');
  t.equal((await get(json.status_url)).json()['orchestrator'], free.uri);
  t.same([full.routes('start').length, free.routes('start').length], [1, 1], 'the full one was asked first, then the next');
});

t.test('give-up rule: after more than 2 quick swaps the gateway stops trying (5 starts of 6 orchestrators)', async (t) => {
  const gw = await startGateway(t);
  const all = [];
  for (let i = 0; i < 6; i++) all.push(await gw.orchestrator({ startRefusal: { status: 500, text: 'boom' } }));
  const { status, json } = await startStream(gw);
  t.equal(status, 503);
  t.equal(json.code, 'LPX_ERR_BYOC_STREAM_NO_ORCHESTRATOR');
  t.equal(all.reduce((n, o) => n + o.routes('start').length, 0), 5);
});

t.test('a 4xx from the orchestrator is the client\'s answer, with its status; no other orchestrator is tried', async (t) => {
  const gw = await startGateway(t);
  const first = await gw.orchestrator({ startRefusal: { status: 422, text: 'bad params for this pipeline' } });
  const second = await gw.orchestrator();
  const { status, json } = await startStream(gw, {}, livepeerHeader({ parameters: JSON.stringify({ orchestrators: { exclude: [second.uri] } }) }));
  t.equal(status, 422);
  t.equal(json.code, 'LPX_ERR_BYOC_STREAM_ORCHESTRATOR_REFUSED');
  t.match(json.detail, /bad params for this pipeline/);
  t.equal(first.routes('start').length, 1);
  t.equal(second.tokens, 0, 'an excluded orchestrator is not even asked for a token');
});

t.test('tenancy and unknown streams: 404 for another tenant, 404 for an unknown id, 401 without a key', async (t) => {
  const gw = await startGateway(t);
  await gw.orchestrator();
  const { json: urls } = await startStream(gw);
  for (const url of [urls.status_url, urls.out_url]) t.equal((await get(url, BOB)).status, 404, `bob cannot see ${url}`);
  const stop = await post(urls.stop_url, '', BOB);
  t.equal(stop.status, 404);
  t.match(JSON.parse(stop.text), { code: 'LPX_ERR_BYOC_STREAM_NOT_FOUND' });
  t.equal((await get(urls.status_url)).json()['state'], 'running', 'alice\'s stream is untouched');
  t.equal((await get(`${gw.url}/process/stream/nope/status`)).status, 404);
  t.equal((await request(urls.status_url)).statusCode, 401);
  const taken = await startStream(gw, { stream_id: urls.stream_id });
  t.equal(taken.status, 409, 'a running id cannot be started twice');
});

t.test('refusals before any search: no timeout, no orchestrator, bad params; CORS preflight', async (t) => {
  const gw = await startGateway(t);
  const noTimeout = await startStream(gw, {}, livepeerHeader({ timeout_seconds: 0 }));
  t.equal(noTimeout.status, 400);
  t.equal(noTimeout.json.code, 'LPX_ERR_BYOC_STREAM_START_INVALID');
  const badParams = await startStream(gw, { params: 'not json' });
  t.equal(badParams.status, 400);
  const none = await startStream(gw);
  t.equal(none.status, 503);
  t.equal(none.json.code, 'LPX_ERR_BYOC_STREAM_NO_ORCHESTRATOR');
  const preflight = await request(`${gw.url}/process/stream/start`, { method: 'OPTIONS' });
  t.equal(preflight.statusCode, 204);
  t.equal(preflight.headers['access-control-allow-origin'], '*');
  t.match(preflight.headers['access-control-allow-headers'], /Livepeer/);
});

t.test('shutdown stops every running stream on its orchestrator', async (t) => {
  const gw = await startGateway(t);
  const o = await gw.orchestrator();
  await startStream(gw);
  await startStream(gw);
  t.equal(gw.service.size, 2);
  await gw.service.close();
  t.equal(o.routes('stop').length, 2);
});

t.test('a tenant over its budget: the first stream pays (charged first), the next start is 402 before any search', async (t) => {
  const gw = await startGateway(t);
  const o = await gw.orchestrator();
  const first = await startStream(gw, {}, livepeerHeader({}), CAROL);
  t.equal(first.status, 200);
  const tokens = o.tokens;
  const second = await startStream(gw, {}, livepeerHeader({}), CAROL);
  t.equal(second.status, 402);
  t.equal(second.json.code, 'LPX_ERR_GATEWAY_BUDGET_EXHAUSTED');
  t.equal(o.tokens, tokens, 'no token search for a refused start');
  t.equal(o.routes('start').length, 1);
});

t.test('a free capability: no tickets at start, no payment calls', async (t) => {
  const gw = await startGateway(t, { paymentIntervalMs: 50 });
  const o = await gw.orchestrator({}, 0n);
  const { json: urls } = await startStream(gw);
  t.notOk(o.routes('start')[0]!.paid);
  await sleep(300);
  t.equal(o.routes('payment').length, 0);
  t.match((await get(urls.status_url)).json(), { charged_wei: '0', tickets_sent: 0 });
});

t.test('the control keepalive reaches the orchestrator; a gone control channel fails the stream', async (t) => {
  const gw = await startGateway(t, { controlKeepaliveMs: 50 });
  const o = await gw.orchestrator();
  const { json: urls } = await startStream(gw);
  const control = o.trickle.get(`${urls.stream_id}-control`)!;
  await until(() => control.nextWrite >= 2, 'two keepalives');
  o.trickle.remove(`${urls.stream_id}-control`);
  await until(async () => (await get(urls.status_url)).json()['state'] === 'failed', 'the stream to fail');
  t.match((await get(urls.status_url)).json()['reason'], /control channel is gone/);
});
