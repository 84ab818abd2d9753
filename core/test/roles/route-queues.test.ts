import t from 'tap';
import { JobsKernel } from '../../src/jobs/index.js';
import { existingRouteCapabilities } from '../../src/roles/gateway/route-queues.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();

function kernel(tt: { teardown(fn: () => unknown): void }, prefix: string): JobsKernel {
  const k = new JobsKernel({ connection, prefix });
  tt.teardown(() => k.close());
  return k;
}

t.test('finds the capabilities that have route jobs under the prefix, and only those', async (t) => {
  const node = uniquePrefix('rq');
  const prefix = `${node}:route`;
  t.same(await existingRouteCapabilities(connection, prefix), [], 'nothing before any job');

  const routes = kernel(t, prefix);
  await routes.submit('video/some.thing', { n: 1 });
  await routes.submit('byoc/echo', { n: 2 });
  await routes.submit('byoc/echo', { n: 3 });

  // The same node's worker queues (prefix without :route) and another gateway's route queues.
  const workers = kernel(t, node);
  await workers.submit('byoc/worker-only', {});
  const otherGateway = kernel(t, `${uniquePrefix('rq-other')}:route`);
  await otherGateway.submit('byoc/elsewhere', {});

  t.same(await existingRouteCapabilities(connection, prefix), ['byoc/echo', 'video/some.thing'], 'both, sorted, once each');
  t.same(await existingRouteCapabilities(connection, node), ['byoc/worker-only'], 'the worker prefix sees only its own queue');
});

t.test('glob characters in the prefix are matched literally', async (t) => {
  const real = `{rq-${Math.random().toString(36).slice(2, 10)}}:route`;
  const routes = kernel(t, real);
  await routes.submit('byoc/echo', {});
  t.same(await existingRouteCapabilities(connection, real), ['byoc/echo']);
  t.same(await existingRouteCapabilities(connection, '{*}:route'), [], "'*' is not a wildcard");
  t.same(await existingRouteCapabilities(connection, '{rq-?????????}:route'), [], "'?' is not a wildcard");
  t.same(await existingRouteCapabilities(connection, '{[r]q-*}:route'), [], "'[...]' is not a class");
});

t.test('finds queues even after their jobs are done', async (t) => {
  const prefix = `${uniquePrefix('rq-done')}:route`;
  const routes = kernel(t, prefix);
  routes.registerProcessor('math/inc', async (job) => (job.data as number) + 1);
  routes.start();
  t.equal(await routes.submitAndWait('math/inc', 1), 2);
  t.same(await existingRouteCapabilities(connection, prefix), ['math/inc']);
});

t.test('finds the capabilities of jobs only an inline ledger holds (a gateway that died running them, ADR 0067)', async (t) => {
  const prefix = `${uniquePrefix('rq-inline')}:route`;
  const entry = (capabilityId: string) => JSON.stringify({ capabilityId, data: {}, attempts: 3, attemptsMade: 0 });
  await connection.hset(`${prefix}:inline:dead-gateway`, 'job-1', entry('byoc/only-inline'), 'job-2', entry('byoc/only-inline'), 'job-3', 'not json', 'job-4', entry('NOT A CAPABILITY'));
  await connection.hset(`${uniquePrefix('rq-inline-other')}:route:inline:other`, 'job-5', entry('byoc/elsewhere'));
  t.same(await existingRouteCapabilities(connection, prefix), ['byoc/only-inline'], 'once, junk entries skipped, other prefixes not looked at');
});
