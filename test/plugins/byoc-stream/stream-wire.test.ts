// BYOC streaming on a real lpx orchestrator (go-livepeer's /ai/stream/*): a
// real anvil chain with the dev protocol (orchestrator and a funded sender),
// Redis, the node with trickle + byoc-host + byoc-stream on its TLS door, a
// stream app registered as a go-livepeer external worker (a real HTTP server
// that relays its trickle input to its output with @lpx/sdk/trickle-kit), and
// a scripted go-livepeer-style stream gateway signing with a real key and
// paying with real tickets. The debit interval is shortened through the
// plugin's config; each tick still debits 23 units.
import t from 'tap';
import { TrickleSubscriber, writeSegment, type TrickleSegment } from '@lpx/sdk/trickle-kit';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { byocHostPlugin } from '../../../plugins/byoc-host/src/index.js';
import { byocStreamPlugin } from '../../../plugins/byoc-stream/src/index.js';
import { tricklePlugin } from '../../../plugins/trickle/src/index.js';
import { startEmbeddedChain } from '../../../core/src/chain/index.js';
import { insecureOrchestratorAgent } from '../../../core/src/network/byoc/index.js';
import { personalSign } from '../../../core/src/network/index.js';
import { fromHex, Rational, TicketSender } from '../../../core/src/payments/index.js';
import { createChainPaymentSources } from '../../../core/src/payments-chain/create-sources.js';
import { makeHost } from '../../helpers/host.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';
import { startStreamApp } from './helpers/stream-app.js';
import { channelExists, ScriptedStreamGateway, wholeWei, type StreamReply } from './helpers/stream-gateway.js';

const SECRET = 'byoc-stream-secret';
const insecure = { insecure: true } as const;
const ALL_CHANNELS = JSON.stringify({ enable_video_ingress: true, enable_video_egress: true, enable_data_output: true });

