// The remote AI worker pool without sockets: fake job sinks stand in for the
// workers' RegisterAIWorker streams, results are delivered as /aiResults
// would. Covers go-livepeer's selection rules (first fit per model with
// per-worker model capacity, sticky request ids, slots back on completion)
// and the failure paths (send failure → retry, abort, close, bad results).
import t from 'tap';
import { emptyLivepeerCapabilities, type LivepeerCapabilities } from '../../src/capabilities/index.js';
import { aiWorkerErrors, FileStore, RemoteAIWorkerPool, type AIJob, type NotifyAIJob } from '../../src/network/remote-ai/index.js';
import type { JobSink } from '../../src/network/remote-ai/remote-ai-worker.js';

class FakeSink implements JobSink {
  cancelled = false;
  ended = false;
  failWrites = false;
  readonly sent: NotifyAIJob[] = [];
  write(notify: NotifyAIJob, callback: (error?: Error | null) => void): boolean {
    if (this.failWrites) callback(new Error('transport is closing'));
    else {
      this.sent.push(notify);
      callback();
    }
    return true;
  }
  end(): void {
    this.ended = true;
  }
}

/** Capabilities with text-to-image (id 27) models and their capacities. */
function caps(models: Record<string, number>, version = '0.8.9'): LivepeerCapabilities {
  const c = emptyLivepeerCapabilities(version);
  c.constraints.perCapability[27] = { models: {} };
  for (const [modelId, capacity] of Object.entries(models)) c.constraints.perCapability[27]!.models[modelId] = { warm: true, capacity, runnerVersion: '', capacityInUse: 0 };
  return c;
}

function setup() {
  const changes: [string, string, number][] = [];
  const pool = new RemoteAIWorkerPool({ secret: 's3cret', serviceUri: () => 'https://o.example:8935/', onCapacityChange: (p, m, n) => changes.push([p, m, n]) });
  const add = (models: Record<string, number>) => {
    const sink = new FakeSink();
    const worker = pool.register({ secret: 's3cret', capabilities: caps(models), hardware: [] }, sink, `w${pool.workerCount}`)!;
    return { sink, worker };
  };
  return { pool, changes, add };
}

const job = (requestId: string, modelId = 'm1', extra: Partial<AIJob> = {}): AIJob => ({ requestId, pipeline: 'text-to-image', modelId, request: { prompt: requestId }, ...extra });
const answer = { kind: 'files', json: { images: [] }, files: [] } as const;
const tick = () => new Promise((resolve) => setImmediate(resolve));

t.test('first fit with per-worker model capacity; slots come back on completion', async (t) => {
  const { pool, add } = setup();
  const a = add({ m1: 2, m2: 1 });
  const b = add({ m1: 1 });
  const jobs = [pool.dispatch(job('r1')), pool.dispatch(job('r2')), pool.dispatch(job('r3'))];
  await tick();
  t.same(a.sink.sent.map((n) => n.taskId), [0n, 1n]);
  t.same(b.sink.sent.map((n) => n.taskId), [2n]);
  await t.rejects(pool.dispatch(job('r4')), { code: aiWorkerErrors.NO_COMPATIBLE_WORKERS.code, message: 'no workers can process job requested' });
  t.equal(pool.hasCapacity('text-to-image', 'm1'), false);
  t.equal(pool.capacity('text-to-image', 'm1'), 3, 'advertised capacity does not shrink per job');
  const m2 = pool.dispatch(job('r5', 'm2'));
  await tick();
  t.equal(a.sink.sent.at(-1)!.taskId, 3n, 'other model, own slots');
  t.ok(pool.deliver(0n, answer));
  await jobs[0];
  const next = pool.dispatch(job('r6'));
  await tick();
  t.equal(a.sink.sent.at(-1)!.taskId, 4n, 'the freed slot on the first worker is used first');
  for (const id of [1n, 2n, 3n, 4n]) pool.deliver(id, answer);
  await Promise.all([...jobs, m2, next]);
  t.equal(pool.deliver(4n, answer), false, 'a settled task is unknown');
  const sent = JSON.parse(new TextDecoder().decode(a.sink.sent[0]!.aiJobData!.requestData));
  t.same(sent, { input_url: '', request: { prompt: 'r1', model_id: 'm1' } });
  t.equal(a.sink.sent[0]!.aiJobData!.pipeline, 'text-to-image');
});

t.test('jobs sharing a request id stay on one worker while any is in flight', async (t) => {
  const { pool, add } = setup();
  const a = add({ m1: 2 });
  const b = add({ m1: 2 });
  const x = pool.dispatch(job('x'));
  const y = pool.dispatch(job('y'));
  const z = pool.dispatch(job('z'));
  await tick();
  t.same([a.sink.sent.length, b.sink.sent.length], [2, 1]);
  pool.deliver(0n, answer);
  await x;
  const z2 = pool.dispatch(job('z'));
  const w = pool.dispatch(job('w'));
  await tick();
  t.same(b.sink.sent.map((n) => n.taskId), [2n, 3n], 'second z follows the first to b though a has a free slot');
  t.same(a.sink.sent.map((n) => n.taskId), [0n, 1n, 4n], 'a new request id takes first fit');
  for (const id of [1n, 2n, 3n, 4n]) pool.deliver(id, answer);
  await Promise.all([y, z, z2, w]);
  t.equal(pool.hasCapacity('text-to-image', 'm1'), true);
});

