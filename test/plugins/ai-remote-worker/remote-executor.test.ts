// The `remote-workers` executor on real sockets: go-livepeer AI worker
// doubles (helpers/go-ai-worker-double.ts, an independent implementation of
// the worker side with its own .proto) register through the TLS front door
// (gRPC proxied to grpc-js), get NotifyAIJob pushed down their streams,
// download inputs from input_url and post results to /aiResults; execute()
// answers AIPipelineResults. Plus go-livepeer's dispatch rules and the
// failure paths a real worker would meet.
import { connect } from 'node:http2';
import t, { type Test } from 'tap';
import type { AIExecution, AIModelOffer, AIPipeline, AIPipelineRequest } from '@lpx/sdk';
import { GoAIWorkerDouble, llmChunks, renderedImage, type GoAIWorkerDoubleOptions } from './helpers/go-ai-worker-double.js';
import { pipelineRequest, SECRET, startRemoteAINode, until, type RemoteAINode } from './helpers/remote-ai-node.js';

const T2I = { pipeline: 'text-to-image', modelId: 'stabilityai/sd-turbo', capacity: 2 } as const;
const LLM = 'meta-llama/Llama-3.1-8B-Instruct';

function worker(t: Test, n: RemoteAINode, options: Partial<GoAIWorkerDoubleOptions> = {}): GoAIWorkerDouble {
  const w = new GoAIWorkerDouble({ orchAddr: n.orchAddr, secret: SECRET, models: [T2I], ...options });
  t.teardown(() => w.close());
  return w;
}

const capacity = (n: RemoteAINode, modelId: string = T2I.modelId): number => n.executor.offers().find((o) => o.modelId === modelId)?.capacity ?? 0;

async function registered(n: RemoteAINode, total: number, modelId: string = T2I.modelId): Promise<void> {
  await until(() => capacity(n, modelId) === total, `capacity ${total} for ${modelId}`);
}

function execution(request: AIPipelineRequest, requestId = 'req-1', signal = new AbortController().signal): AIExecution {
  // The executor does not call the pipeline: workers run it.
  return { requestId, pipeline: { name: request.pipeline } as AIPipeline, request, signal };
}

const t2i = (json: Record<string, unknown>) => pipelineRequest('text-to-image', T2I.modelId, { kind: 'json', json });

function fetchH2(url: string): Promise<{ status: number; body: Buffer }> {
  const { origin, pathname } = new URL(url);
  const session = connect(origin, { rejectUnauthorized: false });
  return new Promise((resolve, reject) => {
    const req = session.request({ ':path': pathname });
    const chunks: Buffer[] = [];
    let status = 0;
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => (session.close(), resolve({ status, body: Buffer.concat(chunks) })));
    req.on('error', (e) => (session.close(), reject(e)));
    req.end();
  });
}

t.test('offers follow registrations; text-to-image runs on a worker and comes back as JSON naming its files', async (t) => {
  const n = await startRemoteAINode(t);
  const seen: (readonly AIModelOffer[])[] = [];
  t.teardown(n.executor.watch((offers) => seen.push(offers)));
  t.equal(n.executor.name, 'remote-workers');
  t.same(n.executor.offers(), [], 'nothing registered: nothing offered');

  const w = worker(t, n);
  await registered(n, 2);
  t.same(n.executor.offers(), [{ pipeline: 'text-to-image', modelId: T2I.modelId, capacity: 2, warm: true, runnerVersion: '0.14.0' }]);
  t.match(n.executor.hardware(), [{ pipeline: 'text-to-image', modelId: T2I.modelId, gpus: [{ name: 'NVIDIA GeForce RTX 4090', memoryTotal: '25769803776' }] }]);

  const result = await n.executor.execute(execution(t2i({ prompt: 'a cat', num_images_per_prompt: 2, seed: 7 })));
  const job = w.jobs[0]!;
  t.equal(job.taskId, '0', 'task ids start at 0');
  t.equal(job.pipeline, 'text-to-image');
  t.equal(job.inputUrl, '', 'no binary input: empty input_url');
  t.same(job.request, { prompt: 'a cat', num_images_per_prompt: 2, seed: 7, model_id: T2I.modelId }, 'the model goes as model_id');
  if (result.kind !== 'json') return t.fail('json expected');
  const images = (result.json as { images: { url: string; seed: number }[] }).images;
  t.same(images.map((i) => i.seed), [7, 8]);
  t.same(result.files.map((f) => f.name), images.map((i) => i.url), 'the JSON names each file by its name');
  for (const file of result.files) {
    t.equal(file.contentType, 'image/png');
    t.same(Buffer.from(file.data), renderedImage(job), 'the bytes the worker posted');
  }
  t.equal(capacity(n), 2, 'offered capacity does not move per job (go-livepeer)');

  w.disconnect();
  await registered(n, 0);
  t.same(seen.map((offers) => offers.map((o) => o.capacity)), [[2], []], 'watch reports the join and the departure');
  await t.rejects(n.executor.execute(execution(t2i({ prompt: 'x' }))), { code: 'LPX_ERR_AI_NO_CAPACITY', message: 'no workers available' });
});

