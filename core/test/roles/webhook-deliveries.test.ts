import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import type { LoggerService } from '@lpx/sdk';
import { WebhookEgressPolicy, type HostResolver } from '../../src/roles/gateway/webhooks/egress-policy.js';
import { WebhookDeliveries, type WebhookDeliveriesOptions } from '../../src/roles/gateway/webhooks/webhook-deliveries.js';
import type { WebhookPayload } from '../../src/roles/gateway/webhooks/webhook-payload.js';
import { verifyWebhookSignature } from '../../src/roles/gateway/webhooks/webhook-signature.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { receiver } from './webhook-receiver.js';
import { countBlobs, diskStore } from '../blobs/blob-fixtures.js';

const redis = await testRedis(t);
const SECRET = 'test-secret-0123456789abcdef';
const LOOPBACK_ALLOWED = new WebhookEgressPolicy({ allowCidrs: ['127.0.0.0/8'] });

/** Records log calls by level; the rest is dropped. */
function recordingLogger(): LoggerService & { entries: Array<{ level: string; bindings: Record<string, unknown>; msg?: string }> } {
  const entries: Array<{ level: string; bindings: Record<string, unknown>; msg?: string }> = [];
  const at =
    (level: string) =>
    (bindings: Record<string, unknown> | string, msg?: string): void => {
      if (typeof bindings === 'object') entries.push({ level, bindings, ...(msg !== undefined ? { msg } : {}) });
    };
  const logger = { entries, trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), child: () => logger };
  return logger as unknown as LoggerService & { entries: typeof entries };
}

interface Harness {
  deliveries: WebhookDeliveries;
  metrics: Registry;
  logger: ReturnType<typeof recordingLogger>;
}

async function deliveries(tt: { teardown(fn: () => unknown): void }, prefix: string, options: Partial<WebhookDeliveriesOptions> = {}): Promise<Harness> {
  const metrics = new Registry();
  const logger = recordingLogger();
  const d = new WebhookDeliveries({
    connection: await redis.connect(),
    prefix,
    policy: LOOPBACK_ALLOWED,
    secretFor: () => SECRET,
    timeoutMs: 5_000,
    attempts: 3,
    backoffMs: 20,
    concurrency: 4,
    worker: { drainTimeoutMs: 500, stalledIntervalMs: 500, lockDurationMs: 2_000 },
    logger,
    metrics,
    ...options,
  });
  tt.teardown(() => d.close());
  return { deliveries: d, metrics, logger };
}

async function outcomes(metrics: Registry): Promise<Record<string, number>> {
  const metric = await metrics.getSingleMetric('lpx_gateway_webhook_deliveries_total')?.get();
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.outcome), v.value]));
}

