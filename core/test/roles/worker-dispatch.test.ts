import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors } from '@lpx/sdk';
import { CapabilityRegistry } from '../../src/capabilities/index.js';
import { JobsKernel } from '../../src/jobs/index.js';
import { capabilityIdFor, workerDispatch, type DispatchRequest, type DispatchResult } from '../../src/roles/orchestrator/worker-dispatch.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();

t.test('capabilityIdFor: a bare BYOC name means byoc/<name>; lpx ids pass unchanged', async (t) => {
  t.equal(capabilityIdFor('echo'), 'byoc/echo');
  t.equal(capabilityIdFor('text-to-image'), 'byoc/text-to-image');
  t.equal(capabilityIdFor('video/transcode'), 'video/transcode');
  t.equal(capabilityIdFor('byoc/echo'), 'byoc/echo');
});

/**
 * A real kernel whose `byoc/echo` processor records each input and returns
 * `{ got: input }`. `run` dispatches and starts the worker only once the job is
 * queued, so the job finishes after dispatch has queued it and looked for an
 * earlier result: the path a real request takes when the work takes any time.
 */
function worker(tt: { teardown(fn: () => unknown): void }, respond: (input: unknown) => unknown = (input) => ({ got: input })) {
  const jobs = new JobsKernel({ connection, prefix: uniquePrefix('dispatch') });
  tt.teardown(() => jobs.close());
  const inputs: unknown[] = [];
  const jobIds: string[] = [];
  jobs.registerProcessor('byoc/echo', async (job) => {
    inputs.push(job.data);
    jobIds.push(job.id);
    return respond(job.data);
  });
  const dispatch = workerDispatch(jobs, new CapabilityRegistry());
  const run = async (req: DispatchRequest): Promise<DispatchResult> => {
    const pending = dispatch(req);
    pending.catch(() => {}); // awaited below; this only keeps it from counting as unhandled meanwhile
    if (!jobs.started) {
      const jobId = `req-${req.requestId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
      await until(async () => (await jobs.getStatus(req.capabilityId, jobId)) !== undefined);
      await jobs.getStatus(req.capabilityId, jobId); // one more round trip on the shared connection
      jobs.start();
    }
    return pending;
  };
  return { jobs, inputs, jobIds, dispatch, run };
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

const request = (over: Partial<DispatchRequest> = {}): DispatchRequest => ({
  capabilityId: 'byoc/echo',
  requestId: 'byoc-abc-123',
  body: Buffer.from(JSON.stringify({ prompt: 'hi' })),
  contentType: 'application/json',
  timeoutMs: 10_000,
  ...over,
});

t.test('a JSON body becomes the job input; the output comes back JSON-encoded', async (t) => {
  const { run, inputs, jobIds } = worker(t);
  const result = await run(request());
  t.same(inputs, [{ prompt: 'hi' }]);
  t.equal(result.contentType, 'application/json');
  t.equal(typeof result.body, 'string');
  t.same(JSON.parse(String(result.body)), { got: { prompt: 'hi' } });
  t.same(jobIds, ['req-byoc-abc-123'], 'the job id is derived from the request id');
});

t.test('a content type naming json in any form is parsed; no content type is taken as JSON', async (t) => {
  const { run, inputs } = worker(t);
  await run(request({ requestId: 'r1', contentType: 'application/vnd.api+JSON; charset=utf-8', body: Buffer.from('[1,2]') }));
  await run(request({ requestId: 'r2', contentType: undefined, body: Buffer.from('"s"') }));
  t.same(inputs, [[1, 2], 's']);
});

t.test('an empty body is an empty object', async (t) => {
  const { run, inputs } = worker(t);
  await run(request({ body: Buffer.alloc(0), contentType: 'application/octet-stream' }));
  t.same(inputs, [{}]);
});

t.test('an undefined output is sent as JSON null', async (t) => {
  const { run } = worker(t, () => undefined);
  const result = await run(request());
  t.equal(result.body, 'null');
});

t.test('two dispatches with the same request id run the processor once', async (t) => {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  t.teardown(() => open());
  const { run, dispatch, jobs, inputs } = worker(t, async (input) => {
    if ((input as { prompt?: string }).prompt === 'third') await gate;
    return { got: input };
  });
  const first = await run(request({ requestId: 'same-id' }));
  const second = await run(request({ requestId: 'same-id', body: Buffer.from(JSON.stringify({ prompt: 'different' })) }));
  t.equal(inputs.length, 1, 'one run');
  t.same(JSON.parse(String(second.body)), JSON.parse(String(first.body)), "the repeat gets the first run's output");
  // The worker is running now: hold the next job until dispatch has queued it and looked for an earlier result.
  const third = dispatch(request({ requestId: 'other-id', body: Buffer.from(JSON.stringify({ prompt: 'third' })) }));
  await until(async () => (await jobs.getStatus('byoc/echo', 'req-other-id'))?.state === 'active');
  for (let i = 0; i < 3; i++) await jobs.getStatus('byoc/echo', 'req-other-id');
  open();
  t.same(JSON.parse(String((await third).body)), { got: { prompt: 'third' } });
  t.equal(inputs.length, 2, 'a new request id is a new run');
});

t.test('concurrent dispatches with the same request id also run once', async (t) => {
  const { dispatch, jobs, inputs } = worker(t);
  const both = Promise.all([dispatch(request({ requestId: 'concurrent' })), dispatch(request({ requestId: 'concurrent' }))]);
  await until(async () => (await jobs.getStatus('byoc/echo', 'req-concurrent')) !== undefined);
  for (let i = 0; i < 3; i++) await jobs.getStatus('byoc/echo', 'req-concurrent');
  jobs.start();
  const [a, b] = await both;
  t.equal(inputs.length, 1);
  t.same(a, b);
});

t.test('characters a job id cannot carry are replaced', async (t) => {
  const { run, jobIds } = worker(t);
  await run(request({ requestId: 'a:b/c d' }));
  t.same(jobIds, ['req-a_b_c_d']);
});

t.test('a non-JSON content type arrives as { contentType, body base64 }', async (t) => {
  const { run, inputs } = worker(t);
  const bytes = Buffer.from([0, 1, 2, 250, 255]);
  await run(request({ contentType: 'image/png', body: bytes }));
  t.same(inputs, [{ contentType: 'image/png', body: bytes.toString('base64') }]);
});

t.test('a processor failure rejects with LPX_ERR_JOBS_FAILED after one attempt', async (t) => {
  let runs = 0;
  const { run } = worker(t, () => {
    runs++;
    throw new Error('model crashed');
  });
  const error = await run(request({ requestId: 'doomed' })).catch((e: unknown) => e);
  t.ok(errors.jobs.FAILED.is(error));
  t.match((error as Error).message, /model crashed/);
  t.equal(runs, 1, 'no retry on the orchestrator');
});

t.test('a body that claims JSON but is not rejects before any job is queued', async (t) => {
  const { dispatch, jobs, inputs } = worker(t);
  jobs.start();
  await t.rejects(dispatch(request({ requestId: 'bad-json', body: Buffer.from('{not json') })), SyntaxError);
  t.equal(await jobs.getStatus('byoc/echo', 'req-bad-json'), undefined);
  t.same(inputs, []);
});

// Documents current behaviour (see the report): the failed job stays in BullMQ's
// failed set, so the same request id is answered with the old failure without a rerun.
t.test('a request id whose job failed fails again without rerunning the processor', async (t) => {
  let runs = 0;
  const { run } = worker(t, () => {
    runs++;
    throw new Error(`crash ${runs}`);
  });
  const first = await run(request({ requestId: 'failed-once' })).catch((e: unknown) => e);
  const second = await run(request({ requestId: 'failed-once' })).catch((e: unknown) => e);
  t.ok(errors.jobs.FAILED.is(first));
  t.ok(errors.jobs.FAILED.is(second));
  t.match((second as Error).message, /crash 1/);
  t.equal(runs, 1);
});

t.test('a capability registered at run time gets the request as sent and answers status, type and body', async (t) => {
  const jobs = new JobsKernel({ connection, prefix: uniquePrefix('dispatch-raw') });
  t.teardown(() => jobs.close());
  const registry = new CapabilityRegistry();
  registry.forPlugin('byoc-host').register({ id: 'byoc/app', version: 1, mode: 'request-response', workUnit: 'second', priceUnit: 'wei/second', capacity: 1 });
  const inputs: unknown[] = [];
  jobs.registerProcessor('byoc/app', async (job) => {
    inputs.push(job.data);
    return { status: 201, contentType: 'text/plain', body: Buffer.from('made').toString('base64') };
  });
  jobs.start();
  const bytes = Buffer.from('{not json');
  const result = await workerDispatch(jobs, registry)(
    request({ capabilityId: 'byoc/app', requestId: 'raw-1', body: bytes, contentType: 'application/json', subpath: 'v1/run', sender: '0xAb', request: '{}', parameters: '{"p":1}' }),
  );
  t.same(inputs, [{ subpath: 'v1/run', contentType: 'application/json', body: bytes.toString('base64'), timeoutMs: 10_000, sender: '0xAb', request: '{}', parameters: '{"p":1}' }], 'not parsed: the app gets the bytes');
  t.equal(result.status, 201);
  t.equal(result.contentType, 'text/plain');
  t.equal(Buffer.from(result.body).toString(), 'made');
});
