// lpx to lpx: the gateway's /process/stream/* (ADR 0048) against lpx orchestrators
// serving /ai/stream/* (plugins/byoc-stream, ADR 0047) on the embedded dev chain
// with real tickets, real trickle channels and a real external stream worker
// (an HTTP server registered over /capability/register that upper-cases every
// input segment onto its output and writes a JSON line per segment on data).
import t from 'tap';
import { request } from 'undici';
import { ticketEV } from '../../core/src/payments/index.js';
import { until } from '../plugins/trickle/helpers/trickle-node.js';
import { channelExists } from '../plugins/byoc-stream/helpers/stream-gateway.js';
import { startStreamApp } from '../plugins/byoc-stream/helpers/stream-app.js';
import { startClientStream, startLpxStreamNetwork, type LpxStreamNetwork } from './helpers/lpx-stream-network.js';

// Wei per second. A ticket (EV ~100000) buys ~100 s, below the gateway's 120-s mark: every payment round
// sends exactly one ticket (70 s × 1000 < EV), and so does the start (30 s × 1000).
const PRICE = 1000n;
const CHANNEL_KEYS = ['subscribe_url', 'publish_url', 'data_url', 'control_url', 'events_url'];

/** A bound so a lost answer fails the test instead of hanging it (not a timing assertion). */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within 60 s`)), 60_000)))]).finally(() => clearTimeout(timer));
}

function client(net: LpxStreamNetwork) {
  const headers = { authorization: `Bearer ${net.apiKey}` };
  return {
    async get(url: string) {
      const res = await request(url, { headers });
      const text = await res.body.text();
      return { status: res.statusCode, headers: res.headers, text };
    },
    async status(url: string): Promise<Record<string, unknown>> {
      const res = await request(url, { headers });
      return (await res.body.json()) as Record<string, unknown>;
    },
    post(url: string, body: string, extra: Record<string, string> = {}) {
      return request(url, { method: 'POST', body, headers: { ...headers, ...extra } });
    },
    sse(url: string) {
      return request(url, { headers });
    },
  };
}

t.test('an lpx gateway streams through an lpx orchestrator: ingest → app → out, data, update, payments, stop', async (t) => {
  const app = await startStreamApp();
  t.teardown(() => app.close());
  // Debits every 400 ms (23 units each), payment rounds every 150 ms: the gateway keeps ahead of the orchestrator.
  const net = await startLpxStreamNetwork(t, { debitIntervalMs: 400, paymentIntervalMs: 150 });
  const http = client(net);
  const [o] = net.orchestrators;
  await o!.register('pair-app', app.url, { price: Number(PRICE), token: 'worker-token' });

  const started = await startClientStream(net, 'pair-app', { stream_name: 'cam', params: JSON.stringify({ prompt: 'cat' }) });
  t.equal(started.status, 200, JSON.stringify(started.json));
  const urls = started.json;
  const first = await http.status(urls.status_url);
  t.equal(first['state'], 'running');
  t.equal(first['orchestrator'], o!.uri);
  const appStart = await within(app.next('/stream/start', urls.stream_id), 'the app start');
  const startBody = JSON.parse(appStart.body) as Record<string, unknown>;
  t.same(startBody['params'], { prompt: 'cat' }, "the app gets the client's params");
  t.equal(startBody['gateway_request_id'], urls.stream_id);
  for (const key of CHANNEL_KEYS) t.match(startBody[key], /^https:\/\//, `${key} given to the app`);
  t.equal(appStart.authorization, 'Bearer worker-token');
  t.equal((await net.token(o!, 'pair-app')).availableCapacity, 0n, 'the stream holds the capacity');

  await t.test('ingest → app → out, and the data channel as SSE', async (t) => {
    const out = http.get(`${urls.out_url}?seq=0`);
    const sse = await http.sse(urls.data_url);
    t.equal(sse.headers['content-type'], 'text/event-stream');
    let events = '';
    const line = new Promise<string>((resolve, reject) => {
      sse.body.on('data', (chunk: Buffer) => {
        events += chunk.toString('utf8');
        const match = /data: (.*)\n/.exec(events);
        if (match) resolve(match[1]!);
      });
      sse.body.on('error', reject);
    });
    const ingest = await http.post(urls.ingest_url, 'hello pair', { 'content-type': 'video/mp2t' });
    t.same([ingest.statusCode, await ingest.body.json()], [200, { seq: 0 }]);
    const segment = await within(out, 'output segment');
    t.same([segment.status, segment.text, segment.headers['lpx-stream-seq']], [200, 'HELLO PAIR', '0'], 'the app upper-cased the segment');
    t.same(JSON.parse(await within(line, 'data event')), { seq: 0, bytes: 10 }, "the app's data line, one SSE event");
    sse.body.destroy();
  });

  await t.test("update reaches the app's /stream/params", async (t) => {
    // go-livepeer's update takes the client's Livepeer header, its request naming the stream.
    const livepeer = Buffer.from(JSON.stringify({ request: JSON.stringify({ stream_id: urls.stream_id }), parameters: '{}', capability: 'pair-app', timeout_seconds: 30 })).toString('base64');
    const res = await http.post(urls.update_url, '{"prompt":"dog"}', { 'content-type': 'application/json', livepeer });
    t.same([res.statusCode, await res.body.json()], [200, { applied: { prompt: 'dog' } }], "the app's answer");
    t.equal((await within(app.next('/stream/params', urls.stream_id), 'the params call')).body, '{"prompt":"dog"}');
  });

  await t.test("payments and debits: the gateway's charge and the orchestrator's balance agree to the wei; stop frees everything", async (t) => {
    await until(async () => Number((await http.status(urls.status_url))['tickets_sent']) >= 4, 'three payment rounds after the start', 60_000);
    const running = await http.status(urls.status_url);
    t.equal(running['state'], 'running', 'still running: never short of credit');
    const stop = await http.post(urls.stop_url, 'done');
    t.equal(stop.statusCode, 204);
    await stop.body.text();
    t.equal((await within(app.next('/stream/stop', urls.stream_id), 'the app stop')).body, 'done', "the app's /stream/stop got the client's body");
    for (const key of CHANNEL_KEYS) t.notOk(await channelExists(String(startBody[key])), `${key} removed on the orchestrator`);
    t.equal((await http.get(urls.status_url)).status, 404, 'a stop forgets the stream at once');

    // A payment round in flight at the stop may still land: read until two rounds of reads agree.
    let spent = -1n;
    let token = await net.token(o!, 'pair-app');
    for (;;) {
      const again = await net.spent();
      const next = await net.token(o!, 'pair-app');
      if (again === spent && next.balance === token.balance) break;
      [spent, token] = [again, next];
    }
    t.equal(token.availableCapacity, 1n, 'the capacity came back');
    const ev = ticketEV(token.ticketParams!.faceValue, token.ticketParams!.winProb);
    const perTicket = (ev.num + ev.den - 1n) / ev.den;
    const tickets = spent / perTicket;
    t.equal(spent % perTicket, 0n, `charged_wei is whole tickets, each its EV rounded up (${perTicket} wei)`);
    t.ok(tickets >= 4n, `${tickets} tickets: the start's and the payment rounds'`);
    // The orchestrator credited EV × tickets exactly, then kept a start charge of whole seconds and whole debit ticks.
    const credited = ev.mulInt(tickets);
    const kept = credited.num / credited.den - token.balance!;
    const startCharge = kept % (23n * PRICE);
    t.ok(startCharge > 0n && startCharge % PRICE === 0n, `the orchestrator kept ${kept} wei: a start of ${startCharge / PRICE} s plus ${kept / (23n * PRICE)} debits of 23 s`);
  });
});

t.test('two lpx orchestrators: a full one is passed over, and concurrent starts spread without a refusal', async (t) => {
  const app = await startStreamApp();
  t.teardown(() => app.close());
  const net = await startLpxStreamNetwork(t, { orchestrators: 2 });
  const http = client(net);
  const [o1, o2] = net.orchestrators;
  for (const o of [o1!, o2!]) await o.register('fo-app', app.url, { price: 1 });

  await t.test('the first orchestrator is full: the start lands on the second', async (t) => {
    const held = await startClientStream(net, 'fo-app', {}, { orchestrators: { include: [o1!.uri] } });
    t.equal(held.status, 200, JSON.stringify(held.json));
    t.equal((await net.token(o1!, 'fo-app')).availableCapacity, 0n, 'o1 is full');
    const next = await startClientStream(net, 'fo-app');
    t.equal(next.status, 200, JSON.stringify(next.json));
    t.equal((await http.status(next.json.status_url))['orchestrator'], o2!.uri);
    for (const s of [held, next]) t.equal((await http.post(s.json.stop_url, '')).statusCode, 204);
    await until(async () => (await net.token(o1!, 'fo-app')).availableCapacity === 1n && (await net.token(o2!, 'fo-app')).availableCapacity === 1n, 'both free again');
  });

  await t.test('two starts at once, one free slot each: both run (a start that finds its pick taken moves on)', async (t) => {
    for (let round = 0; round < 3; round++) {
      const both = await Promise.all([startClientStream(net, 'fo-app'), startClientStream(net, 'fo-app')]);
      t.same(both.map((s) => s.status), [200, 200], `round ${round}: ${JSON.stringify(both.map((s) => s.json.detail ?? 'ok'))}`);
      const where = await Promise.all(both.map(async (s) => (await http.status(s.json.status_url))['orchestrator']));
      t.same([...where].sort(), [o1!.uri, o2!.uri].sort(), 'one on each orchestrator');
      for (const s of both) await http.post(s.json.stop_url, '');
      await until(async () => (await net.token(o1!, 'fo-app')).availableCapacity === 1n && (await net.token(o2!, 'fo-app')).availableCapacity === 1n, 'both free again');
    }
  });
});
