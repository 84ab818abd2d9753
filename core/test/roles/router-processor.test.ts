import t from 'tap';
import { errors, type JobContext } from '@lpx/sdk';
import { routerProcessor, type RouteTarget, type RouterDeps } from '../../src/roles/gateway/router-processor.js';
import type { RouteJobData } from '../../src/roles/gateway/route-job.js';

/** One scripted answer per send to an orchestrator: an output, or an error it raises. */
type Answer = { output: unknown } | { error: unknown };

/**
 * A fake orchestrator pool: picks the first listed orchestrator not excluded,
 * answers each send from that orchestrator's script, and records what the
 * router did to it.
 */
class FakeOrchestrators {
  readonly picks: { capabilityId: string; exclude: string[] }[] = [];
  readonly sends: { uri: string; capabilityId: string; input: unknown; requestId: string }[] = [];
  readonly suspended: { uri: string; reason: string }[] = [];
  readonly refreshed: string[] = [];
  readonly failures: { jobId: string; uri: string; action: string }[] = [];
  refreshFails = false;
  readonly #scripts: Map<string, Answer[]>;

  constructor(scripts: Record<string, Answer[]>) {
    this.#scripts = new Map(Object.entries(scripts));
  }

  deps(maxOrchestratorAttempts = 5): RouterDeps {
    return {
      maxOrchestratorAttempts,
      pick: async (capabilityId, exclude) => {
        this.picks.push({ capabilityId, exclude: [...exclude] });
        const uri = [...this.#scripts.keys()].find((u) => !exclude.has(u));
        if (uri === undefined) throw errors.gateway.NO_ORCHESTRATORS.create(`no usable orchestrator for ${capabilityId}`);
        return { uri };
      },
      send: async (target: RouteTarget, job) => {
        this.sends.push({ uri: target.uri, capabilityId: job.capabilityId, input: job.input, requestId: job.requestId });
        const answer = this.#scripts.get(target.uri)?.shift();
        if (answer === undefined) throw new Error(`test script for ${target.uri} ran out`);
        if ('error' in answer) throw answer.error;
        return { output: answer.output, headers: { 'x-orchestrator-url': target.uri } };
      },
      suspend: (uri, reason) => {
        this.suspended.push({ uri, reason });
      },
      refresh: async (uri) => {
        this.refreshed.push(uri);
        if (this.refreshFails) throw new Error('refresh: GetOrchestrator timed out');
      },
      onAttemptFailed: ({ jobId, uri, action }) => {
        this.failures.push({ jobId, uri, action });
      },
    };
  }
}

function jobContext(data: RouteJobData, signal: AbortSignal = new AbortController().signal): JobContext<RouteJobData> {
  return { id: 'job-7', capabilityId: data.capabilityId, data, attempt: 1, signal, progress: async () => {} };
}

const job = () => jobContext({ capabilityId: 'byoc/echo', input: { hello: 'world' } });

t.test('success on the first orchestrator', async (t) => {
  const fleet = new FakeOrchestrators({ 'https://o1': [{ output: { echoed: true } }], 'https://o2': [] });
  const result = await routerProcessor(fleet.deps())(job());
  t.same(result, { output: { echoed: true }, orchestrator: 'https://o1', tried: 1, headers: { 'x-orchestrator-url': 'https://o1' } });
  t.same(fleet.sends, [{ uri: 'https://o1', capabilityId: 'byoc/echo', input: { hello: 'world' }, requestId: 'job-7' }], 'the job id travels as the request id');
  t.same(fleet.picks, [{ capabilityId: 'byoc/echo', exclude: [] }]);
  t.same(fleet.suspended, []);
  t.same(fleet.refreshed, []);
  t.same(fleet.failures, []);
});

t.test('a refusal suspends the orchestrator, excludes it, and fails over to another', async (t) => {
  const refusal = errors.orchestrator.JOB_REFUSED.create('https://o1 answered 500: worker crashed', { details: { remoteMessage: 'Worker Crashed' } });
  const fleet = new FakeOrchestrators({ 'https://o1': [{ error: refusal }], 'https://o2': [{ output: 'done' }] });
  const result = await routerProcessor(fleet.deps())(job());
  t.same(result, { output: 'done', orchestrator: 'https://o2', tried: 2, headers: { 'x-orchestrator-url': 'https://o2' } });
  t.equal(fleet.suspended.length, 1);
  t.equal(fleet.suspended[0]!.uri, 'https://o1');
  t.match(fleet.suspended[0]!.reason, /Worker Crashed/, 'the reason carries the remote message');
  t.match(fleet.suspended[0]!.reason, /answered 500: worker crashed/);
  t.same(fleet.picks.map((p) => p.exclude), [[], ['https://o1']], 'the second pick excludes the first orchestrator');
  t.same(fleet.failures, [{ jobId: 'job-7', uri: 'https://o1', action: 'suspend-and-try-another' }]);
});

t.test("'insufficient capacity' tries another without suspending", async (t) => {
  const fleet = new FakeOrchestrators({ 'https://o1': [{ error: new Error('https://o1 answered 503: insufficient capacity') }], 'https://o2': [{ output: 1 }] });
  const result = await routerProcessor(fleet.deps())(job());
  t.same(result, { output: 1, orchestrator: 'https://o2', tried: 2, headers: { 'x-orchestrator-url': 'https://o2' } });
  t.same(fleet.suspended, [], 'no blame for a busy orchestrator');
  t.same(fleet.picks.map((p) => p.exclude), [[], ['https://o1']], 'but it is not asked again for this job');
  t.same(fleet.failures.map((f) => f.action), ['try-another']);
});

t.test('the remote message alone decides the action', async (t) => {
  const busy = errors.orchestrator.JOB_REFUSED.create('https://o1 answered 503', { details: { remoteMessage: 'Insufficient Capacity' } });
  const fleet = new FakeOrchestrators({ 'https://o1': [{ error: busy }], 'https://o2': [{ output: 1 }] });
  await routerProcessor(fleet.deps())(job());
  t.same(fleet.suspended, []);
});

t.test("'TicketParams expired' refreshes and retries the same orchestrator once", async (t) => {
  const fleet = new FakeOrchestrators({ 'https://o1': [{ error: new Error('TicketParams expired') }, { output: 'second time lucky' }], 'https://o2': [] });
  const result = await routerProcessor(fleet.deps())(job());
  t.same(result, { output: 'second time lucky', orchestrator: 'https://o1', tried: 2, headers: { 'x-orchestrator-url': 'https://o1' } });
  t.same(fleet.refreshed, ['https://o1']);
  t.same(fleet.sends.map((s) => s.uri), ['https://o1', 'https://o1']);
  t.equal(fleet.picks.length, 1, 'no new pick for the retry');
  t.same(fleet.suspended, []);
});

t.test('expired twice in a row: the second time suspends and moves on (only one refresh per orchestrator)', async (t) => {
  const expired = () => ({ error: new Error('ticketparams expired') });
  const fleet = new FakeOrchestrators({ 'https://o1': [expired(), expired()], 'https://o2': [{ output: 'ok' }] });
  const result = await routerProcessor(fleet.deps())(job());
  t.same(result, { output: 'ok', orchestrator: 'https://o2', tried: 3, headers: { 'x-orchestrator-url': 'https://o2' } });
  t.same(fleet.refreshed, ['https://o1']);
  t.same(fleet.suspended.map((s) => s.uri), ['https://o1']);
  t.same(fleet.sends.map((s) => s.uri), ['https://o1', 'https://o1', 'https://o2']);
});

t.test('each new orchestrator gets its own refresh', async (t) => {
  const expired = () => ({ error: new Error('TicketParams expired') });
  const fleet = new FakeOrchestrators({ 'https://o1': [expired(), expired()], 'https://o2': [expired(), { output: 'ok' }] });
  const result = await routerProcessor(fleet.deps())(job());
  t.same(result, { output: 'ok', orchestrator: 'https://o2', tried: 4, headers: { 'x-orchestrator-url': 'https://o2' } });
  t.same(fleet.refreshed, ['https://o1', 'https://o2']);
});

t.test('a failed refresh suspends the orchestrator and moves on instead of retrying stale params', async (t) => {
  const fleet = new FakeOrchestrators({ 'https://o1': [{ error: new Error('TicketParams expired') }, { output: 'not with stale params' }] });
  fleet.refreshFails = true;
  const error = await routerProcessor(fleet.deps())(job()).catch((e: unknown) => e);
  t.ok(errors.jobs.FAILED.is(error), 'with nobody else left the attempt fails');
  t.same(fleet.refreshed, ['https://o1']);
  t.same(fleet.suspended, [{ uri: 'https://o1', reason: 'refresh failed' }]);
  t.equal(fleet.sends.length, 1, 'o1 is not sent the job again');
});

t.test('maxOrchestratorAttempts bounds the sends, then the job attempt fails', async (t) => {
  const fail = (uri: string) => ({ error: new Error(`${uri} connection reset`) });
  const fleet = new FakeOrchestrators({
    'https://o1': [fail('https://o1')],
    'https://o2': [fail('https://o2')],
    'https://o3': [fail('https://o3')],
    'https://o4': [{ output: 'never reached' }],
  });
  const error = await routerProcessor(fleet.deps(3))(job()).catch((e: unknown) => e);
  t.ok(errors.jobs.FAILED.is(error), 'LPX_ERR_JOBS_FAILED');
  t.equal(fleet.sends.length, 3);
  t.same(fleet.sends.map((s) => s.uri), ['https://o1', 'https://o2', 'https://o3']);
  t.match((error as Error).message, /no orchestrator completed byoc\/echo job job-7 after 3 tries: https:\/\/o3 connection reset/);
  t.match((error as { details?: unknown }).details, { capabilityId: 'byoc/echo', tried: 3, excluded: ['https://o1', 'https://o2', 'https://o3'] });
  t.match((error as Error).cause, { message: 'https://o3 connection reset' }, 'the last send error is the cause');
});

t.test('when pick then finds none, the error keeps the last send error', async (t) => {
  const fleet = new FakeOrchestrators({ 'https://o1': [{ error: new Error('https://o1 answered 500: worker exploded') }] });
  const error = await routerProcessor(fleet.deps())(job()).catch((e: unknown) => e);
  t.ok(errors.jobs.FAILED.is(error));
  t.match((error as Error).message, /after 1 tries: https:\/\/o1 answered 500: worker exploded/);
  t.notMatch((error as Error).message, /no usable orchestrator/);
  t.equal(fleet.picks.length, 2, 'it did look for another');
  t.match((error as { details?: unknown }).details, { tried: 1, excluded: ['https://o1'] });
});

t.test('with no orchestrator at all, the error is the pick error', async (t) => {
  const fleet = new FakeOrchestrators({});
  const error = await routerProcessor(fleet.deps())(job()).catch((e: unknown) => e);
  t.ok(errors.jobs.FAILED.is(error));
  t.match((error as Error).message, /after 0 tries: no usable orchestrator for byoc\/echo/);
  t.ok(errors.gateway.NO_ORCHESTRATORS.is((error as Error).cause));
  t.same(fleet.sends, []);
});

t.test('an aborted signal stops before any send', async (t) => {
  const controller = new AbortController();
  controller.abort();
  const fleet = new FakeOrchestrators({ 'https://o1': [{ output: 'x' }] });
  const error = await routerProcessor(fleet.deps())(jobContext({ capabilityId: 'byoc/echo', input: null }, controller.signal)).catch((e: unknown) => e);
  t.ok(errors.jobs.FAILED.is(error));
  t.match((error as Error).message, /after 0 tries: aborted/);
  t.same(fleet.picks, []);
  t.same(fleet.sends, []);
});

t.test('an abort during a failing send stops the failover', async (t) => {
  const controller = new AbortController();
  const fleet = new FakeOrchestrators({ 'https://o1': [], 'https://o2': [{ output: 'never reached' }] });
  const deps = fleet.deps();
  const send = deps.send;
  const result = routerProcessor({
    ...deps,
    send: async (target, j) => {
      controller.abort(); // the worker is closing while o1 hangs up
      return send(target, j);
    },
  })(jobContext({ capabilityId: 'byoc/echo', input: null }, controller.signal));
  const error = await result.catch((e: unknown) => e);
  t.ok(errors.jobs.FAILED.is(error));
  t.same(fleet.sends.map((s) => s.uri), ['https://o1'], 'o2 was not tried');
  t.match((error as Error).message, /after 1 tries: test script for https:\/\/o1 ran out/);
});

t.test('an input refusal is not the orchestrator\'s fault: no suspension, no failover, no BullMQ retry', async (t) => {
  const refusal = errors.orchestrator.JOB_REFUSED.create('https://o1 answered 400: app echo: /text must be string', {
    details: { status: 400, text: 'app echo: /text must be string', code: errors.byoc.INPUT_INVALID.code },
  });
  const fleet = new FakeOrchestrators({ 'https://o1': [{ error: refusal }], 'https://o2': [{ output: 'never' }] });
  const error = await routerProcessor(fleet.deps())(job()).then(() => undefined, (e: unknown) => e as Error);
  t.equal(error?.name, 'UnrecoverableError', 'BullMQ does not retry it');
  t.equal(error?.message, 'LPX_ERR_BYOC_INPUT_INVALID: app echo: /text must be string', 'the code and the orchestrator\'s text, for the API to answer with');
  t.same(fleet.suspended, [], 'the orchestrator is not suspended');
  t.same(fleet.sends.map((send) => send.uri), ['https://o1'], 'no other orchestrator is asked');
});
