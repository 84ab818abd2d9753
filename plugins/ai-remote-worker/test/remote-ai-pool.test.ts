// The remote AI worker pool without sockets: fake job sinks stand in for the
// workers' RegisterAIWorker streams, results are delivered as /aiResults
// would. go-livepeer's selection rules (first fit per model with per-worker
// model capacity, sticky request ids, slots back on completion) and the
// failure paths (send failure → retry, abort, close, secrets, versions).
import t from 'tap';
import { RemoteAIWorkerPool, type AIJob, type NotifyAIJob, type RegisterAIWorkerRequest } from '../src/index.js';

class FakeSink {
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

/** A registration with text-to-image (capability 27) models and their capacities. */
function registration(models: Record<string, number>, version = '0.8.9', secret = 's3cret'): RegisterAIWorkerRequest {
  const perModel = new Map(Object.entries(models).map(([id, capacity]) => [id, { warm: true, capacity, runnerVersion: '' }]));
  return { secret, capabilities: { version, perCapability: new Map([[27, perModel]]) }, hardware: [] };
}

function setup() {
  let changes = 0;
  const pool = new RemoteAIWorkerPool({ checkSecret: (given) => given === 's3cret' });
  pool.onChange(() => changes++);
  const add = (models: Record<string, number>) => {
    const sink = new FakeSink();
    const worker = pool.register(registration(models), sink, `w${pool.workerCount}`)!;
    return { sink, worker };
  };
  return { pool, add, changes: () => changes };
}

const job = (requestId: string, modelId = 'm1', extra: Partial<AIJob> = {}): AIJob => ({ requestId, pipeline: 'text-to-image', modelId, requestData: new TextEncoder().encode(requestId), ...extra });
const answer = { kind: 'files', json: { images: [] }, files: [] } as const;
const tick = () => new Promise((resolve) => setImmediate(resolve));
const capacity = (pool: RemoteAIWorkerPool, modelId: string) => pool.models().find((m) => m.modelId === modelId)?.capacity;

t.test('first fit with per-worker model capacity; slots come back on completion', async (t) => {
  const { pool, add } = setup();
  const a = add({ m1: 2, m2: 1 });
  const b = add({ m1: 1 });
  const jobs = [pool.dispatch(job('r1')), pool.dispatch(job('r2')), pool.dispatch(job('r3'))];
  await tick();
  t.same(a.sink.sent.map((n) => n.taskId), [0n, 1n]);
  t.same(b.sink.sent.map((n) => n.taskId), [2n]);
  await t.rejects(pool.dispatch(job('r4')), { code: 'LPX_ERR_AI_WORKER_NO_COMPATIBLE_WORKERS', message: 'no workers can process job requested' });
  t.equal(capacity(pool, 'm1'), 3, 'offered capacity does not shrink per job');
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
  t.equal(new TextDecoder().decode(a.sink.sent[0]!.requestData), 'r1');
  t.equal(a.sink.sent[0]!.pipeline, 'text-to-image');
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
  t.match(await pending, { kind: 'files' });
  t.equal(changes(), 3, 'two joins and a departure');
  t.equal(capacity(pool, 'm1'), 1);
});

t.test('abort: the caller gets CANCELLED, the slot comes back, a late result is dropped', async (t) => {
  const { pool, add } = setup();
  const a = add({ m1: 1 });
  const controller = new AbortController();
  const pending = pool.dispatch(job('r1', 'm1', { signal: controller.signal }));
  await tick();
  controller.abort();
  await t.rejects(pending, { code: 'LPX_ERR_AI_WORKER_CANCELLED' });
  t.equal(pool.isPending(0n), false);
  t.equal(pool.deliver(0n, answer), false);
  t.equal(pool.workerCount, 1, 'worker kept');
  const again = pool.dispatch(job('r2'));
  await tick();
  t.equal(a.sink.sent.length, 2, 'its slot was given back');
  pool.deliver(1n, answer);
  await again;
});

t.test('close fails pending jobs, ends every stream and refuses new work', async (t) => {
  const { pool, add } = setup();
  const a = add({ m1: 1 });
  const pending = pool.dispatch(job('r1'));
  await tick();
  pool.close();
  await t.rejects(pending, { code: 'LPX_ERR_AI_WORKER_POOL_CLOSED' });
  t.ok(a.sink.ended);
  t.equal(pool.workerCount, 0);
  await t.rejects(pool.dispatch(job('r2')), { code: 'LPX_ERR_AI_WORKER_POOL_CLOSED' });
  t.throws(() => pool.register(registration({ m1: 1 }), new FakeSink(), 'late'), { code: 'LPX_ERR_AI_WORKER_POOL_CLOSED' }, 'not the fatal secret text');
});

t.test('registration: secret, version, models of the batch pipelines only', async (t) => {
  const pool = new RemoteAIWorkerPool({ checkSecret: (given) => given === 'x', minWorkerVersion: '0.8.0' });
  t.throws(() => pool.register(registration({ m1: 1 }, '0.9.0', 'y'), new FakeSink(), 'a'), { code: 'LPX_ERR_AI_WORKER_SECRET_INVALID', message: 'invalid secret' });
  t.equal(pool.register(registration({ m1: 1 }, '0.7.12', 'x'), new FakeSink(), 'a'), undefined, 'older than the minimum: not connected');
  t.equal(pool.register({ secret: 'x', hardware: [] }, new FakeSink(), 'a'), undefined, 'a legacy worker has no version to compare');
  t.ok(pool.register(registration({ m1: 1 }, 'v0.8.0-rc1', 'x'), new FakeSink(), 'a'), 'release numbers compared, as go-livepeer does');
  const mixed: RegisterAIWorkerRequest = {
    secret: 'x',
    capabilities: {
      version: '0.9.0',
      perCapability: new Map([
        [33, new Map([['llama', { warm: false, capacity: 2, runnerVersion: '0.14.0' }], ['', { warm: true, capacity: 1, runnerVersion: '' }]])],
        [35, new Map([['live', { warm: true, capacity: 1, runnerVersion: '' }]])],
        [27, new Map([['zero', { warm: true, capacity: 0, runnerVersion: '' }]])],
      ]),
    },
    hardware: [],
  };
  pool.register(mixed, new FakeSink(), 'b');
  t.same(pool.models().map((m) => [m.pipeline, m.modelId, m.capacity, m.warm, m.runnerVersion]), [
    ['text-to-image', 'm1', 1, true, ''],
    ['llm', 'llama', 2, false, '0.14.0'],
  ], 'live video (35), empty model ids and zero capacities are not ours to offer');
});