t.test('image-to-image: form fields with their schema types, the image downloaded from input_url and forgotten afterwards', async (t) => {
  const n = await startRemoteAINode(t);
  const w = worker(t, n, { models: [{ pipeline: 'image-to-image', modelId: 'timbrooks/instruct-pix2pix', capacity: 1 }] });
  await registered(n, 1, 'timbrooks/instruct-pix2pix');
  const image = Buffer.from('\x89PNG fake input image bytes');
  const request = pipelineRequest('image-to-image', 'timbrooks/instruct-pix2pix', {
    kind: 'multipart',
    fields: { prompt: 'make it blue', strength: '0.75', seed: '12', safety_check: 'false' },
    files: [{ field: 'image', filename: 'in.png', contentType: 'image/png', data: image }],
  });
  const result = await n.executor.execute(execution(request));
  const job = w.jobs[0]!;
  t.same(job.request, { prompt: 'make it blue', strength: 0.75, seed: 12, safety_check: false, image: null, model_id: 'timbrooks/instruct-pix2pix' });
  t.match(job.inputUrl, new RegExp(`^${n.uri}/ai-worker/files/[0-9a-f]{32}/input\\.tempfile$`));
  t.same(job.input, image, 'the worker downloaded the uploaded image');
  if (result.kind !== 'json') return t.fail('json expected');
  t.same(Buffer.from(result.files[0]!.data), renderedImage(job), 'the result carries the downloaded input, so it really went through');
  t.equal((await fetchH2(job.inputUrl)).status, 404, 'input dropped once the job is over');

  const bad = pipelineRequest('image-to-image', 'timbrooks/instruct-pix2pix', { kind: 'multipart', fields: { prompt: 'x', seed: '1.5' }, files: [{ field: 'image', data: image }] });
  await t.rejects(n.executor.execute(execution(bad)), { code: 'LPX_ERR_AI_REQUEST_INVALID', message: /seed must be an integer/ });
  t.equal(w.jobs.length, 1, 'a request the worker could not read is not sent');
});

t.test('LLM: the event stream comes back event by event and holds the slot until it ends', async (t) => {
  const n = await startRemoteAINode(t);
  const w = worker(t, n, { models: [{ pipeline: 'llm', modelId: LLM, capacity: 1 }] });
  await registered(n, 1, LLM);
  const streamed = pipelineRequest('llm', LLM, { kind: 'json', json: { messages: [{ role: 'user', content: 'hi' }], stream: true } }, true);
  const result = await n.executor.execute(execution(streamed, 'chat-1'));
  if (result.kind !== 'stream') return t.fail('stream expected');
  t.equal(w.jobs[0]!.request['model'], LLM, 'llm carries the model as "model"');
  await t.rejects(n.executor.execute(execution(streamed, 'chat-2')), { code: 'LPX_ERR_AI_NO_CAPACITY', message: 'no workers can process job requested' }, 'the slot is held while streaming');
  const events: unknown[] = [];
  for await (const event of result.events) events.push(event);
  t.same(events, llmChunks(w.jobs[0]!));
  await until(() => w.posts.length === 1, 'the worker upload to finish');
  t.same(w.posts.map((p) => [p.status, p.body]), [[200, 'OK']]);

  const plain = await n.executor.execute(execution(pipelineRequest('llm', LLM, { kind: 'json', json: { messages: [] } }), 'chat-3'));
  t.match(plain, { kind: 'json', json: { choices: [{ message: { content: 'Hello from the worker' } }] }, files: [] }, 'slot back after the stream; a plain answer is JSON');
});

