// An lpx gateway routing go-livepeer batch AI requests to go-livepeer-style
// orchestrators (the double in network/helpers): the wire (Livepeer-Segment,
// Livepeer-Payment, the AI-worker Authorization), exact payments on both
// sides, media re-hosted, go-livepeer's retry rules, warm first, LLM streams
// relayed and aborted, and refusals before anything is paid.
import t from 'tap';
import { errors } from '@lpx/sdk';
import { Rational } from '../../../src/payments/index.js';
import { LLAMA, memoryChain, SDXL, startAIGateway, startDouble } from './ai-fixture.js';

const prompt = (extra: Record<string, unknown> = {}) => ({ kind: 'json' as const, json: { prompt: 'a lighthouse', width: 64, height: 32, ...extra } });

t.test('text-to-image: paid units × price, sent as go-livepeer sends it, media re-hosted, balances equal on both sides', async (t) => {
  const chain = memoryChain();
  const o = await startDouble(t, chain, [{ ...SDXL, warm: true }]);
  const gw = await startAIGateway(t, chain, [o]);
  for (const round of [1, 2]) {
    const result = await gw.service.ai({ pipeline: 'text-to-image', body: prompt() });
    t.equal(result.kind, 'json');
    if (result.kind !== 'json') return;
    t.equal(result.orchestrator, o.uri);
    t.equal(result.modelId, SDXL.modelId);
    const images = (result.json as { images: { url: string; seed: number }[] }).images;
    t.equal(images.length, 1);
    t.match(images[0]!.url, /^\/v1\/blobs\/[0-9a-f-]+\?token=/, 'the URL is the gateway’s own');
    t.equal(images[0]!.seed, 42, 'the rest of the result is go-livepeer’s');
    t.equal(result.media.length, 1);
    t.equal(result.media[0]!.url, images[0]!.url);
    t.same([...result.media[0]!.data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'the orchestrator’s PNG bytes');
    const call = o.calls.at(-1)!;
    t.equal(call.manifestId, `27_${SDXL.modelId}`);
    t.equal(call.authorization, 'Livepeer-AI-Worker-1.0');
    t.equal(call.units, 64n * 32n, 'the orchestrator debited h × w × n');
    const session = await gw.sessions.session(o.uri, call.manifestId, undefined as never);
    const gBalance = gw.payments.balance(session);
    const oBalance = await o.balance(gw.sender, { ...SDXL, warm: true });
    t.ok(gBalance !== undefined && oBalance !== undefined && gBalance.eq(oBalance), `round ${round}: gateway ${gBalance?.toString()} = orchestrator ${oBalance?.toString()}`);
  }
  t.equal(o.calls.length, 2);
});

t.test('one orchestrator fails (500), another succeeds: the first is suspended and debited nothing, the second debited once', async (t) => {
  const chain = memoryChain();
  const bad = await startDouble(t, chain, [{ ...SDXL, warm: true }]);
  const good = await startDouble(t, chain, [{ ...SDXL, warm: true }]);
  bad.mode = 'fail';
  const gw = await startAIGateway(t, chain, [bad, good]);
  const result = await gw.service.ai({ pipeline: 'text-to-image', body: prompt() });
  t.equal(result.orchestrator, good.uri);
  t.equal(result.attempts, 2);
  t.equal(gw.failed[0]!.uri, bad.uri);
  t.equal(gw.failed[0]!.action, 'suspend-and-try-another');
  t.ok(gw.pool.isSuspended(bad.uri));
  t.same(bad.calls.map((c) => c.status), [500]);
  t.same(good.calls.map((c) => c.status), [200], 'the delivered one ran once');
  // The failed one kept the credit it was sent (a whole number of ticket EVs), nothing debited.
  const kept = await bad.balance(gw.sender, { ...SDXL, warm: true });
  t.ok(kept !== undefined && kept.gt(Rational.ZERO), 'it holds the credit it was sent: nothing was debited there');
  const paidAtGood = await good.balance(gw.sender, { ...SDXL, warm: true });
  const session = await gw.sessions.session(good.uri, `27_${SDXL.modelId}`, undefined as never);
  t.ok(paidAtGood !== undefined && paidAtGood.eq(gw.payments.balance(session)!), 'and the one that delivered agrees with the gateway to the wei');
});

t.test('insufficient capacity: another orchestrator without suspending the busy one', async (t) => {
  const chain = memoryChain();
  const busy = await startDouble(t, chain, [{ ...SDXL, warm: true }]);
  const free = await startDouble(t, chain, [{ ...SDXL, warm: true }]);
  busy.mode = 'busy';
  const gw = await startAIGateway(t, chain, [busy, free]);
  const result = await gw.service.ai({ pipeline: 'text-to-image', body: prompt() });
  t.equal(result.orchestrator, free.uri);
  t.equal(gw.failed[0]!.action, 'try-another');
  t.notOk(gw.pool.isSuspended(busy.uri), 'no blame for a full orchestrator');
});

t.test('TicketParams expired: the same orchestrator again with a fresh session, up to 3 times', async (t) => {
  const chain = memoryChain();
  const o = await startDouble(t, chain, [{ ...SDXL, warm: true }]);
  o.mode = 'expired';
  const gw = await startAIGateway(t, chain, [o]);
  await t.rejects(gw.service.ai({ pipeline: 'text-to-image', body: prompt() }), { code: errors.gateway.NO_ORCHESTRATORS.code, message: /TicketParams expired/ });
  t.equal(o.calls.length, 3, 'three tries there, then nobody is left');
  t.same(gw.failed.map((f) => f.action), ['same-again', 'same-again', 'try-another']);
});

t.test('the runner refused the request (400 "returned 400"): the caller gets a coded 400 at once, nobody else is tried', async (t) => {
  const chain = memoryChain();
  const o1 = await startDouble(t, chain, [{ ...SDXL, warm: true }]);
  const o2 = await startDouble(t, chain, [{ ...SDXL, warm: true }]);
  o1.mode = 'runner-400';
  const gw = await startAIGateway(t, chain, [o1, o2]);
  await t.rejects(gw.service.ai({ pipeline: 'text-to-image', body: prompt() }), { code: errors.ai.REQUEST_INVALID.code, message: /prompt is too naughty/ });
  t.equal(o2.calls.length, 0);
  t.notOk(gw.pool.isSuspended(o1.uri));
});

t.test('warm models are preferred, as go-livepeer’s warm pool comes first', async (t) => {
  const chain = memoryChain();
  const cold = await startDouble(t, chain, [{ ...SDXL, warm: false }]);
  const warm = await startDouble(t, chain, [{ ...SDXL, warm: true }]);
  const gw = await startAIGateway(t, chain, [cold, warm], { prefer: () => [cold.uri, warm.uri] });
  t.equal((await gw.service.ai({ pipeline: 'text-to-image', body: prompt() })).orchestrator, warm.uri, 'selection prefers the cold one, warm wins');
  warm.mode = 'fail';
  t.equal((await gw.service.ai({ pipeline: 'text-to-image', body: prompt() })).orchestrator, cold.uri, 'then cold ones');
});

t.test('nobody offers the model: MODEL_UNKNOWN; all over the price ceiling: PRICE_TOO_HIGH; nothing sent either way', async (t) => {
  const chain = memoryChain();
  const o = await startDouble(t, chain, [{ ...SDXL, warm: true }]);
  const gw = await startAIGateway(t, chain, [o]);
  await t.rejects(gw.service.ai({ pipeline: 'text-to-image', body: prompt({ model_id: 'someone/else' }) }), { code: errors.ai.MODEL_UNKNOWN.code, message: /someone\/else/ });
  await t.rejects(gw.service.ai({ pipeline: 'text-to-image', body: prompt(), maxPricePerUnit: '1/2000' }), { code: errors.gateway.PRICE_TOO_HIGH.code });
  const ok = await gw.service.ai({ pipeline: 'text-to-image', body: prompt(), maxPricePerUnit: '1/1000' });
  t.equal(ok.orchestrator, o.uri, 'a ceiling equal to the price passes');
  t.equal(o.calls.length, 1);
});

t.test('a bad body or price is a coded 400 before anything is queued or paid', async (t) => {
  const chain = memoryChain();
  const o = await startDouble(t, chain, [{ ...SDXL, warm: true }]);
  const gw = await startAIGateway(t, chain, [o]);
  await t.rejects(gw.service.ai({ pipeline: 'text-to-image', body: { kind: 'json', json: { width: 64 } } }), { code: errors.ai.REQUEST_INVALID.code, message: /prompt/ });
  await t.rejects(gw.service.ai({ pipeline: 'text-to-image', body: prompt(), maxPricePerUnit: '0.5' }), { code: errors.ai.REQUEST_INVALID.code });
  await t.rejects(gw.service.ai({ pipeline: 'upscale', body: prompt() }), { code: errors.ai.PIPELINE_UNKNOWN.code });
  t.equal(gw.queued.length, 0, 'nothing queued');
  t.equal(o.calls.length, 0, 'nothing sent or paid');
});

t.test('LLM stream: events relayed one by one; a caller that walks away closes the orchestrator’s stream', async (t) => {
  const chain = memoryChain();
  const o = await startDouble(t, chain, [{ ...LLAMA, warm: true }]);
  const gw = await startAIGateway(t, chain, [o]);
  const body = { kind: 'json' as const, json: { model: LLAMA.modelId, messages: [{ role: 'user', content: 'hi' }], max_tokens: 8, stream: true } };
  const full = await gw.service.ai({ pipeline: 'llm', body });
  t.equal(full.kind, 'stream');
  if (full.kind !== 'stream') return;
  const contents: string[] = [];
  for await (const event of full.events) contents.push(((event.choices as { delta: { content: string } }[])[0]!).delta.content);
  t.same(contents, ['t0', 't1', 't2', 't3', 't4'], 'every chunk, in order, up to the finish_reason');
  t.equal(o.calls[0]!.units, 8n, 'max_tokens units');
  t.equal(gw.queued.length, 0, 'a stream is routed in this process, not queued');

  const abort = new AbortController();
  const cut = await gw.service.ai({ pipeline: 'llm', body, signal: abort.signal });
  if (cut.kind !== 'stream') return t.fail('a stream');
  let relayed = 0;
  for await (const _event of cut.events) {
    relayed++;
    abort.abort();
  }
  t.equal(relayed, 1, 'nothing more is relayed once the caller went away, and no error either');
  t.equal(await o.streams[0], 'completed', 'the first stream was read to its finishing chunk');
  t.equal(await o.streams[1], 'abandoned', 'the orchestrator saw the gateway hang up before its next chunk');
  t.equal(o.streamsAbandoned, 1);
});
