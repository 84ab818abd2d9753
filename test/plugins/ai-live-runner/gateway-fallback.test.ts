// The lpx gateway's batch AI routes when orchestrators moved to Live Runner
// (ADR 0050), on the embedded dev chain with payments on both sides: a
// gateway Host (pipelines, static discovery) and an orchestrator + worker
// Host running the lpx reference runner (in this process, as an external
// runner URL) whose batch routes are retired as go-livepeer #4036 does
// (`ai.batchRoutes: false`) and whose models ai-live-runner exposes as
// fixed-price single-shot apps. `POST /text-to-image` on the gateway finds
// no batch orchestrator, is paid once through the Live Runner challenge and
// answered in the batch shape; refusals reach the client coded; with batch
// routes on, nothing changes.
import t, { type Test } from 'tap';
import { request } from 'undici';
import { privateKeyToAccount } from 'viem/accounts';
import { definePlugin, liveRunnerRegistryRef } from '@lpx/sdk';
import { aiLlmPlugin } from '@lpx/plugin-ai-llm';
import { aiTextToImagePlugin } from '@lpx/plugin-ai-text-to-image';
import discoveryStaticPlugin from '@lpx/plugin-discovery-static';
import { startEmbeddedChain } from '../../../core/src/chain/embedded-anvil.js';
import { fromHex, Rational, RedisCreditStore } from '../../../core/src/payments/index.js';
import { makeHost } from '../../helpers/host.js';
import { uniquePrefix } from '../../helpers/redis.js';
import { insecure } from '../live-runner/helpers/live-runner-client.js';
import { until } from '../live-runner/helpers/node.js';
import { droppingFront, LLM_MODEL, startAIOrchestrator, T2I_MODEL } from './helpers.js';

const chain = await startEmbeddedChain({ orchestrators: 1, senders: 1 });
t.teardown(() => chain.stop());
const orchestratorAccount = chain.accounts.find((a) => a.role === 'orchestrator')!;
const senderAccount = chain.accounts.find((a) => a.role === 'sender')!;

/** 1e6 wei per output pixel, 256×256 pixels per call: the app's fixed price. */
const PER_PIXEL = 1_000_000n;
const MAX_UNITS = 256n * 256n;
const FIXED = PER_PIXEL * MAX_UNITS;
/** One ticket (EV ≈ 1e11) covers one call (6.5536e10) but not two. */
const TICKET_EV = 100_000_000_000n;

/** Records the Live Runner sessions the orchestrator reserves (one per paid single-shot call). */
function sessionLog() {
  const reserved: string[] = [];
  const released: string[] = [];
  const plugin = definePlugin({
    manifest: { id: 'session-log', version: '0.1.0', host: '^0.1.0', requires: { services: ['live-runner.registry'] } },
    register(reg) {
      reg.registerInit({ deps: { runners: liveRunnerRegistryRef }, init: ({ runners }) => void runners.onSession((e) => (e.type === 'reserved' ? reserved : released).push(e.sessionId)) });
    },
  });
  return { plugin, reserved, released };
}

