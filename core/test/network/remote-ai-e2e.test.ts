// Remote AI workers end to end: a go-livepeer-style worker double registers
// through the orchestrator's front door (TLS, gRPC proxied to grpc-js), gets
// jobs pushed down its stream, and posts results to /aiResults; the pool
// stores the files and hands back JSON pointing at them.
import { connect } from 'node:http2';
import t, { type Test } from 'tap';
import { aiWorkerErrors } from '../../src/network/remote-ai/index.js';
import { GoAIWorkerDouble, llmChunks, renderedImage, type GoAIWorkerDoubleOptions } from './helpers/go-ai-worker-double.js';
import { SECRET, startRemoteAINode, until, type RemoteAINode } from './helpers/remote-ai-node.js';

const T2I = { pipeline: 'text-to-image', modelId: 'stabilityai/sd-turbo', capacity: 2 } as const;

async function node(t: Test, options: Parameters<typeof startRemoteAINode>[0] = {}): Promise<RemoteAINode> {
  const n = await startRemoteAINode(options);
  t.teardown(() => n.close());
  return n;
}

function worker(t: Test, n: RemoteAINode, options: Partial<GoAIWorkerDoubleOptions> = {}): GoAIWorkerDouble {
  const w = new GoAIWorkerDouble({ orchAddr: n.orchAddr, secret: SECRET, models: [T2I], ...options });
  t.teardown(() => w.close());
  return w;
}

async function registered(n: RemoteAINode, count: number): Promise<void> {
  await until(() => n.pool.workerCount === count, `${count} registered workers`);
}

function fetchH2(url: string): Promise<{ status: number; type: string; body: Buffer }> {
  const { origin, pathname } = new URL(url);
  const session = connect(origin, { rejectUnauthorized: false });
  return new Promise((resolve, reject) => {
    const req = session.request({ ':path': pathname });
    const chunks: Buffer[] = [];
    let status = 0;
    let type = '';
    req.on('response', (h) => ((status = Number(h[':status'])), (type = String(h['content-type'] ?? ''))));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => (session.close(), resolve({ status, type, body: Buffer.concat(chunks) })));
    req.on('error', (e) => (session.close(), reject(e)));
    req.end();
  });
}

t.test('register, dispatch text-to-image, get JSON with rewritten URLs and the file served there', async (t) => {
  const n = await node(t);
  const w = worker(t, n);
  await registered(n, 1);
  t.same(n.capacityChanges, [{ pipeline: 'text-to-image', modelId: T2I.modelId, total: 2 }]);
  t.equal(n.pool.capacity('text-to-image', T2I.modelId), 2);
  t.match(n.pool.hardware(), [{ pipeline: 'text-to-image', modelId: T2I.modelId, gpuInfo: { '0': { name: 'NVIDIA GeForce RTX 4090', memoryTotal: 25769803776n } } }]);

  const result = await n.pool.dispatch({ requestId: 'r1', pipeline: 'text-to-image', modelId: T2I.modelId, request: { prompt: 'a cat', num_images_per_prompt: 2, seed: 7 } });
  const job = w.jobs[0]!;
  t.equal(job.taskId, '0', 'task ids start at 0');
  t.equal(job.inputUrl, '', 'no binary input: empty input_url');
  t.same(job.request, { prompt: 'a cat', num_images_per_prompt: 2, seed: 7, model_id: T2I.modelId }, 'model_id filled in');
  t.equal(result.kind, 'json');
  if (result.kind !== 'json') return;
  const images = (result.json as { images: { url: string; seed: number }[] }).images;
  t.equal(images.length, 2);
  t.same(images.map((i) => i.seed), [7, 8]);
  t.equal(result.files.size, 2);
  for (const image of images) {
    t.match(image.url, new RegExp(`^${n.url}/ai-worker/files/[0-9a-f]{32}/[0-9a-f]{8}\\.png$`));
    const served = await fetchH2(image.url);
    t.equal(served.status, 200);
    t.equal(served.type, 'image/png');
    t.same(served.body, renderedImage(job));
  }
  await until(() => w.posts.length === 1, 'the worker to read its answer');
  t.same(w.posts.map((p) => [p.status, p.body]), [[200, 'OK']]);
  t.equal(n.pool.hasCapacity('text-to-image', T2I.modelId), true, 'slot given back');
});

t.test('binary input is stored, downloaded by the worker from input_url, and forgotten afterwards', async (t) => {
  const n = await node(t);
  const w = worker(t, n, { models: [{ pipeline: 'image-to-image', modelId: 'timbrooks/instruct-pix2pix', capacity: 1 }] });
  await registered(n, 1);
  const input = Buffer.from('source image bytes');
  const result = await n.pool.dispatch({
    requestId: 'r2',
    pipeline: 'image-to-image',
    modelId: 'timbrooks/instruct-pix2pix',
    request: { prompt: 'make it blue', image: 'ignored' },
    input: { body: input, contentType: 'image/png' },
  });
  const job = w.jobs[0]!;
  t.match(job.inputUrl, new RegExp(`^${n.url}/ai-worker/files/[0-9a-f]{32}/input\\.tempfile$`));
  t.same(job.input, input, 'worker downloaded the input');
  t.equal(job.request['image'], null, 'file field is null, as go-livepeer marshals it');
  if (result.kind !== 'json') return t.fail('expected json');
  const url = (result.json as { images: { url: string }[] }).images[0]!.url;
  t.same((await fetchH2(url)).body, renderedImage(job));
  t.equal((await fetchH2(job.inputUrl)).status, 404, 'input dropped once the job is over');
});

