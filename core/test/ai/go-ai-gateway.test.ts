// Acceptance: a go-livepeer-style gateway's AI requests on a real lpx node
// (Host with roles [orchestrator, worker], offchain, TLS front door) whose
// pipelines and executor come from plugins through the kernel's extension
// points. The gateway is an independent double (helpers/go-ai-gateway-double.ts,
// its own .proto): it discovers the model and its per-model price, sends
// go-livepeer's Livepeer-Segment for `<capId>_<modelId>` and reads file URLs
// and an SSE stream back. GET /v1/ai/models shows the same numbers.
import t from 'tap';
import { request } from 'undici';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { makeHost } from '../../../test/helpers/host.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { GoAIGatewayDouble } from './helpers/go-ai-gateway-double.js';
import { executorsPlugin, pipelinesPlugin, testExecutor } from './helpers/test-executor.js';
import { llm, textToImage } from './helpers/test-pipelines.js';
import { pngOf, startTestRunner } from './helpers/test-runner.js';
import { until } from './helpers/paid-ai-orchestrator.js';
import { runCli } from '../../../test/helpers/cli.js';

const T2I = 'stabilityai/sdxl-turbo';
const LLM = 'meta-llama/Meta-Llama-3.1-8B-Instruct';

t.test("a go-livepeer gateway's AI requests on an offchain lpx orchestrator + worker", async (t) => {
  const redis = await testRedis(t);
  const runner = await startTestRunner();
  t.teardown(() => runner.close());
  const executor = testExecutor('test-runners', runner, [
    { pipeline: 'text-to-image', modelId: T2I, capacity: 2, warm: true, price: { pricePerUnit: '7', pixelsPerUnit: '1000' }, runnerVersion: '0.13.5' },
    { pipeline: 'llm', modelId: LLM, capacity: 1, warm: false, price: { pricePerUnit: '2', pixelsPerUnit: '1' } },
  ]);
  const host = makeHost(t, [pipelinesPlugin('test-ai-pipelines', textToImage, llm), executorsPlugin('test-ai-executor', executor)], {
    redis: { url: redis.url, prefix: uniquePrefix('go-ai-gateway') },
    node: { roles: ['orchestrator', 'worker'] },
    orchestrator: { port: 0 },
    ai: { heartbeatMs: 200 },
  });
  await host.start();
  const gateway = new GoAIGatewayDouble(host.serviceUri!, privateKeyToAccount(generatePrivateKey()));
  t.teardown(() => gateway.close());

  let info = await gateway.getOrchestrator(27, T2I);
  const deadline = Date.now() + 20_000;
  while ((info.models['27']?.[T2I]?.capacity ?? 0) === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    info = await gateway.getOrchestrator(27, T2I);
  }
  t.same(info.models['27']?.[T2I], { warm: true, capacity: 2, runnerVersion: '0.13.5' }, 'the model constraint go-livepeer gateways select on');
  t.same(info.models['33']?.[LLM], { warm: false, capacity: 1, runnerVersion: '' });

  const image = await gateway.postJSON(info, 'text-to-image', 27, T2I, { prompt: 'a go gateway', model_id: T2I, width: 8, height: 8 });
  t.equal(image.status, 200, image.text);
  const url = (JSON.parse(image.text) as { images: { url: string }[] }).images[0]!.url;
  t.ok(url.startsWith(`${host.serviceUri}/v1/blobs/`), 'a URL on the orchestrator front door');
  const file = await gateway.download(url);
  t.equal(file.status, 200);
  t.same(file.data, pngOf(8, 8));

  const stream = await gateway.postJSON(info, 'llm', 33, LLM, { model: LLM, messages: [{ role: 'user', content: 'hi' }], max_tokens: 16, stream: true });
  t.equal(stream.status, 200, stream.text);
  t.equal(stream.contentType, 'text/event-stream');
  t.equal(stream.text.split('\n\n').filter(Boolean).length, 4, 'four data: events');

  const unserved = await gateway.postJSON(info, 'text-to-image', 27, 'someone/else', { prompt: 'x', model_id: 'someone/else' });
  t.equal(unserved.status, 403, 'a model the node does not advertise fails the capability check');
  t.equal(unserved.text, 'incompatible capabilities\n');

  const notMounted = await request(`${host.serviceUri}/audio-to-text`, { method: 'POST', dispatcher: new (await import('undici')).Agent({ connect: { rejectUnauthorized: false } }) });
  t.equal(notMounted.statusCode, 404, 'no route for a pipeline without a plugin');
  await notMounted.body.dump();

  const status = await request(`${host.url}/v1/ai/models`);
  const body = (await status.body.json()) as { pipelines: { name: string }[]; executors: { name: string; offers: unknown[] }[]; models: { pipeline: string; modelId: string; capacity: number; price?: unknown; executors: string[]; workers: number }[] };
  t.same(body.pipelines.map((p) => p.name), ['llm', 'text-to-image']);
  t.same(body.executors.map((e) => [e.name, e.offers.length]), [['test-runners', 2]]);
  t.match(body.models, [
    { pipeline: 'llm', modelId: LLM, capacity: 1, price: { pricePerUnit: '2', pixelsPerUnit: '1' }, executors: ['test-runners'], workers: 1 },
    { pipeline: 'text-to-image', modelId: T2I, capacity: 2, executors: ['test-runners'], workers: 1 },
  ]);

  const cli = await runCli('ai', 'models', '--url', host.url!);
  t.equal(cli.code, 0, cli.stderr);
  t.match(cli.stdout, /text-to-image\s+stabilityai\/sdxl-turbo\s+2\s+yes\s+7\/1000 wei\/pixel\s+test-runners\s+1/, 'lpx ai models: the orchestrator view, price per model');
  t.match(cli.stdout, /test-runners\s+llm\s+meta-llama\/Meta-Llama-3.1-8B-Instruct\s+1\s+no\s+2 wei\/token/, "lpx ai models: this worker's executor offers");

  // Offers move: the executor drops to one text-to-image slot and the orchestrator follows.
  executor.update([{ pipeline: 'text-to-image', modelId: T2I, capacity: 1, warm: true }]);
  await until(async () => ((await gateway.getOrchestrator(27, T2I)).models['27']?.[T2I]?.capacity ?? 0) === 1, 'the new capacity advertised');
  info = await gateway.getOrchestrator(33, LLM);
  t.equal(info.models['33'], undefined, 'a model no worker offers any more is not advertised');
});
