// go-livepeer's AI routes on a paid orchestrator (paid-routes.ts) with a
// worker Host running real test pipelines on an in-test runner: the worker's
// offers become per-model capacity and prices in OrchestratorInfo; a paid
// text-to-image request is debited exactly price × h×w×n and answers file
// URLs on the door; every failure is go-livepeer's status and text with no
// debit, and capacity comes back.
import t from 'tap';
import { request } from 'undici';
import { textToImage, upscale, llm } from './helpers/test-pipelines.js';
import { pngOf } from './helpers/test-runner.js';
import { startPaidAIOrchestrator, until } from './helpers/paid-ai-orchestrator.js';
import { Rational } from '../../src/payments/index.js';

const MODEL = 'stabilityai/sdxl-turbo';
const PRICE = { pricePerUnit: '3', pixelsPerUnit: '2' };

t.test('text-to-image on the paid front door: advertised per model, debited exactly, failures cost nothing', async (t) => {
  const node = await startPaidAIOrchestrator(t, {
    pipelines: [textToImage, upscale, llm],
    offers: [
      { pipeline: 'text-to-image', modelId: MODEL, capacity: 2, warm: true, price: PRICE, runnerVersion: '0.13.5' },
      { pipeline: 'upscale', modelId: 'stabilityai/stable-diffusion-x4-upscaler', capacity: 1, warm: false, price: { pricePerUnit: '1', pixelsPerUnit: '1' } },
    ],
  });
  await until(() => (node.registry.get('ai/text-to-image')?.capacity ?? 0) === 2, 'the worker offer on the orchestrator');
  const descriptor = node.registry.get('ai/text-to-image')!;
  t.same(descriptor.constraints.models, { [MODEL]: { warm: true, capacity: 2, runnerVersion: '0.13.5', price: PRICE } }, 'per-model constraint from the executor offer');

  const s = await node.session(textToImage, MODEL);
  t.same(s.orchInfo.priceInfo, { pricePerUnit: 3n, pixelsPerUnit: 2n }, 'price_info for the AI job = the model price');
  const discovery = await node.info.build({ gateway: node.gatewayAddress, ignoreCapacityCheck: true });
  t.ok(discovery.capabilitiesPrices.some((p) => p.capability === 27 && p.constraint === MODEL && p.pricePerUnit === 3n && p.pixelsPerUnit === 2n), 'capabilities_prices per model (discovery, no capabilities asked)');
  t.equal(s.orchInfo.capabilities?.constraints.perCapability[27]?.models[MODEL]?.capacity, 2, 'model capacity advertised');

  // A paid request: 64×32×2 pixels at 3/2 wei.
  const units = 64n * 32n * 2n;
  const paid = await s.headers(units);
  const ok = await node.post('/text-to-image', paid.headers, JSON.stringify({ prompt: 'a lighthouse', model_id: MODEL, width: 64, height: 32, num_images_per_prompt: 2 }));
  t.equal(ok.status, 200, ok.text);
  const body = JSON.parse(ok.text) as { images: { url: string; seed: number }[] };
  t.equal(body.images.length, 2);
  for (const image of body.images) {
    t.match(image.url, new RegExp(`^${node.uri}/v1/blobs/[^?]+\\?token=`), 'a file URL on the front door');
    const file = await request(image.url);
    t.equal(file.statusCode, 200);
    t.same(Buffer.from(await file.body.arrayBuffer()), pngOf(64, 32), 'the runner image bytes');
  }
  t.ok((await s.balance())?.eq(paid.credit.sub(Rational.of(3n, 2n).mulInt(units))), 'balance = credit − 3/2 × 64×32×2');
  t.equal(node.registry.inUse('ai/text-to-image', MODEL), 0, 'capacity released after the reply');

  // Without the AI-worker Authorization header, old gateways get base64 data URLs.
  const old = await s.headers(512n * 512n);
  delete old.headers.authorization;
  const inline = await node.post('/text-to-image', old.headers, JSON.stringify({ prompt: 'old gateway', model_id: MODEL }));
  t.equal(inline.status, 200, inline.text);
  t.equal((JSON.parse(inline.text) as { images: { url: string }[] }).images[0]!.url, `data:image/png;base64,${pngOf(512, 512).toString('base64')}`, 'a data URL (defaults 512×512)');

  // Multipart: upscale with an image upload, units = input w×h.
  const s2 = await node.session(upscale, 'stabilityai/stable-diffusion-x4-upscaler');
  const form = new FormData();
  form.set('prompt', 'sharper');
  form.set('model_id', 'stabilityai/stable-diffusion-x4-upscaler');
  form.set('image', new Blob([pngOf(20, 10)], { type: 'image/png' }), 'in.png');
  const up = await s2.headers(200n);
  const upscaled = await node.post('/upscale', up.headers, form);
  t.equal(upscaled.status, 200, upscaled.text);
  t.ok((await s2.balance())?.eq(up.credit.sub(Rational.of(200n))), 'upscale debited 1 wei × 20×10');

  const failures: { name: string; arrange?: () => void; send: () => Promise<{ status: number; text: string; headers: Record<string, unknown> }>; status: number; text: RegExp; code?: string }[] = [
    { name: 'malformed JSON body', send: async () => node.post('/text-to-image', (await s.headers(1n)).headers, '{nope'), status: 400, text: /^the body is not JSON/, code: 'LPX_ERR_AI_REQUEST_INVALID' },
    { name: 'unparseable payment', send: async () => node.post('/text-to-image', (await s.headers(1n, { payment: '!!notbase64' })).headers, JSON.stringify({ prompt: 'x' })), status: 402, text: /./ },
    { name: 'tampered credentials', send: async () => node.post('/text-to-image', (await s.headers(1n, { segment: 'AAAA' })).headers, JSON.stringify({ prompt: 'x' })), status: 403, text: /./ },
    { name: 'a model this node does not advertise (capability check)', send: async () => node.post('/text-to-image', (await (await node.session(textToImage, 'other/model')).headers(1n)).headers, JSON.stringify({ prompt: 'x', model_id: 'other/model' })), status: 403, text: /^incompatible capabilities$/ },
    { name: 'missing prompt', send: async () => node.post('/text-to-image', (await s.headers(1n)).headers, JSON.stringify({ model_id: MODEL })), status: 400, text: /^prompt is required$/, code: 'LPX_ERR_AI_REQUEST_INVALID' },
    { name: 'an unknown field', send: async () => node.post('/text-to-image', (await s.headers(1n)).headers, JSON.stringify({ prompt: 'x', model_id: MODEL, colour: 'red' })), status: 400, text: /unknown field "colour"/ },
    { name: 'an image side over ai.limits', send: async () => node.post('/text-to-image', (await s.headers(1n)).headers, JSON.stringify({ prompt: 'x', model_id: MODEL, width: 100_000 })), status: 413, text: /maxImageSide/, code: 'LPX_ERR_AI_LIMIT_EXCEEDED' },
    { name: 'a corrupt image upload', send: async () => { const f = new FormData(); f.set('prompt', 'p'); f.set('model_id', 'stabilityai/stable-diffusion-x4-upscaler'); f.set('image', new Blob([Buffer.from('not a png at all, sorry')]), 'x.png'); return node.post('/upscale', (await s2.headers(1n)).headers, f); }, status: 400, text: /not a PNG/ },
    { name: 'the runner answers 500', arrange: () => (node.runner.behavior = 'fail'), send: async () => node.post('/text-to-image', (await s.headers(512n * 512n)).headers, JSON.stringify({ prompt: 'x', model_id: MODEL })), status: 500, text: /CUDA out of memory/, code: 'LPX_ERR_AI_RUNNER_FAILED' },
    { name: 'the runner dies mid-request', arrange: () => (node.runner.behavior = 'die'), send: async () => node.post('/text-to-image', (await s.headers(512n * 512n)).headers, JSON.stringify({ prompt: 'x', model_id: MODEL })), status: 500, text: /runner did not answer/, code: 'LPX_ERR_AI_RUNNER_FAILED' },
    { name: 'every executor is full', arrange: () => { node.runner.behavior = 'ok'; node.executor.refuse = true; }, send: async () => node.post('/text-to-image', (await s.headers(512n * 512n)).headers, JSON.stringify({ prompt: 'x', model_id: MODEL })), status: 503, text: /^insufficient capacity$/, code: 'LPX_ERR_AI_NO_CAPACITY' },
  ];
  for (const f of failures) {
    f.arrange?.();
    const before = await s.balance();
    const res = await f.send();
    t.equal(res.status, f.status, `${f.name}: ${f.status}`);
    t.match(res.text.trim(), f.text, `${f.name}: go-livepeer-style text`);
    t.equal(res.headers['content-type'], 'text/plain; charset=utf-8', `${f.name}: plain text like Go's http.Error`);
    if (f.code !== undefined) t.equal(res.headers['x-lpx-error-code'], f.code, `${f.name}: coded`);
    const after = await s.balance();
    t.ok(after === undefined || before === undefined || after.gte(before), `${f.name}: nothing debited`);
    t.equal(node.registry.inUse('ai/text-to-image', MODEL), 0, `${f.name}: capacity released`);
  }
  node.executor.refuse = false;

  // The node keeps serving after all that.
  const again = await node.post('/text-to-image', (await s.headers(512n * 512n)).headers, JSON.stringify({ prompt: 'still here', model_id: MODEL }));
  t.equal(again.status, 200, again.text);

  const charged = await node.metrics.getSingleMetric('lpx_ai_units_charged_total')!.get();
  t.ok(charged.values.some((v) => v.labels.pipeline === 'text-to-image' && v.value === Number(units + 512n * 512n * 2n)), 'lpx_ai_units_charged_total counts the debited units');
});