function header(reply: StreamReply, name: string): string | undefined {
  const value = reply.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** A bound so a lost segment fails the test instead of hanging it (not a timing assertion). */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within 60 s`)), 60_000)))]).finally(() => clearTimeout(timer));
}

async function text(segment: Promise<TrickleSegment | undefined>): Promise<string> {
  const read = await segment;
  if (read === undefined) throw new Error('the channel closed');
  return (await read.bytes()).toString('utf8');
}

t.test('BYOC streams on an lpx orchestrator, driven by a go-livepeer-style gateway', async (t) => {
  const redis = await testRedis(t);
  const chain = await startEmbeddedChain({ orchestrators: 1, senders: 1 });
  t.teardown(() => chain.stop());
  const orchestrator = chain.accounts.find((a) => a.role === 'orchestrator')!;
  const sender = privateKeyToAccount(chain.accounts.find((a) => a.role === 'sender')!.privateKey);
  const app = await startStreamApp();
  t.teardown(() => app.close());

  const host = makeHost(t, [tricklePlugin, byocHostPlugin, byocStreamPlugin], {
    redis: { url: redis.url, prefix: uniquePrefix('byoc-stream') },
    node: { roles: ['orchestrator', 'worker'] },
    chain: { rpcUrl: chain.rpcUrl, controller: chain.controller, privateKey: orchestrator.privateKey, l1BlockTimeMs: 100 },
    orchestrator: { port: 0, secret: SECRET, ticketEV: '100000', pricePerUnit: '1', pixelsPerUnit: '1' },
    plugins: { 'byoc-stream': { config: { debitIntervalMs: 100 } } },
  });
  await host.start();
  const uri = host.serviceUri!;
  const register = async (name: string, url: string, price: number, token = '') => {
    const body = JSON.stringify({ name, url, description: 'stream worker', capacity: 1, price_per_unit: price, price_scaling: 1, currency: '', token });
    const res = await insecureOrchestratorAgent().request({ origin: new URL(uri).origin, path: '/capability/register', method: 'POST', body, headers: { authorization: SECRET } });
    t.equal(res.statusCode, 200, `${name} registered`);
    await res.body.text();
  };
  // 1 wei/s: one 100000-wei ticket keeps it running for thousands of debit ticks; 1000 wei/s runs out in a few.
  await register('stream-app', app.url, 1, 'app-token');
  await register('stream-drain', app.url, 1000);
  await register('stream-broken', `${app.url}/broken`, 1000);

  const sources = await createChainPaymentSources({ rpcUrl: chain.rpcUrl, controller: chain.controller });
  t.teardown(() => sources.close());
  const tickets = new TicketSender({ signer: { address: fromHex(sender.address), signMessage: (message) => personalSign(sender, message) }, rounds: sources.rounds, senderInfo: sources.senderInfo });
  const gateway = new ScriptedStreamGateway(uri, sender, tickets);

  await t.test('start, data gateway → app → gateway, update, shared capacity, stop (idempotent, channels removed)', async (t) => {
    const { header: payment, credited } = await gateway.payment('stream-app', 1);
    const started = await gateway.start('stream-app', 'stream-1', { parameters: ALL_CHANNELS, body: JSON.stringify({ params: '{"prompt":"cat"}', control_url: 'https://elsewhere.example/x' }), payment });
    t.equal(started.status, 200, started.text);
    t.equal(started.text, '', 'an empty body: the URLs are in the headers');
    const urls = {
      control: header(started, 'X-Control-Url')!,
      events: header(started, 'X-Events-Url')!,
      publish: header(started, 'X-Publish-Url')!,
      subscribe: header(started, 'X-Subscribe-Url')!,
      data: header(started, 'X-Data-Url')!,
    };
    const base = urls.publish.slice(`${uri}/ai/trickle/`.length);
    t.match(urls.publish, new RegExp(`^${uri}/ai/trickle/[0-9a-f]{32}$`), 'ingress: {base}, public URL on the door');
    t.same(urls, { control: `${urls.publish}-control`, events: `${urls.publish}-events`, publish: urls.publish, subscribe: `${urls.publish}-out`, data: `${urls.publish}-data` }, "go-livepeer's channel suffixes");
    t.notOk(base.includes('stream-1'), 'the base is random, not the guessable stream id');
    const charged = wholeWei(credited) - BigInt(header(started, 'Livepeer-Balance')!);
    t.ok(charged >= 1n, `the start call was charged whole seconds × 1 wei (${charged})`);
    for (const url of Object.values(urls)) t.ok(await channelExists(url), `${url.slice(-12)} exists`);

    const start = await app.next('/stream/start', 'stream-1');
    const body = JSON.parse(start.body) as Record<string, unknown>;
    t.same(body, { params: '{"prompt":"cat"}', gateway_request_id: 'stream-1', control_url: urls.control, events_url: urls.events, subscribe_url: urls.publish, publish_url: urls.subscribe, data_url: urls.data }, "the app gets the client's body plus the channel URLs; the node's keys win");
    t.equal(start.authorization, 'Bearer app-token', "the worker's registration token");
    t.match(start.contentType, /application\/json/);

    t.equal((await gateway.token('stream-app')).availableCapacity, 0n, 'the stream holds the capacity /process/token reports (shared with /process/request)');
    const full = await gateway.start('stream-app', 'stream-2', { parameters: ALL_CHANNELS });
    t.same([full.status, full.text, header(full, 'Lpx-Error-Code')], [400, 'No capacity available for capability\n', 'LPX_ERR_BYOC_STREAM_NO_CAPACITY'], 'capacity full: 400 as go-livepeer');
    t.equal((await gateway.start('stream-app', 'stream-1', {})).status, 409, 'a running stream id cannot start again');

    // Media: the gateway publishes input and reads the app's output and data.
    const output = new TrickleSubscriber(urls.subscribe, insecure);
    const data = new TrickleSubscriber(urls.data, insecure);
    t.teardown(() => Promise.all([output.close(), data.close()]));
    const out = output.read();
    const line = data.read();
    await writeSegment(urls.publish, 'hello stream', { ...insecure, mimeType: 'video/MP2T' });
    t.equal(await within(text(out), 'output segment'), 'HELLO STREAM', 'gateway → app → gateway through the trickle channels');
    t.same(JSON.parse(await within(text(line), 'data line')), { seq: 0, bytes: 12 }, 'the data channel carries the app output');

    const updated = await gateway.update('stream-app', 'stream-1', '{"prompt":"dog"}');
    t.same([updated.status, JSON.parse(updated.text)], [200, { applied: { prompt: 'dog' } }], "update: the app's /stream/params answer");
    const params = await app.next('/stream/params', 'stream-1');
    t.same([params.body, params.authorization], ['{"prompt":"dog"}', 'Bearer app-token']);

    const stranger = new ScriptedStreamGateway(uri, privateKeyToAccount(generatePrivateKey()));
    const hijack = await stranger.stop('stream-app', 'stream-1');
    t.same([hijack.status, header(hijack, 'Lpx-Error-Code')], [400, 'LPX_ERR_BYOC_STREAM_SENDER_MISMATCH'], 'another sender cannot stop it');

    const stopped = await gateway.stop('stream-app', 'stream-1', 'client is done');
    t.same([stopped.status, stopped.text], [200, 'stopped'], "stop: the app's answer");
    t.equal((await app.next('/stream/stop', 'stream-1')).body, 'client is done', "the app's /stream/stop got the gateway's body");
    for (const url of Object.values(urls)) t.notOk(await channelExists(url), `${url.slice(-12)} removed`);
    t.equal((await gateway.token('stream-app')).availableCapacity, 1n, 'the capacity came back');
    const again = await gateway.stop('stream-app', 'stream-1');
    t.same([again.status, again.text], [200, ''], 'stop again: 200, nothing to do');
    t.equal(app.calls.filter((call) => call.path === '/stream/stop' && call.streamId === 'stream-1').length, 1, 'the app was told once');
    t.equal((await gateway.update('stream-app', 'stream-1', '{}')).status, 404, 'a stopped stream takes no updates');
  });

  await t.test('402 without funds; /ai/stream/payment credits; a stream that runs out is warned once, then stopped', async (t) => {
    const refused = await gateway.start('stream-drain', 'drain-1', {});
    t.same([refused.status, refused.text, header(refused, 'Lpx-Error-Code')], [402, 'Insufficient balance for request\n', 'LPX_ERR_BYOC_STREAM_INSUFFICIENT_BALANCE'], '402 at start below 60 s of credit');
    t.notOk(app.calls.some((call) => call.streamId === 'drain-1'), 'the app was never called');
    t.same([(await gateway.token('stream-drain')).availableCapacity, (await gateway.token('stream-drain')).balance], [1n, 0n], 'nothing reserved or charged');

    const { header: payment, credited } = await gateway.payment('stream-drain', 1);
    const paid = await gateway.pay('stream-drain', 'drain-1', payment);
    t.same([paid.status, header(paid, 'Livepeer-Balance')], [200, wholeWei(credited).toString()], 'the payment route credits and answers the balance');

    const started = await gateway.start('stream-drain', 'drain-1', {});
    t.equal(started.status, 200, started.text);
    t.equal(header(started, 'X-Publish-Url'), undefined, 'no ingress channel unless asked');
    const control = header(started, 'X-Control-Url')!;
    const startCharge = wholeWei(credited) - BigInt(header(started, 'Livepeer-Balance')!);
    t.ok(startCharge > 0n && startCharge % 1000n === 0n, `the start was charged whole seconds × 1000 (${startCharge})`);

    const stop = await within(app.next('/stream/stop', 'drain-1'), 'the stop of the drained stream');
    t.equal(stop.body, 'insufficient balance', 'the node stopped it and told the app why');
    t.notOk(await channelExists(control), 'its channels are gone');
    const after = await gateway.token('stream-drain');
    t.equal(after.availableCapacity, 1n, 'its capacity came back');
    // Debits of 23 × 1000 wei until the balance is negative (the warning round), then one more (the stop).
    let balance = credited.sub(Rational.of(startCharge));
    let ticks = 0n;
    while (balance.sign() >= 0) {
      balance = balance.sub(Rational.of(23_000n));
      ticks += 1n;
    }
    balance = balance.sub(Rational.of(23_000n));
    t.equal(after.balance, balance.trunc(), `exactly ${ticks + 1n} debits of 23 units: one warning round after the balance went negative`);
  });

  await t.test('an app that fails /stream/start: its answer, nothing charged, channels removed, capacity released', async (t) => {
    const { header: payment, credited } = await gateway.payment('stream-broken', 1);
    t.equal((await gateway.pay('stream-broken', 'broken-1', payment)).status, 200);
    const failed = await gateway.start('stream-broken', 'broken-1', { parameters: ALL_CHANNELS });
    t.same([failed.status, failed.text], [503, 'no gpu free'], "the app's status and body");
    t.equal(header(failed, 'Livepeer-Balance'), wholeWei(credited).toString(), 'nothing charged');
    const start = JSON.parse((await app.next('/broken/stream/start', 'broken-1')).body) as Record<string, string>;
    for (const key of ['control_url', 'events_url', 'subscribe_url', 'publish_url', 'data_url']) t.notOk(await channelExists(start[key]!), `${key} removed`);
    const token = await gateway.token('stream-broken');
    t.same([token.availableCapacity, token.balance], [1n, wholeWei(credited)], 'capacity released, balance untouched');
  });

  await t.test('refused before anything is reserved: bad signature, unknown capability, bad parameters', async (t) => {
    const forged = await gateway.post('start', { capability: 'stream-app', id: 'forged', tamper: (fields) => (fields['request'] = '{"stream_id":"other"}') });
    t.same([forged.status, header(forged, 'Lpx-Error-Code')], [400, 'LPX_ERR_ORCHESTRATOR_JOB_REQUEST_SIG_INVALID'], 'a bad signature: 400');
    const unknown = await gateway.start('no-such-app', 'unknown-1', {});
    t.same([unknown.status, unknown.text, header(unknown, 'Lpx-Error-Code')], [400, 'No capacity available for capability\n', 'LPX_ERR_BYOC_STREAM_CAPABILITY_UNKNOWN'], "an unknown capability: go-livepeer's 400");
    const bad = await gateway.start('stream-app', 'bad-1', { parameters: '{"enable_video_ingress":"yes"}' });
    t.same([bad.status, header(bad, 'Lpx-Error-Code')], [400, 'LPX_ERR_BYOC_STREAM_PARAMETERS_INVALID']);
    t.equal((await gateway.token('stream-app')).availableCapacity, 1n, 'nothing reserved');
    t.notOk(app.calls.some((call) => ['forged', 'unknown-1', 'bad-1'].includes(call.streamId ?? '')), 'the app was never called');
  });
});