t.test('wrong secret is refused with go-livepeer text; nothing registers', async (t) => {
  const n = await node(t);
  const w = worker(t, n, { secret: 'nope' });
  const status = await w.ended;
  t.same(status, { code: 2, details: 'invalid secret' }, 'UNKNOWN + errSecret text, fatal for a go worker');
  t.equal(n.pool.workerCount, 0);
  t.equal(n.capacityChanges.length, 0);
  t.match(n.events, [{ kind: 'refused', error: { code: aiWorkerErrors.SECRET_INVALID.code } }]);
});

t.test('disconnect removes the worker, its capacity and its hardware', async (t) => {
  const n = await node(t);
  const a = worker(t, n);
  await registered(n, 1);
  const b = worker(t, n, { models: [T2I, { pipeline: 'llm', modelId: 'meta-llama/Llama-3.1-8B-Instruct', capacity: 1 }] });
  await registered(n, 2);
  t.equal(n.pool.capacity('text-to-image', T2I.modelId), 4, 'model capacities are summed');
  t.equal(n.pool.hardware().length, 3);
  a.disconnect();
  await registered(n, 1);
  b.disconnect();
  await registered(n, 0);
  t.same(n.capacityChanges, [
    { pipeline: 'text-to-image', modelId: T2I.modelId, total: 2 },
    { pipeline: 'text-to-image', modelId: T2I.modelId, total: 4 },
    { pipeline: 'llm', modelId: 'meta-llama/Llama-3.1-8B-Instruct', total: 1 },
    { pipeline: 'text-to-image', modelId: T2I.modelId, total: 2 },
    { pipeline: 'text-to-image', modelId: T2I.modelId, total: 0 },
    { pipeline: 'llm', modelId: 'meta-llama/Llama-3.1-8B-Instruct', total: 0 },
  ]);
  t.same(n.pool.hardware(), []);
  await t.rejects(n.pool.dispatch({ requestId: 'x', pipeline: 'text-to-image', modelId: T2I.modelId, request: {} }), { message: 'no workers available' });
});

t.test('a worker that disconnects mid-task: the job is retried on another worker', async (t) => {
  const n = await node(t);
  const flaky = worker(t, n, { behavior: 'disconnect' });
  await registered(n, 1);
  const good = worker(t, n);
  await registered(n, 2);
  const result = await n.pool.dispatch({ requestId: 'r3', pipeline: 'text-to-image', modelId: T2I.modelId, request: { prompt: 'retry me' } });
  t.equal(flaky.jobs.length, 1, 'first fit sent it to the first worker');
  t.equal(good.jobs.length, 1, 'then to the other');
  t.equal(good.jobs[0]!.taskId, '1', 'a new task id for the retry');
  t.equal(result.kind, 'json');
  t.equal(n.pool.workerCount, 1);
  t.match(n.events, [{ kind: 'registered' }, { kind: 'registered' }, { kind: 'removed', reason: 'disconnected' }]);
});

t.test('timeout: the job fails with go-livepeer text, the worker is dropped and not retried', async (t) => {
  const n = await node(t);
  const slow = worker(t, n, { behavior: 'hang' });
  await registered(n, 1);
  const other = worker(t, n);
  await registered(n, 2);
  const started = Date.now();
  await t.rejects(n.pool.dispatch({ requestId: 'r4', pipeline: 'text-to-image', modelId: T2I.modelId, request: {}, timeoutMs: 300 }), {
    code: aiWorkerErrors.TIMEOUT.code,
    message: 'Remote worker took too long',
  });
  t.ok(Date.now() - started >= 290);
  t.equal(other.jobs.length, 0, 'no retry after a timeout');
  t.same(await slow.ended, { code: 0, details: 'OK' }, 'the dropped worker sees its call end cleanly and would reconnect');
  t.equal(n.pool.workerCount, 1);
  t.match(n.events.at(-1), { kind: 'removed', reason: 'timeout' });
});

t.test("a worker error reaches the caller as the worker's text", async (t) => {
  const n = await node(t);
  const w = worker(t, n, { behavior: 'error' });
  await registered(n, 1);
  await t.rejects(n.pool.dispatch({ requestId: 'r5', pipeline: 'text-to-image', modelId: T2I.modelId, request: {} }), {
    code: aiWorkerErrors.WORKER_ERROR.code,
    message: w.errorText,
  });
  await until(() => w.posts.length === 1, 'the worker to read its answer');
  t.same(w.posts.map((p) => [p.status, p.body]), [[200, 'OK']]);
  t.equal(n.pool.workerCount, 1, 'a worker error does not drop the worker');
  t.equal(n.pool.hasCapacity('text-to-image', T2I.modelId), true);
});