async function until(done: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const payload = (id: string, state: WebhookPayload['state'] = 'completed'): WebhookPayload => ({ id, capability: 'byoc/echo', state, result: { echoed: id }, orchestrator: 'https://o' });

t.test('a delivery is POSTed as JSON with Lpx-Webhook-Id and an Lpx-Signature that verifies with the secret only', async (t) => {
  const hook = await receiver(t);
  const { deliveries: d, metrics } = await deliveries(t, uniquePrefix('wh-sign'));
  const id = await d.enqueue({ url: hook.url, payload: payload('job-1') });
  d.start();
  await until(() => hook.received.length === 1, 'the delivery');
  const got = hook.received[0]!;
  t.equal(got.headers['content-type'], 'application/json');
  t.equal(got.headers['lpx-webhook-id'], id);
  t.equal(id, 'byoc/echo/job-1/completed');
  t.same(JSON.parse(got.body), payload('job-1'));
  const signature = String(got.headers['lpx-signature']);
  t.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
  t.ok(verifyWebhookSignature(SECRET, signature, got.body, 300), 'verifies with the secret');
  t.notOk(verifyWebhookSignature('another-secret-0123456789', signature, got.body, 300), 'fails with a wrong secret');
  t.notOk(verifyWebhookSignature(SECRET, signature, got.body.replace('job-1', 'job-2'), 300), 'fails for a changed body');
  await until(async () => (await outcomes(metrics)).delivered === 1, 'the delivered metric');
});

t.test('each delivery is signed with the secret secretFor picks (per tenant)', async (t) => {
  const hook = await receiver(t);
  const { deliveries: d } = await deliveries(t, uniquePrefix('wh-tenant'), { secretFor: (tenant) => (tenant === 'acme' ? 'acme-secret-0123456789abcdef' : SECRET) });
  await d.enqueue({ url: hook.url, payload: payload('a'), tenant: 'acme' });
  await d.enqueue({ url: hook.url, payload: payload('b') });
  d.start();
  await until(() => hook.received.length === 2, 'both deliveries');
  for (const got of hook.received) {
    const tenantKey = JSON.parse(got.body).id === 'a' ? 'acme-secret-0123456789abcdef' : SECRET;
    t.ok(verifyWebhookSignature(tenantKey, String(got.headers['lpx-signature']), got.body, 300));
  }
});

t.test('a refused POST is retried with exponential backoff, then recorded as failed: log, metric and the failed set', async (t) => {
  const hook = await receiver(t, [500, 503, 500]);
  const prefix = uniquePrefix('wh-fail');
  const { deliveries: d, metrics, logger } = await deliveries(t, prefix, { attempts: 3, backoffMs: 200 });
  const id = await d.enqueue({ url: hook.url, payload: payload('job-f', 'failed') });
  d.start();
  await until(async () => (await d.queue.getJobState(id)) === 'failed', 'the final failure', 20_000);
  t.equal(hook.received.length, 3, 'exactly `attempts` POSTs');
  // BullMQ's exponential backoff: the 2nd POST waits ≥ 200 ms, the 3rd ≥ 400 ms.
  t.ok(hook.received[1]!.at - hook.received[0]!.at >= 190, 'first backoff');
  t.ok(hook.received[2]!.at - hook.received[1]!.at >= 390, 'second backoff, doubled');
  const failed = await d.queue.getFailed();
  t.same(failed.map((j) => j.id), [id], 'the delivery stays inspectable in the failed set');
  t.match(failed[0]!.failedReason, /receiver answered 500/);
  t.same(failed[0]!.opts.backoff, { type: 'exponential', delay: 200 });
  t.same(await outcomes(metrics), { retried: 2, failed: 1 });
  t.match(logger.entries.filter((e) => e.level === 'error'), [{ bindings: { webhookId: id, outcome: 'failed', attempt: 3 } }]);
});

t.test('a receiver that does not answer in timeoutMs counts as a failed attempt', async (t) => {
  const hook = await receiver(t, ['hang', 200]);
  // The timeout ends only the first, hanging request; it is long enough that a loaded machine still
  // answers the second in time (300 ms was not, once, on a shared CI machine).
  const { deliveries: d, metrics } = await deliveries(t, uniquePrefix('wh-timeout'), { timeoutMs: 1_500, attempts: 2 });
  const id = await d.enqueue({ url: hook.url, payload: payload('slow') });
  d.start();
  await until(async () => ['completed', 'failed'].includes(await d.queue.getJobState(id)), 'the second attempt');
  t.equal(await d.queue.getJobState(id), 'completed', 'the second attempt delivered');
  t.equal(hook.received.length, 2);
  t.equal(hook.abandoned, 1, 'the first request was abandoned by the sender');
  t.same(await outcomes(metrics), { retried: 1, delivered: 1 });
  const job = await d.queue.getJob(id);
  t.equal(job?.attemptsMade, 2);
});

t.test('redirects are not followed: a 3xx fails the delivery without retries', async (t) => {
  const target = await receiver(t);
  const hook = await receiver(t, [{ redirect: target.url }]);
  const { deliveries: d, metrics } = await deliveries(t, uniquePrefix('wh-redirect'));
  const id = await d.enqueue({ url: hook.url, payload: payload('r') });
  d.start();
  await until(async () => (await d.queue.getJobState(id)) === 'failed', 'the failure');
  t.equal(hook.received.length, 1, 'no retry');
  t.equal(target.received.length, 0, 'the redirect target was never called');
  t.match((await d.queue.getJob(id))?.failedReason, /302; redirects are not followed/);
  t.same(await outcomes(metrics), { failed: 1 });
});

t.test('DNS rebinding: a name that passed the submission check but resolves to loopback at delivery is refused', async (t) => {
  const hook = await receiver(t);
  let lookups = 0;
  // First answer public (the submission check), every later one loopback (the delivery).
  const rebinding: HostResolver = async () => (lookups++ === 0 ? [{ address: '93.184.215.14', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
  const policy = new WebhookEgressPolicy({ resolve: rebinding });
  const url = `http://rebind.example:${hook.port}/hook`;
  t.equal(await policy.check(url), url, 'the submission check passes');
  const { deliveries: d, metrics, logger } = await deliveries(t, uniquePrefix('wh-rebind'), { policy });
  const id = await d.enqueue({ url, payload: payload('rb') });
  d.start();
  await until(async () => (await d.queue.getJobState(id)) === 'failed', 'the refusal');
  t.equal(hook.received.length, 0, 'nothing reached the loopback receiver');
  t.match((await d.queue.getJob(id))?.failedReason, /resolves to 127\.0\.0\.1.*loopback/);
  t.equal((await d.queue.getJob(id))?.attemptsMade, 1, 'a refusal is not retried');
  t.same(await outcomes(metrics), { refused: 1 });
  t.match(logger.entries.filter((e) => e.level === 'error'), [{ bindings: { webhookId: id, outcome: 'refused' } }]);
});

t.test('the socket goes to the checked address, with the URL name as Host; allowed when the operator allows the range', async (t) => {
  const hook = await receiver(t);
  // No real DNS knows this name: only the pinned, checked answer can reach the receiver.
  const policy = new WebhookEgressPolicy({ resolve: async () => [{ address: '127.0.0.1', family: 4 }], allowCidrs: ['127.0.0.0/8'] });
  const { deliveries: d } = await deliveries(t, uniquePrefix('wh-pinned'), { policy });
  await d.enqueue({ url: `http://hooks.lpx.invalid:${hook.port}/hook`, payload: payload('p') });
  d.start();
  await until(() => hook.received.length === 1, 'the delivery');
  t.equal(hook.received[0]!.headers.host, `hooks.lpx.invalid:${hook.port}`);
});

t.test('the same delivery queued twice (a re-run route job) is sent once', async (t) => {
  const hook = await receiver(t);
  const { deliveries: d } = await deliveries(t, uniquePrefix('wh-dedupe'));
  const first = await d.enqueue({ url: hook.url, payload: payload('twice') });
  const second = await d.enqueue({ url: hook.url, payload: payload('twice') });
  t.equal(first, second);
  t.equal(await d.queue.count(), 1);
  d.start();
  await until(async () => (await d.queue.getJobState(first)) === 'completed', 'the delivery');
  await d.enqueue({ url: hook.url, payload: payload('twice') });
  await sleep(200);
  t.equal(hook.received.length, 1, 'a completed delivery is not sent again for the same id');
});

t.test('a gateway restart keeps pending deliveries: queued and mid-retry ones are sent by the next process', async (t) => {
  const hook = await receiver(t, [503]);
  const prefix = uniquePrefix('wh-restart');
  const before = await deliveries(t, prefix, { backoffMs: 300 });
  const retrying = await before.deliveries.enqueue({ url: hook.url, payload: payload('mid-retry') });
  before.deliveries.start();
  await until(() => hook.received.length === 1, 'the first, refused attempt');
  await until(async () => (await before.deliveries.queue.getJobState(retrying)) === 'delayed', 'the retry to be scheduled');
  await before.deliveries.close();
  // Queued while no delivery worker runs (a routing worker's enqueue between the two processes).
  const producer = await deliveries(t, prefix);
  const queued = await producer.deliveries.enqueue({ url: hook.url, payload: payload('queued') });
  await producer.deliveries.close();
  await sleep(400);
  t.equal(hook.received.length, 1, 'nothing is sent while no worker runs');

  const after = await deliveries(t, prefix);
  after.deliveries.start();
  await until(() => hook.received.length === 3, 'both deliveries after the restart');
  const ids = hook.received.slice(1).map((r) => r.headers['lpx-webhook-id']).sort();
  t.same(ids, [queued, retrying].sort());
  t.equal((await after.deliveries.queue.getJob(retrying))?.attemptsMade, 2, 'the mid-retry one continued its attempts');
});

t.test('a large result waits in the blob store, not in Redis, and its blob goes once delivered', async (t) => {
  const hook = await receiver(t);
  const store = await diskStore(t);
  const prefix = uniquePrefix('wh-large');
  const { deliveries: d } = await deliveries(t, prefix, { payloads: { store, inlineMaxBytes: 64 * 1024 } });
  const big: WebhookPayload = { ...payload('large'), result: { text: 'R'.repeat(2_000_000) } };
  const id = await d.enqueue({ url: hook.url, payload: big });
  const client = await redis.connect();
  const jobKey = `${prefix}:webhooks:${id}`;
  const stored = Number(await client.memory('USAGE', jobKey));
  t.ok(stored > 0 && stored < 8 * 1024, `the queued delivery holds a reference (${stored} bytes in Redis), not 2 MB`);
  t.equal(await countBlobs(store), 1, 'the payload is one blob');
  d.start();
  await until(() => hook.received.length === 1, 'the delivery');
  const got = hook.received[0]!;
  t.same(JSON.parse(got.body), big, 'the receiver gets the whole payload');
  t.ok(verifyWebhookSignature(SECRET, String(got.headers['lpx-signature']), got.body, 300), 'signed over the whole body');
  await until(async () => (await countBlobs(store)) === 0, 'the blob to be deleted after delivery');
});

t.test('a retry schedule that could exceed 24 h is refused at construction', async (t) => {
  t.throws(
    () => new WebhookDeliveries({ connection: undefined as never, prefix: 'x', policy: LOOPBACK_ALLOWED, secretFor: () => SECRET, timeoutMs: 10_000, attempts: 25, backoffMs: 60_000, concurrency: 1 }),
    { code: 'LPX_ERR_CONFIG_INVALID', message: /24 h/ },
  );
});