t.test('text-to-speech: audio.url names the audio file', async (t) => {
  const n = await startRemoteAINode(t);
  const model = 'parler-tts/parler-tts-large-v1';
  worker(t, n, { models: [{ pipeline: 'text-to-speech', modelId: model, capacity: 1 }] });
  await registered(n, 1, model);
  const result = await n.executor.execute(execution(pipelineRequest('text-to-speech', model, { kind: 'json', json: { text: 'hello' } })));
  if (result.kind !== 'json') return t.fail('json expected');
  const url = (result.json as { audio: { url: string } }).audio.url;
  t.same(result.files.map((f) => [f.name, f.contentType, Buffer.from(f.data).toString()]), [[url, 'audio/wav', 'RIFF|hello']]);
});

t.test("a worker error is RUNNER_FAILED with the worker's text; the worker stays", async (t) => {
  const n = await startRemoteAINode(t);
  const w = worker(t, n, { behavior: 'error' });
  await registered(n, 2);
  await t.rejects(n.executor.execute(execution(t2i({ prompt: 'x' }))), { code: 'LPX_ERR_AI_RUNNER_FAILED', message: w.errorText, details: { workerCode: 'LPX_ERR_AI_WORKER_WORKER_ERROR' } });
  await until(() => w.posts.length === 1, 'the worker to read its answer');
  t.same(w.posts.map((p) => [p.status, p.body]), [[200, 'OK']]);
  t.equal(capacity(n), 2, 'a worker error does not drop the worker');
});

t.test('a worker that disconnects mid-job: the job is retried on another worker', async (t) => {
  const n = await startRemoteAINode(t);
  const flaky = worker(t, n, { behavior: 'disconnect' });
  await registered(n, 2);
  const good = worker(t, n);
  await registered(n, 4);
  const result = await n.executor.execute(execution(t2i({ prompt: 'retry me' })));
  t.equal(flaky.jobs.length, 1, 'first fit sent it to the first worker');
  t.equal(good.jobs.length, 1, 'then to the other');
  t.equal(good.jobs[0]!.taskId, '1', 'a new task id for the retry');
  t.equal(result.kind, 'json');
  await registered(n, 2);
});

t.test('timeout: RUNNER_TIMEOUT with go-livepeer text, the worker is dropped and the job not retried', async (t) => {
  const n = await startRemoteAINode(t, { config: { timeoutMs: 300 } });
  const slow = worker(t, n, { behavior: 'hang' });
  await registered(n, 2);
  const other = worker(t, n);
  await registered(n, 4);
  await t.rejects(n.executor.execute(execution(t2i({}))), { code: 'LPX_ERR_AI_RUNNER_TIMEOUT', message: 'Remote worker took too long' });
  t.equal(other.jobs.length, 0, 'no retry after a timeout');
  t.same(await slow.ended, { code: 0, details: 'OK' }, 'the dropped worker sees its call end cleanly and would reconnect');
  t.equal(capacity(n), 2);
});

