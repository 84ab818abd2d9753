// Webhooks through a whole gateway node (ADR 0019): the default config refuses a
// loopback receiver at submission; an operator-allowed one gets the job's outcome
// from the delivery queue, signed with the key the node keeps in its data dir,
// and a delivery still pending when the node stops is sent by the next start.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { errors } from '@lpx/sdk';
import { Host } from '../../src/boot/host.js';
import { loadConfig } from '../../src/config/load-config.js';
import { generateApiKey, hashApiKey } from '../../src/roles/gateway/tenants/api-keys.js';
import { SECRET_FILE } from '../../src/roles/gateway/webhooks/webhook-secret.js';
import { verifyWebhookSignature } from '../../src/roles/gateway/webhooks/webhook-signature.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { receiver } from './webhook-receiver.js';

const redis = await testRedis(t);

function gateway(tt: { teardown(fn: () => unknown): void }, dataDir: string, prefix: string, webhooks: Record<string, unknown> = {}, tenants: Record<string, unknown> = {}): Host {
  const host = new Host({
    config: loadConfig({
      raw: {
        log: { level: 'warn' },
        http: { port: 0 },
        node: { roles: ['gateway'], dataDir },
        redis: { url: redis.url, prefix },
        jobs: { drainTimeoutMs: 1_000 },
        // No orchestrators: every job fails on its only attempt, which is an outcome to deliver.
        gateway: { capabilities: ['byoc/known'], jobAttempts: 1, webhooks, tenants },
      },
      env: {},
    }),
    logDestination: new PassThrough().resume(),
  });
  tt.teardown(() => host.stop());
  return host;
}

function tempDir(tt: { teardown(fn: () => unknown): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'lpx-webhook-role-'));
  tt.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function until(done: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

t.test('a gateway with default config refuses a webhook to 127.0.0.1 with a coded 400 and queues nothing', async (t) => {
  const hook = await receiver(t);
  const host = gateway(t, tempDir(t), uniquePrefix('wh-role-default'));
  await host.start();
  const res = await host.http.inject({ method: 'POST', url: `/v1/jobs/byoc/known?async=true&webhook=${encodeURIComponent(hook.url)}`, payload: {} });
  t.equal(res.statusCode, 400);
  t.match(res.json(), { code: errors.gateway.WEBHOOK_DESTINATION_REFUSED.code, detail: /127\.0\.0\.1 is loopback/ });
  await sleep(300);
  t.equal(hook.received.length, 0);
});

t.test('an allowed receiver gets the signed outcome; a delivery pending at stop is sent after the restart', async (t) => {
  // The first POST is refused, so the delivery is waiting for its retry when the node stops.
  const hook = await receiver(t, [503]);
  const dataDir = tempDir(t);
  const prefix = uniquePrefix('wh-role-allowed');
  const allow = { allowCidrs: ['127.0.0.0/8'], backoffMs: 500 };
  const first = gateway(t, dataDir, prefix, allow);
  await first.start();
  const res = await first.http.inject({ method: 'POST', url: `/v1/jobs/byoc/known?async=true&webhook=${encodeURIComponent(hook.url)}`, payload: { n: 1 } });
  t.equal(res.statusCode, 202);
  const { id } = res.json<{ id: string }>();
  await until(() => hook.received.length === 1, 'the first delivery attempt');
  await first.stop();

  const second = gateway(t, dataDir, prefix, allow);
  await second.start();
  await until(() => hook.received.length === 2, 'the retried delivery after the restart');
  const delivered = hook.received[1]!;
  t.match(JSON.parse(delivered.body), { id, capability: 'byoc/known', state: 'failed' });
  t.equal(delivered.headers['lpx-webhook-id'], `byoc/known/${id}/failed`);
  const secret = readFileSync(join(dataDir, SECRET_FILE), 'utf8').trim();
  t.ok(verifyWebhookSignature(secret, String(delivered.headers['lpx-signature']), delivered.body, 300), 'signed with the key kept in node.dataDir');
  t.notOk(verifyWebhookSignature('not-the-node-secret-0123', String(delivered.headers['lpx-signature']), delivered.body, 300));
  const metrics = (await second.http.inject({ method: 'GET', url: '/metrics' })).body;
  t.match(metrics, /lpx_gateway_webhook_deliveries_total\{outcome="delivered"\} 1/);
});

t.test("a tenant's webhookSecret signs that tenant's deliveries; other tenants get the gateway's key", async (t) => {
  const hook = await receiver(t);
  const dataDir = tempDir(t);
  const acmeKey = generateApiKey();
  const otherKey = generateApiKey();
  const tenants = { acme: { keys: [hashApiKey(acmeKey)], webhookSecret: 'acme-webhook-secret-0123456789' }, other: { keys: [hashApiKey(otherKey)] } };
  const host = gateway(t, dataDir, uniquePrefix('wh-role-tenant'), { allowCidrs: ['127.0.0.0/8'] }, tenants);
  await host.start();
  for (const key of [acmeKey, otherKey]) {
    const res = await host.http.inject({ method: 'POST', url: `/v1/jobs/byoc/known?async=true&webhook=${encodeURIComponent(hook.url)}`, headers: { authorization: `Bearer ${key}` }, payload: {} });
    t.equal(res.statusCode, 202);
  }
  await until(() => hook.received.length === 2, 'both deliveries');
  const nodeSecret = readFileSync(join(dataDir, SECRET_FILE), 'utf8').trim();
  const signed = (secret: string) => hook.received.filter((r) => verifyWebhookSignature(secret, String(r.headers['lpx-signature']), r.body, 300)).length;
  t.equal(signed('acme-webhook-secret-0123456789'), 1, "acme's delivery verifies with acme's key");
  t.equal(signed(nodeSecret), 1, "the other tenant's delivery verifies with the gateway's key");
});
