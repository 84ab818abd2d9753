// `lpx tenants …` round trip (ADR 0017): tenants are written into the node's
// config file (YAML comments kept, mode kept, only key hashes stored), the
// key is printed once, and the node reading that file lets exactly those keys in.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { errors } from '@lpx/sdk';
import { loadConfig } from '../../src/config/load-config.js';
import { hashApiKey } from '../../src/roles/gateway/tenants/api-keys.js';
import { TenantDirectory } from '../../src/roles/gateway/tenants/tenant-directory.js';
import { runCli } from '../../../test/helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lpx-tenants-cli-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const YAML_CONFIG = `# The gateway of the example shop.
node:
  name: gw # its name in logs
  roles: [gateway]
gateway:
  maxOrchestratorAttempts: 2 # fail over once
`;

function directoryOf(file: string): TenantDirectory {
  return new TenantDirectory(loadConfig({ file, env: {} }).config.gateway.tenants);
}

async function json<T>(...args: string[]): Promise<T> {
  const run = await runCli(...args, '--json');
  if (run.code !== 0) throw new Error(`lpx ${args.join(' ')} exited ${run.code}: ${run.stdout} ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

t.test('add, list, key, key --replace, remove on a YAML config', async (t) => {
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, YAML_CONFIG);
  chmodSync(file, 0o600);

  const added = await json<{ ok: boolean; tenant: string; apiKey: string }>('tenants', 'add', 'acme', '--config', file, '--budget', '5000000000000000', '--period', 'hour', '--max-price', '5/2', '--capability', 'byoc/*', 'video/transcode');
  t.match(added, { ok: true, tenant: 'acme', apiKey: /^lpx_/ });
  const text = readFileSync(file, 'utf8');
  t.match(text, /# The gateway of the example shop\./, 'comments survive');
  t.match(text, /name: gw # its name in logs/);
  t.match(text, /maxOrchestratorAttempts: 2 # fail over once/);
  t.notMatch(text, new RegExp(added.apiKey), 'the key itself is not stored');
  t.match(text, new RegExp(hashApiKey(added.apiKey)), 'its SHA-256 is');
  t.equal(statSync(file).mode & 0o777, 0o600, 'the file keeps its mode');

  const check = await runCli('config', 'check', file);
  t.equal(check.code, 0, check.stderr);
  const tenant = directoryOf(file).authenticate(`Bearer ${added.apiKey}`)!;
  t.equal(tenant.name, 'acme');
  t.same(tenant.budget, { limitWei: 5_000_000_000_000_000n, periodSeconds: 3600 });
  t.same(tenant.maxPrice, { pricePerUnit: 5n, pixelsPerUnit: 2n });
  t.ok(tenant.allows('byoc/echo') && tenant.allows('video/transcode') && !tenant.allows('ai/llm'));

  const listed = await json<{ tenants: unknown[] }>('tenants', 'list', '--config', file);
  t.same(listed.tenants, [{ name: 'acme', keys: 1, budget: { spendPerPeriod: '5000000000000000', periodSeconds: 3600 }, maxPrice: { pricePerUnit: '5', pixelsPerUnit: '2' }, capabilities: ['byoc/*', 'video/transcode'] }]);
  const human = await runCli('tenants', 'list', '--config', file);
  t.match(human.stdout, /acme\s+1\s+5000000000000000 wei \/ 3600 s\s+5\/2\s+byoc\/\*,video\/transcode/);
  t.notMatch(human.stdout, /lpx_/, 'list never shows keys');

  const second = await json<{ apiKey: string }>('tenants', 'key', 'acme', '--config', file);
  t.not(second.apiKey, added.apiKey);
  t.equal(directoryOf(file).authenticate(`Bearer ${second.apiKey}`)?.name, 'acme', 'the new key works');
  t.equal(directoryOf(file).authenticate(`Bearer ${added.apiKey}`)?.name, 'acme', 'and the first still does');

  const rotated = await json<{ apiKey: string }>('tenants', 'key', 'acme', '--config', file, '--replace');
  t.equal(directoryOf(file).authenticate(`Bearer ${rotated.apiKey}`)?.name, 'acme');
  for (const old of [added.apiKey, second.apiKey]) t.throws(() => directoryOf(file).authenticate(`Bearer ${old}`), { code: errors.gateway.API_KEY_INVALID.code }, 'revoked');

  const humanAdd = await runCli('tenants', 'add', 'beta', '--config', file);
  t.equal(humanAdd.code, 0);
  t.match(humanAdd.stdout, /tenant beta added .*restart the gateway/);
  t.match(humanAdd.stdout.split('\n').pop(), /^lpx_[A-Za-z0-9_-]{43}$/, 'the key on a line of its own');

  const removed = await json<{ removed: boolean }>('tenants', 'remove', 'acme', '--config', file);
  t.ok(removed.removed);
  t.same((await json<{ tenants: { name: string }[] }>('tenants', 'list', '--config', file)).tenants.map((x) => x.name), ['beta']);
  await json('tenants', 'remove', 'beta', '--config', file);
  t.ok(directoryOf(file).open, 'no tenants left: an open gateway again');
  t.match(readFileSync(file, 'utf8'), /# The gateway of the example shop\./);
});

t.test('a JSON config is edited as JSON', async (t) => {
  const file = join(dir, 'gateway.json');
  writeFileSync(file, JSON.stringify({ node: { roles: ['gateway'] } }));
  const added = await json<{ apiKey: string }>('tenants', 'add', 'acme', '--config', file);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { gateway: { tenants: Record<string, { keys: string[] }> } };
  t.same(parsed.gateway.tenants.acme!.keys, [hashApiKey(added.apiKey)]);
  t.equal(directoryOf(file).authenticate(`Bearer ${added.apiKey}`)?.name, 'acme');
});

t.test('refusals are coded and leave the file as it was', async (t) => {
  const file = join(dir, 'refusals.yaml');
  writeFileSync(file, YAML_CONFIG);
  await json('tenants', 'add', 'acme', '--config', file);
  const before = readFileSync(file, 'utf8');
  const cases: string[][] = [
    ['tenants', 'add', 'acme', '--config', file],
    ['tenants', 'add', 'Bad Name', '--config', file],
    ['tenants', 'add', 'big', '--config', file, '--budget', '1e18'],
    ['tenants', 'add', 'neg', '--config', file, '--budget', '-5'],
    ['tenants', 'add', 'per', '--config', file, '--budget', '5', '--period', 'fortnight'],
    ['tenants', 'add', 'mp', '--config', file, '--max-price', '1.5'],
    ['tenants', 'key', 'nobody', '--config', file],
    ['tenants', 'remove', 'nobody', '--config', file],
  ];
  for (const args of cases) {
    const run = await runCli(...args, '--json');
    t.equal(run.code, 1, args.join(' '));
    t.equal(JSON.parse(run.stdout).error.code, errors.gateway.TENANT_CONFIG.code, args.join(' '));
  }
  t.equal(readFileSync(file, 'utf8'), before, 'nothing was written');
  const missing = await runCli('tenants', 'list', '--config', join(dir, 'nope.yaml'), '--json');
  t.equal(JSON.parse(missing.stdout).error.code, errors.config.FILE_UNREADABLE.code);
});

t.test('list --redis shows what each tenant spent this period, exactly', async (t) => {
  const { testRedis, uniquePrefix } = await import('../../../test/helpers/redis.js');
  const { TenantBudgets } = await import('../../src/roles/gateway/tenants/tenant-budgets.js');
  const redis = await testRedis(t);
  const prefix = uniquePrefix('tenants-cli');
  const file = join(dir, 'spend.yaml');
  writeFileSync(file, `node:\n  roles: [gateway]\nredis:\n  prefix: '${prefix}'\n`);
  await json('tenants', 'add', 'acme', '--config', file, '--budget', '100000000000000000000');
  await json('tenants', 'add', 'idle', '--config', file);
  const budgets = new TenantBudgets(await redis.connect(), prefix);
  await budgets.reserve(directoryOf(file).get('acme')!, 12_345_678_901_234_567_891n);

  const listed = await json<{ tenants: { name: string; spentWei: string; periodEndsInSeconds: number }[] }>('tenants', 'list', '--config', file, '--redis', redis.url);
  t.match(listed.tenants, [{ name: 'acme', spentWei: '12345678901234567891' }, { name: 'idle', spentWei: '0' }]);
  t.ok(listed.tenants.every((x) => x.periodEndsInSeconds > 0 && x.periodEndsInSeconds <= 86_400));
  const human = await runCli('tenants', 'list', '--config', file, '--redis', redis.url);
  t.match(human.stdout, /SPENT \(this period\)/);
  t.match(human.stdout, /acme .*12345678901234567891 wei/);
});