t.test('LLM event stream is relayed chunk by chunk, and the slot is held until it ends', async (t) => {
  const n = await node(t);
  const model = 'meta-llama/Llama-3.1-8B-Instruct';
  const w = worker(t, n, { models: [{ pipeline: 'llm', modelId: model, capacity: 1 }] });
  await registered(n, 1);
  const result = await n.pool.dispatch({ requestId: 'r6', pipeline: 'llm', modelId: model, request: { messages: [{ role: 'user', content: 'hi' }], stream: true } });
  t.equal(result.kind, 'stream');
  if (result.kind !== 'stream') return;
  t.equal(w.jobs[0]!.request['model'], model, 'llm carries the model as "model"');
  const chunks: unknown[] = [];
  for await (const chunk of result.chunks) chunks.push(chunk);
  t.same(chunks, llmChunks(w.jobs[0]!));
  await until(() => w.posts.length === 1, 'the worker upload to finish');
  t.same(w.posts.map((p) => [p.status, p.body]), [[200, 'OK']]);
  t.equal(n.pool.hasCapacity('llm', model), true, 'slot back after the stream');

  const plain = await n.pool.dispatch({ requestId: 'r7', pipeline: 'llm', modelId: model, request: { messages: [] } });
  t.match(plain, { kind: 'json', json: { choices: [{ message: { content: 'Hello from the worker' } }] } });
});

t.test('text-to-speech: audio.url is rewritten', async (t) => {
  const n = await node(t);
  worker(t, n, { models: [{ pipeline: 'text-to-speech', modelId: 'parler-tts/parler-tts-large-v1', capacity: 1 }] });
  await registered(n, 1);
  const result = await n.pool.dispatch({ requestId: 'r8', pipeline: 'text-to-speech', modelId: 'parler-tts/parler-tts-large-v1', request: { text: 'hello' } });
  if (result.kind !== 'json') return t.fail('expected json');
  const url = (result.json as { audio: { url: string } }).audio.url;
  const served = await fetchH2(url);
  t.equal(served.type, 'audio/wav');
  t.equal(served.body.toString(), 'RIFF|hello');
});

t.test('version check against the configured minimum; legacy workers without capabilities', async (t) => {
  const n = await node(t, { minWorkerVersion: '0.8.0' });
  const old = worker(t, n, { version: '0.7.9' });
  t.same(await old.ended, { code: 0, details: 'OK' }, 'not connected: the call just ends, as in go-livepeer');
  t.match(n.events, [{ kind: 'refused', error: { code: aiWorkerErrors.VERSION_INCOMPATIBLE.code } }]);
  worker(t, n, { version: '0.8.1-dev' });
  await registered(n, 1);

  const open = await node(t);
  worker(t, open, { models: undefined });
  await registered(open, 1);
  t.equal(open.capacityChanges.length, 0, 'default capabilities hold no AI models');
  await t.rejects(open.pool.dispatch({ requestId: 'x', pipeline: 'text-to-image', modelId: T2I.modelId, request: {} }), {
    code: aiWorkerErrors.NO_COMPATIBLE_WORKERS.code,
    message: 'no workers can process job requested',
  });
});

t.test('first fit per model, per-worker model capacity and sticky request ids over real streams', async (t) => {
  const n = await node(t);
  const a = worker(t, n, { behavior: 'hang', models: [{ pipeline: 'text-to-image', modelId: 'm1', capacity: 1 }] });
  await registered(n, 1);
  const b = worker(t, n, {
    behavior: 'hang',
    models: [
      { pipeline: 'text-to-image', modelId: 'm1', capacity: 2 },
      { pipeline: 'text-to-image', modelId: 'm2', capacity: 1 },
    ],
  });
  await registered(n, 2);
  const pending: Promise<unknown>[] = [];
  const send = (requestId: string, modelId: string, signal?: AbortSignal) => {
    const p = n.pool.dispatch({ requestId, pipeline: 'text-to-image', modelId, request: {}, ...(signal ? { signal } : {}) });
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
  await t.rejects(r1, { code: aiWorkerErrors.CANCELLED.code });
  t.equal(n.pool.hasCapacity('text-to-image', 'm1'), true, "a's slot is back");
  send('r2', 'm1');
  await b.nextJob();
  t.same([a.jobs.length, b.jobs.length], [1, 3], 'r2 again went to b, though a has a free slot');
  send('r5', 'm1');
  await a.nextJob();
  t.equal(a.jobs.length, 2, 'a new request id takes the first fit');
  await t.rejects(n.pool.dispatch({ requestId: 'r6', pipeline: 'text-to-image', modelId: 'm1', request: {} }), { message: 'no workers can process job requested' });
  t.equal(n.pool.capacity('text-to-image', 'm1'), 3);
  n.pool.close();
  await Promise.allSettled(pending);
});
