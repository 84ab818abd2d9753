import t from 'tap';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { errors } from '@lpx/sdk';
import { loadWebhookSecret, SECRET_FILE } from '../../src/roles/gateway/webhooks/webhook-secret.js';
import { signWebhook, verifyWebhookSignature } from '../../src/roles/gateway/webhooks/webhook-signature.js';

const SECRET = 'whsec-0123456789abcdef';
const body = JSON.stringify({ id: 'j1', capability: 'byoc/echo', state: 'completed', result: { x: 1 } });

t.test('a signature verifies with its secret and body, and not with another secret, body or an old timestamp', async (t) => {
  const now = 1_800_000_000;
  const header = signWebhook(SECRET, body, now);
  t.match(header, /^t=1800000000,v1=[0-9a-f]{64}$/);
  t.ok(verifyWebhookSignature(SECRET, header, body, 300, now));
  t.ok(verifyWebhookSignature(SECRET, header, body, 300, now + 300), 'within the tolerance');
  t.notOk(verifyWebhookSignature('whsec-another-secret-012', header, body, 300, now), 'wrong secret');
  t.notOk(verifyWebhookSignature(SECRET, header, body.replace('"x":1', '"x":2'), 300, now), 'changed body');
  t.notOk(verifyWebhookSignature(SECRET, header, body, 300, now + 301), 'a replay after the tolerance');
  t.notOk(verifyWebhookSignature(SECRET, header.replace('t=1800000000', 't=1800000100'), body, 300, now), 'a moved timestamp');
  t.notOk(verifyWebhookSignature(SECRET, 'v1=abc', body, 300, now), 'garbage');
});

/** The receiver recipe in docs/operators.md, written out as a module and imported, so the docs cannot drift from the signer. */
async function docsRecipe(t: { teardown(fn: () => unknown): void }): Promise<(secret: string, header: string, rawBody: string, tolerance?: number) => boolean> {
  const docs = await readFile(fileURLToPath(new URL('../../../docs/operators.md', import.meta.url)), 'utf8');
  const match = /<!-- recipe: verify-webhook-signature[^>]*-->\s*```js\n([\s\S]*?)```/.exec(docs);
  if (!match) throw new Error('docs/operators.md has no verify-webhook-signature recipe');
  const dir = await mkdtemp(join(tmpdir(), 'lpx-recipe-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'verify.mjs');
  await writeFile(file, match[1]!);
  const module = (await import(pathToFileURL(file).href)) as { verifyLpxSignature: (secret: string, header: string, rawBody: string, tolerance?: number) => boolean };
  return module.verifyLpxSignature;
}

t.test('the verification recipe in docs/operators.md accepts what the gateway signs and refuses the rest', async (t) => {
  const verify = await docsRecipe(t);
  const header = signWebhook(SECRET, body);
  t.equal(verify(SECRET, header, body), true);
  t.equal(verify('whsec-another-secret-012', header, body), false);
  t.equal(verify(SECRET, header, `${body} `), false);
  t.equal(verify(SECRET, signWebhook(SECRET, body, Math.floor(Date.now() / 1000) - 3_600), body), false, 'an hour-old signature is a replay');
});

t.test('without a configured secret the gateway creates one in the data dir (0600) and keeps it across restarts', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-whsecret-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const first = await loadWebhookSecret(undefined, join(dir, 'data'));
  t.match(first.secret, /^[0-9a-f]{64}$/);
  t.equal(first.source, join(dir, 'data', SECRET_FILE));
  t.equal((await stat(first.source)).mode & 0o777, 0o600);
  const again = await loadWebhookSecret(undefined, join(dir, 'data'));
  t.equal(again.secret, first.secret, 'the same key after a restart');
  t.same(await loadWebhookSecret('configured-secret-0123', join(dir, 'data')), { secret: 'configured-secret-0123', source: 'config' });
  await writeFile(first.source, 'short\n');
  await t.rejects(loadWebhookSecret(undefined, join(dir, 'data')), { code: errors.gateway.WEBHOOK_SECRET.code });
});