async function network(t: Test, options: { batchRoutes: boolean; t2iFront?: (url: string) => Promise<string> }) {
  const log = sessionLog();
  const orch = await startAIOrchestrator(t, {
    price: { price_per_unit: PER_PIXEL.toString(), pixels_per_unit: '1' },
    bridge: { maxUnits: { 'text-to-image': MAX_UNITS.toString(), llm: '1000' } },
    extraPlugins: [log.plugin],
    ...(options.t2iFront !== undefined ? { t2iFront: options.t2iFront } : {}),
    raw: {
      chain: { rpcUrl: chain.rpcUrl, controller: chain.controller, privateKey: orchestratorAccount.privateKey, l1BlockTimeMs: 50 },
      ai: { batchRoutes: options.batchRoutes },
    },
    orchestrator: { ticketEV: TICKET_EV.toString() },
  });
  const gateway = makeHost(t, [discoveryStaticPlugin, aiTextToImagePlugin, aiLlmPlugin], {
    redis: { url: orch.redis.url, prefix: uniquePrefix('ai-lr-gw') },
    node: { roles: ['gateway'] },
    chain: { rpcUrl: chain.rpcUrl, controller: chain.controller, privateKey: senderAccount.privateKey },
    gateway: { poolRefreshMs: 300, maxTicketEV: (TICKET_EV * 2n).toString(), maxTotalEV: (TICKET_EV * 100n).toString(), requestTimeoutMs: 30_000 },
    plugins: { 'discovery-static': { config: { orchAddr: orch.uri } } },
  });
  await gateway.start();
  const credits = new RedisCreditStore({ redis: await orch.redis.connect(), prefix: orch.prefix, recipient: fromHex(orchestratorAccount.address) });
  const sender = privateKeyToAccount(senderAccount.privateKey).address.toLowerCase();
  const balance = async (session: string) => (await credits.balance(sender, session))!;
  const post = async (path: string, body: unknown) => {
    const res = await request(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
  };
  const metric = async (name: string, labels: Record<string, string>) => {
    const found = (await gateway.metrics.getSingleMetric(name)?.get())?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
    return found?.value ?? 0;
  };
  return { orch, gateway, log, balance, post, metric };
}

t.test('no batch orchestrator: the gateway pays one Live Runner call and answers in the batch shape', async (t) => {
  const { orch, gateway, log, balance, post, metric } = await network(t, { batchRoutes: false });
  const retired = await request(`${orch.uri}/text-to-image`, { method: 'POST', body: '{}', dispatcher: insecure });
  t.equal(retired.statusCode, 410, "the orchestrator's batch route is gone (go-livepeer #4036)");
  await retired.body.text();

  const answer = await until(async () => {
    const r = await post('/text-to-image', { prompt: 'a lighthouse at dusk', model_id: T2I_MODEL, width: 256, height: 128 });
    // Until the gateway's /discovery cache holds the app, the model is unknown to it.
    return r.status === 200 ? r : undefined;
  }, 'the gateway to serve text-to-image through the Live Runner app');
  t.equal(answer.headers['lpx-orchestrator'], orch.uri, 'served by the orchestrator, through its app');
  const images = answer.json<{ images: { url: string; seed: number }[] }>().images;
  t.equal(images.length, 1);
  t.notMatch(images[0]!.url, /^data:/, 'media re-hosted on the gateway, as the batch route answers');
  const file = await request(new URL(images[0]!.url, gateway.url).href);
  t.equal(file.statusCode, 200, 'the gateway serves the image');
  const png = Buffer.from(await file.body.arrayBuffer());
  t.same([png.readUInt32BE(16), png.readUInt32BE(20)], [256, 128], "the reference runner's PNG of the size asked for");
  t.equal(log.reserved.length, 1, 'one Live Runner session for the request');
  await until(() => log.released.length === 1, 'the single-shot session to be released');
  const left = await balance(log.reserved[0]!);
  t.ok(left.sign() > 0 && left.lt(Rational.of(FIXED)), `the fixed price was debited exactly once (balance ${left.num / left.den} wei)`);
  t.equal(await metric('lpx_gateway_ai_live_runner_fallback_total', { pipeline: 'text-to-image', outcome: 'served' }), 1, 'counted as served by the fallback');

  // An LLM stream through its app: the events relayed as the batch route relays them.
  const llm = await request(`${gateway.url}/llm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: LLM_MODEL, messages: [{ role: 'user', content: 'count' }], max_tokens: 3, stream: true }) });
  t.equal(llm.statusCode, 200, 'llm stream answered');
  t.match(String(llm.headers['content-type']), /^text\/event-stream/);
  const sse = await llm.body.text();
  t.match(sse, /^data: \{/, 'server-sent events');
  t.match(sse, /lpx-reference-runner/, "the reference runner's tokens");
  t.equal(log.reserved.length, 2, 'one more paid call');

  // Input the runner refuses: the client gets the coded 4xx (paid: the app was reached, as go-livepeer's single-shot is).
  const empty = await post('/text-to-image', { prompt: '', model_id: T2I_MODEL, width: 64, height: 64 });
  t.equal(empty.status, 400, empty.text);
  t.equal(empty.headers['lpx-error-code'], 'LPX_ERR_AI_REQUEST_INVALID');
  t.equal(log.reserved.length, 3);

  // More units than one call covers: refused at the gateway, nothing paid, no session.
  const big = await post('/text-to-image', { prompt: 'too big', model_id: T2I_MODEL, width: 512, height: 512 });
  t.equal(big.status, 400, big.text);
  t.equal(big.headers['lpx-error-code'], 'LPX_ERR_AI_UNITS_NOT_COVERED');
  t.equal(log.reserved.length, 3, 'no session reserved for it');

  // A model no orchestrator serves either way: the batch error, counted as no-app.
  const unknown = await post('/text-to-image', { prompt: 'x', model_id: 'nobody/serves-this', width: 64, height: 64 });
  t.equal(unknown.status, 400, unknown.text);
  t.equal(unknown.headers['lpx-error-code'], 'LPX_ERR_AI_MODEL_UNKNOWN');
  t.equal(await metric('lpx_gateway_ai_live_runner_fallback_total', { pipeline: 'text-to-image', outcome: 'no-app' }), 1);
});

t.test('with batch orchestrators the normal path is unchanged', async (t) => {
  const { log, post, metric } = await network(t, { batchRoutes: true });
  const answer = await until(async () => {
    const r = await post('/text-to-image', { prompt: 'batch', model_id: T2I_MODEL, width: 64, height: 64 });
    return r.status === 200 ? r : undefined;
  }, 'the batch route to serve');
  t.equal(answer.json<{ images: unknown[] }>().images.length, 1);
  t.equal(log.reserved.length, 0, 'no Live Runner session');
  t.equal(await metric('lpx_gateway_ai_live_runner_fallback_total', { pipeline: 'text-to-image', outcome: 'served' }), 0);
});

t.test('a runner dropping the call mid-request: the client gets a clear coded error, paid once, not retried', async (t) => {
  let front: Awaited<ReturnType<typeof droppingFront>> | undefined;
  const { log, post, metric } = await network(t, { batchRoutes: false, t2iFront: async (url) => (front = await droppingFront(t, url)).url });
  await until(async () => ((await post('/text-to-image', { prompt: 'warm up', model_id: T2I_MODEL, width: 64, height: 64 })).status === 200 ? true : undefined), 'the fallback to serve');
  const before = log.reserved.length;
  const failedBefore = await metric('lpx_gateway_ai_live_runner_fallback_total', { pipeline: 'text-to-image', outcome: 'failed' });
  front!.dropNext();
  const dropped = await post('/text-to-image', { prompt: 'dropped', model_id: T2I_MODEL, width: 64, height: 64 });
  t.equal(dropped.status, 500, dropped.text);
  t.equal(dropped.headers['lpx-error-code'], 'LPX_ERR_AI_RUNNER_FAILED', 'coded: the runner failed');
  t.equal(log.reserved.length, before + 1, 'one paid call, not retried elsewhere (that would pay twice)');
  t.equal(await metric('lpx_gateway_ai_live_runner_fallback_total', { pipeline: 'text-to-image', outcome: 'failed' }), failedBefore + 1, 'counted as failed');
  // The runner is rechecked after a failure (ai-runners): the app may leave and come back meanwhile.
  await until(async () => ((await post('/text-to-image', { prompt: 'after', model_id: T2I_MODEL, width: 64, height: 64 })).status === 200 ? true : undefined), 'the next request to be served');
  t.pass('served again after the drop');
});
