import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnrecoverableError } from 'bullmq';
import type { JobContext, JobProcessor } from '@lpx/sdk';
import { JobsKernel } from '../../src/jobs/index.js';
import type { RouteJobData, RouteJobResult } from '../../src/roles/gateway/route-job.js';
import { WebhookEgressPolicy } from '../../src/roles/gateway/webhooks/egress-policy.js';
import { withWebhookDelivery } from '../../src/roles/gateway/webhooks/enqueue-webhook.js';
import { WebhookDeliveries } from '../../src/roles/gateway/webhooks/webhook-deliveries.js';
import type { WebhookDelivery } from '../../src/roles/gateway/webhooks/webhook-payload.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { receiver } from './webhook-receiver.js';

function jobContext(data: RouteJobData, attempt: number): JobContext<RouteJobData> {
  return { id: 'job-42', capabilityId: data.capabilityId, data, attempt, signal: new AbortController().signal, progress: async () => {} };
}

/** A delivery queue stand-in that records what the routing side hands it. */
function recordingQueue(): { enqueue(d: WebhookDelivery): Promise<string>; queued: WebhookDelivery[] } {
  const queued: WebhookDelivery[] = [];
  return { queued, enqueue: async (d) => (queued.push(d), 'id') };
}

const result: RouteJobResult = { output: { echoed: 'hi' }, orchestrator: 'https://o', tried: 2 };

t.test("a completed route job queues a 'completed' delivery and returns its result", async (t) => {
  const q = recordingQueue();
  const wrapped = withWebhookDelivery(async () => result, 3, q);
  t.same(await wrapped(jobContext({ capabilityId: 'byoc/echo', input: 'hi', webhook: 'https://hooks.example/a' }, 1)), result);
  t.same(q.queued, [{ url: 'https://hooks.example/a', payload: { id: 'job-42', capability: 'byoc/echo', state: 'completed', result: { echoed: 'hi' }, orchestrator: 'https://o' } }]);
});

t.test('the tenant on a route job travels with its delivery (it picks the signing key)', async (t) => {
  const q = recordingQueue();
  const data = { capabilityId: 'byoc/echo', input: null, webhook: 'https://hooks.example/a', tenant: 'acme' } as RouteJobData;
  await withWebhookDelivery(async () => result, 3, q)(jobContext(data, 1));
  t.equal(q.queued[0]?.tenant, 'acme');
});

t.test('without a webhook only the processor runs', async (t) => {
  const q = recordingQueue();
  t.same(await withWebhookDelivery(async () => result, 3, q)(jobContext({ capabilityId: 'byoc/echo', input: null }, 1)), result);
  t.same(q.queued, []);
});

t.test("'failed' is queued only on the final attempt (or an unrecoverable error), and the error is rethrown every time", async (t) => {
  const q = recordingQueue();
  const wrapped = withWebhookDelivery(async () => {
    throw new Error('no orchestrator completed it');
  }, 2, q);
  const data: RouteJobData = { capabilityId: 'byoc/echo', input: null, webhook: 'https://hooks.example/a' };
  await t.rejects(wrapped(jobContext(data, 1)), { message: 'no orchestrator completed it' });
  t.same(q.queued, [], 'nothing on a non-final attempt');
  await t.rejects(wrapped(jobContext(data, 2)), { message: 'no orchestrator completed it' });
  t.same(q.queued.map((d) => d.payload), [{ id: 'job-42', capability: 'byoc/echo', state: 'failed', error: 'no orchestrator completed it' }]);

  const unrecoverable = recordingQueue();
  await t.rejects(withWebhookDelivery(async () => {
    throw new UnrecoverableError('bad input');
  }, 5, unrecoverable)(jobContext(data, 1)));
  t.equal(unrecoverable.queued[0]?.payload.state, 'failed', 'an unrecoverable error is final on any attempt');
});

t.test('if the completed delivery cannot be queued the route job fails (and runs again): no webhook is lost', async (t) => {
  const wrapped = withWebhookDelivery(async () => result, 3, {
    enqueue: async () => {
      throw new Error('redis unreachable');
    },
  });
  await t.rejects(wrapped(jobContext({ capabilityId: 'byoc/echo', input: null, webhook: 'https://hooks.example/a' }, 1)), { message: 'redis unreachable' });
});

t.test('a slow webhook receiver does not hold up another client job', async (t) => {
  const redis = await testRedis(t);
  const prefix = uniquePrefix('wh-slow');
  // A receiver that never answers while the test runs.
  const hook = await receiver(t, ['hang']);
  const routes = new JobsKernel({ connection: await redis.connect(), prefix: `${prefix}:route`, worker: { drainTimeoutMs: 500 } });
  const deliveries = new WebhookDeliveries({
    connection: await redis.connect(),
    prefix: `${prefix}:webhooks`,
    policy: new WebhookEgressPolicy({ allowCidrs: ['127.0.0.0/8'] }),
    secretFor: () => 'test-secret-0123456789abcdef',
    timeoutMs: 60_000,
    attempts: 1,
    backoffMs: 0,
    concurrency: 1,
    worker: { drainTimeoutMs: 500 },
  });
  t.teardown(async () => {
    await routes.close();
    await deliveries.close();
  });
  const echo: JobProcessor<RouteJobData, RouteJobResult> = async (job) => ({ output: job.data.input, orchestrator: 'https://o', tried: 1 });
  // One routing slot, as on a busy gateway whose slots are all taken: whatever holds it holds every client.
  routes.registerProcessor<RouteJobData, RouteJobResult>('byoc/echo', withWebhookDelivery(echo, 1, deliveries), { concurrency: 1 });
  routes.start();
  deliveries.start();

  const first = await routes.submit<RouteJobData>('byoc/echo', { capabilityId: 'byoc/echo', input: 'first', webhook: hook.url }, { attempts: 1 });
  const second = await routes.submitAndWait<RouteJobData, RouteJobResult>('byoc/echo', { capabilityId: 'byoc/echo', input: 'second' }, { attempts: 1, timeoutMs: 60_000 });
  t.same(second.output, 'second', "the other client's job completed");
  t.equal((await routes.getStatus('byoc/echo', first.id))?.state, 'completed', 'the job with the webhook completed too');
  const deliveryState = await deliveries.queue.getJobState(`byoc/echo/${first.id}/completed`);
  t.ok(deliveryState === 'waiting' || deliveryState === 'active', `while its webhook delivery is still pending (${deliveryState})`);
  while (hook.received.length === 0) await sleep(20);
  t.equal(hook.open, 1, 'the webhook POST is held open by the receiver, in the delivery worker');
  t.equal(hook.abandoned, 0);
});