t.test('first fit per model, per-worker model capacity, sticky request ids; cancel gives the slot back', async (t) => {
  const n = await startRemoteAINode(t);
  const a = worker(t, n, { behavior: 'hang', models: [{ pipeline: 'text-to-image', modelId: 'm1', capacity: 1 }] });
  await registered(n, 1, 'm1');
  const b = worker(t, n, {
    behavior: 'hang',
    models: [
      { pipeline: 'text-to-image', modelId: 'm1', capacity: 2 },
      { pipeline: 'text-to-image', modelId: 'm2', capacity: 1 },
    ],
  });
  await registered(n, 3, 'm1');
  const pending: Promise<unknown>[] = [];
  const send = (requestId: string, modelId: string, signal?: AbortSignal) => {
    const p = n.executor.execute(execution(pipelineRequest('text-to-image', modelId, { kind: 'json', json: {} }), requestId, signal));
    p.catch(() => undefined);
    pending.push(p);
    return p;
  };
  const cancelR1 = new AbortController();
  const r1 = send('r1', 'm1', cancelR1.signal);
  t.equal((await a.nextJob()).request['model_id'], 'm1', 'first registered worker first');
  send('r2', 'm1');
  await b.nextJob();
  send('r3', 'm2');
  t.equal((await b.nextJob()).request['model_id'], 'm2', 'm2 only on b');
  cancelR1.abort();
  await t.rejects(r1, { code: 'LPX_ERR_AI_CANCELLED' });
  send('r2', 'm1');
  await b.nextJob();
  t.same([a.jobs.length, b.jobs.length], [1, 3], 'r2 again went to b, though a has its slot back');
  send('r5', 'm1');
  await a.nextJob();
  t.equal(a.jobs.length, 2, 'a new request id takes the first fit');
  await t.rejects(send('r6', 'm1'), { code: 'LPX_ERR_AI_NO_CAPACITY', message: 'no workers can process job requested' });
  t.equal(capacity(n, 'm1'), 3);
  await n.executor.close();
  const settled = await Promise.allSettled(pending);
  t.ok(settled.every((s) => s.status === 'rejected'), 'close fails the pending jobs');
});

t.test('refused registrations: wrong secret (go-livepeer text), old version; legacy workers offer nothing', async (t) => {
  const n = await startRemoteAINode(t, { config: { minWorkerVersion: '0.8.0' } });
  const wrong = worker(t, n, { secret: 'nope' });
  t.same(await wrong.ended, { code: 2, details: 'invalid secret' }, 'UNKNOWN + errSecret text, fatal for a go worker');
  const old = worker(t, n, { version: '0.7.9' });
  t.same(await old.ended, { code: 0, details: 'OK' }, 'not connected: the call just ends, as in go-livepeer');
  t.match(n.logs.filter((l) => l.msg === 'remote AI worker').map((l) => l.obj), [
    { event: { kind: 'refused', error: 'invalid secret' } },
    { event: { kind: 'refused', error: /version not compatible/ } },
  ]);
  worker(t, n, { version: '0.8.1-dev' });
  await registered(n, 2);

  const open = await startRemoteAINode(t);
  const legacy = worker(t, open, { models: undefined });
  await until(() => open.logs.some((l) => (l.obj as { event?: { kind: string } }).event?.kind === 'registered'), 'the legacy registration');
  t.same(open.executor.offers(), [], 'default capabilities hold no AI models');
  await t.rejects(open.executor.execute(execution(t2i({}))), { code: 'LPX_ERR_AI_NO_CAPACITY', message: 'no workers can process job requested' });
  t.equal(legacy.jobs.length, 0);
});

t.test('the models list limits what is offered and prices it', async (t) => {
  const n = await startRemoteAINode(t, { config: { models: [{ pipeline: 'text-to-image', modelId: T2I.modelId, pricePerUnit: '4768371', pixelsPerUnit: '1' }, { pipeline: 'llm', modelId: LLM }] } });
  t.same(n.executor.offers(), [
    { pipeline: 'text-to-image', modelId: T2I.modelId, capacity: 0, warm: false, price: { pricePerUnit: '4768371', pixelsPerUnit: '1' } },
    { pipeline: 'llm', modelId: LLM, capacity: 0, warm: false },
  ], 'listed models are known at capacity 0 before any worker comes');
  const w = worker(t, n, { models: [T2I, { pipeline: 'text-to-image', modelId: 'unlisted/model', capacity: 5 }] });
  await registered(n, 2);
  t.same(n.executor.offers().map((o) => [o.modelId, o.capacity]), [[T2I.modelId, 2], [LLM, 0]], 'the unlisted model is not offered');
  t.match(n.logs.filter((l) => l.level === 'warn').map((l) => l.obj), [{ pipeline: 'text-to-image', modelId: 'unlisted/model' }], 'and the operator is told');
  await t.rejects(n.executor.execute(execution(pipelineRequest('text-to-image', 'unlisted/model', { kind: 'json', json: {} }))), { code: 'LPX_ERR_AI_NO_CAPACITY' });
  t.equal(w.jobs.length, 0);
});