t.test('a send failure drops the worker and retries on another', async (t) => {
  const { pool, add, changes } = setup();
  const a = add({ m1: 1 });
  const b = add({ m1: 1 });
  a.sink.failWrites = true;
  const pending = pool.dispatch(job('r1'));
  await tick();
  t.equal(pool.workerCount, 1);
  t.ok(a.sink.ended, 'the dropped worker stream is ended');
  t.same(b.sink.sent.map((n) => n.taskId), [1n]);
  pool.deliver(1n, answer);
  t.match(await pending, { kind: 'json' });
  t.same(changes, [['text-to-image', 'm1', 1], ['text-to-image', 'm1', 2], ['text-to-image', 'm1', 1]]);
});

t.test('abort: the caller gets CANCELLED, the slot comes back, a late result is dropped', async (t) => {
  const { pool, add } = setup();
  add({ m1: 1 });
  const controller = new AbortController();
  const pending = pool.dispatch(job('r1', 'm1', { signal: controller.signal }));
  await tick();
  controller.abort();
  await t.rejects(pending, { code: aiWorkerErrors.CANCELLED.code });
  t.equal(pool.hasCapacity('text-to-image', 'm1'), true);
  t.equal(pool.pendingPipeline(0n), undefined);
  t.equal(pool.deliver(0n, answer), false);
  t.equal(pool.workerCount, 1, 'worker kept');
});

t.test('close fails pending jobs, ends every stream and refuses new work', async (t) => {
  const { pool, add } = setup();
  const a = add({ m1: 1 });
  const pending = pool.dispatch(job('r1'));
  await tick();
  pool.close();
  await t.rejects(pending, { code: aiWorkerErrors.POOL_CLOSED.code });
  t.ok(a.sink.ended);
  t.equal(pool.workerCount, 0);
  await t.rejects(pool.dispatch(job('r2')), { code: aiWorkerErrors.POOL_CLOSED.code });
  t.throws(() => pool.register({ secret: 's3cret', hardware: [] }, new FakeSink(), 'late'), { code: aiWorkerErrors.POOL_CLOSED.code }, 'not the fatal secret text');
});

t.test('registration secret rules', async (t) => {
  const none = new RemoteAIWorkerPool({ secret: undefined, serviceUri: () => '' });
  t.throws(() => none.register({ secret: '', hardware: [] }, new FakeSink(), 'a'), { message: 'invalid secret' }, 'no secret configured refuses all');
  const fn = new RemoteAIWorkerPool({ secret: () => 'x', serviceUri: () => '' });
  t.ok(fn.register({ secret: 'x', hardware: [] }, new FakeSink(), 'a'));
  t.throws(() => fn.register({ secret: 'y', hardware: [] }, new FakeSink(), 'a'), { code: aiWorkerErrors.SECRET_INVALID.code });
});

t.test('bad jobs and bad results are coded errors', async (t) => {
  const { pool, add } = setup();
  add({ m1: 2 });
  await t.rejects(pool.dispatch({ ...job('r'), pipeline: 'h.264' }), { code: aiWorkerErrors.REQUEST_INVALID.code });
  await t.rejects(pool.dispatch({ ...job('r'), modelId: '' }), { code: aiWorkerErrors.REQUEST_INVALID.code });
  await t.rejects(pool.dispatch({ ...job('r'), request: [1] }), { code: aiWorkerErrors.REQUEST_INVALID.code });
  const missing = pool.dispatch(job('r1'));
  await tick();
  pool.deliver(0n, { kind: 'files', json: { images: [{ url: 'a.png' }] }, files: [] });
  await t.rejects(missing, { code: aiWorkerErrors.RESULT_INVALID.code, message: /names file "a.png"/ });
  const notObject = pool.dispatch(job('r2'));
  await tick();
  pool.deliver(1n, { kind: 'files', json: 'nope', files: [] });
  await t.rejects(notObject, { code: aiWorkerErrors.RESULT_INVALID.code });
  t.equal(pool.hasCapacity('text-to-image', 'm1'), true);
  const ok = pool.dispatch(job('r3'));
  await tick();
  pool.deliver(2n, { kind: 'files', json: { images: [{ url: 'b.png', seed: 1 }] }, files: [{ name: 'b.png', contentType: 'image/png', body: new Uint8Array([1, 2]) }] });
  const result = await ok;
  if (result.kind !== 'json') return t.fail('json expected');
  const url = (result.json as { images: { url: string }[] }).images[0]!.url;
  t.match(url, /^https:\/\/o\.example:8935\/ai-worker\/files\/[0-9a-f]{32}\/b\.png$/, 'no double slash from the service URI');
  t.same(result.files.get('b.png')?.url, url);
});

t.test('file store: TTL and byte budget', async (t) => {
  let now = 1_000;
  const store = new FileStore({ ttlMs: 100, maxBytes: 10, now: () => now });
  const a = store.put('a', 'x/a', new Uint8Array(4));
  const b = store.put('../b/c', 'x/b', new Uint8Array(4));
  t.match(b.path, /\/\.\._b_c$/, 'slashes cannot escape the token');
  store.put('c', 'x/c', new Uint8Array(4));
  const token = (path: string) => path.split('/')[3]!;
  t.equal(store.get(token(a.path), 'a'), undefined, 'oldest evicted to stay in budget');
  t.ok(store.get(token(b.path), '.._b_c'));
  t.equal(store.totalBytes, 8);
  now += 100;
  t.equal(store.get(token(b.path), '.._b_c'), undefined, 'expired');
  t.throws(() => store.put('big', 'x', new Uint8Array(11)), { code: aiWorkerErrors.RESULT_TOO_LARGE.code });
  store.delete(b.path);
  t.equal(store.size, 1);
});
