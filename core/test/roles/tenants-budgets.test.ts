// Tenant directory and budgets (ADR 0017): keys are matched by hash, budgets
// are exact integer wei in Redis per period, a payment is refused once the
// budget is reached and charges nothing then.
import t from 'tap';
import { errors } from '@lpx/sdk';
import { generateApiKey, hashApiKey } from '../../src/roles/gateway/tenants/api-keys.js';
import { capabilityMatcher } from '../../src/roles/gateway/tenants/capability-patterns.js';
import { TenantBudgets } from '../../src/roles/gateway/tenants/tenant-budgets.js';
import { TenantDirectory } from '../../src/roles/gateway/tenants/tenant-directory.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();

t.test('keys: 256 random bits, stored and matched only as SHA-256', async (t) => {
  const a = generateApiKey();
  const b = generateApiKey();
  t.match(a, /^lpx_[A-Za-z0-9_-]{43}$/);
  t.not(a, b);
  t.match(hashApiKey(a), /^[0-9a-f]{64}$/);
  const second = generateApiKey();
  const directory = new TenantDirectory({
    acme: { keys: [hashApiKey(a), hashApiKey(second)], capabilities: ['*'] },
    other: { keys: [hashApiKey(b)], capabilities: ['*'] },
  });
  t.equal(directory.authenticate(`Bearer ${a}`)?.name, 'acme');
  t.equal(directory.authenticate(`Bearer ${second}`)?.name, 'acme', 'a tenant may hold several keys (rotation)');
  t.equal(directory.authenticate(`Bearer ${b}`)?.name, 'other');
  t.throws(() => directory.authenticate(undefined), { code: errors.gateway.API_KEY_REQUIRED.code });
  t.throws(() => directory.authenticate(`Bearer ${hashApiKey(a)}`), { code: errors.gateway.API_KEY_INVALID.code });
  // A header seen valid is answered from memory: the answers stay the same, a wrong key stays wrong.
  for (let i = 0; i < 3; i++) t.equal(directory.authenticate(`Bearer ${a}`)?.name, 'acme', `again (${i})`);
  t.throws(() => directory.authenticate(`Bearer ${a}x`), { code: errors.gateway.API_KEY_INVALID.code }, 'a valid key with more after it is not valid');
  // More distinct valid headers than it remembers (the whitespace may vary): still each answered right.
  for (let spaces = 1; spaces <= 1_100; spaces++) {
    if (directory.authenticate(`Bearer${' '.repeat(spaces)}${spaces % 2 === 0 ? a : b}`)?.name !== (spaces % 2 === 0 ? 'acme' : 'other')) t.fail(`header with ${spaces} spaces`);
  }
  t.equal(directory.authenticate(`Bearer ${b}`)?.name, 'other', 'after the memory was full and emptied');
  t.equal(new TenantDirectory({}).authenticate(undefined), undefined, 'no tenants: open');
  t.ok(new TenantDirectory({}).open);
});

t.test('capability lists: exact ids and * patterns; only exact ids name capabilities', async (t) => {
  const allows = capabilityMatcher(['byoc/*', 'video/transcode']);
  t.ok(allows('byoc/echo'));
  t.ok(allows('video/transcode'));
  t.notOk(allows('video/transcodex'));
  t.notOk(allows('ai/llm'));
  t.notOk(capabilityMatcher(['byoc.*'])('byocx/echo'), 'dots are literal');
  t.ok(capabilityMatcher(['*'])('ai/llm'));
  const directory = new TenantDirectory({ a: { keys: [], capabilities: ['byoc/*', 'byoc/echo'] }, b: { keys: [], capabilities: ['byoc/echo', 'ai/llm'] } });
  t.same(directory.namedCapabilities.sort(), ['ai/llm', 'byoc/echo']);
});

t.test('budgets past 64 bits (a dev chain\'s 0.05 ETH tickets add up fast) stay exact', async (t) => {
  const limit = 10n ** 24n; // a million ETH: far past INCRBY's 9.2 ETH and Lua's doubles
  const directory = new TenantDirectory({ whale: { keys: [], capabilities: ['*'], budget: { spendPerPeriod: String(limit), periodSeconds: 60 } } });
  const whale = directory.get('whale')!;
  const budgets = new TenantBudgets(connection, uniquePrefix('budget-big'));
  const step = 2n ** 64n + 12_345n;
  for (let i = 0; i < 3; i++) await budgets.reserve(whale, step);
  t.equal((await budgets.report(whale)).spentWei, 3n * step);
  const undo = await budgets.reserve(whale, limit);
  t.equal((await budgets.report(whale)).spentWei, 3n * step + limit, 'the payment that reaches the budget is allowed');
  await t.rejects(budgets.reserve(whale, 1n), { code: errors.gateway.BUDGET_EXHAUSTED.code });
  await undo();
  t.equal((await budgets.report(whale)).spentWei, 3n * step, 'and given back exactly');
});

t.test('charges are exact integer wei past 2^53, refused once the budget is reached, and undoable', async (t) => {
  const limit = 10n ** 18n; // 1 ETH per period: far past float64's exact integers
  const directory = new TenantDirectory({ acme: { keys: [], capabilities: ['*'], budget: { spendPerPeriod: String(limit), periodSeconds: 3600 } } });
  const acme = directory.get('acme')!;
  let now = 7_200_000; // the start of an hour
  const budgets = new TenantBudgets(connection, uniquePrefix('budget'), () => now);

  const big = 2n ** 53n + 1n;
  await budgets.reserve(acme, big);
  await budgets.reserve(acme, big);
  t.equal((await budgets.report(acme)).spentWei, 2n * big, 'no float rounding: 2^54 + 2 exactly');

  const undo = await budgets.reserve(acme, 3n);
  await undo();
  t.equal((await budgets.report(acme)).spentWei, 2n * big, 'an undone charge is given back');

  // Reach the budget: the payment that crosses it is allowed (it was under before), the next is not.
  await budgets.reserve(acme, limit);
  const spent = (await budgets.report(acme)).spentWei;
  t.equal(spent, 2n * big + limit);
  await t.rejects(budgets.reserve(acme, 1n), { code: errors.gateway.BUDGET_EXHAUSTED.code });
  t.equal((await budgets.report(acme)).spentWei, spent, 'the refused payment charged nothing');
  await t.rejects(budgets.assertWithin(acme), { code: errors.gateway.BUDGET_EXHAUSTED.code, details: { retryAfterSeconds: 3600 } });

  now += 3_600_000; // the next period
  await budgets.assertWithin(acme);
  t.equal((await budgets.report(acme)).spentWei, 0n, 'a new period starts from zero');
  await budgets.reserve(acme, 5n);
  t.equal((await budgets.report(acme)).spentWei, 5n);
});

t.test('concurrent payments: the spend passes the budget by at most the one payment that reached it', async (t) => {
  const directory = new TenantDirectory({ acme: { keys: [], capabilities: ['*'], budget: { spendPerPeriod: '1000', periodSeconds: 3600 } } });
  const acme = directory.get('acme')!;
  const budgets = new TenantBudgets(connection, uniquePrefix('budget-race'));
  const results = await Promise.allSettled(Array.from({ length: 40 }, () => budgets.reserve(acme, 300n)));
  const charged = results.filter((r) => r.status === 'fulfilled').length;
  const spent = (await budgets.report(acme)).spentWei;
  t.equal(spent, BigInt(charged) * 300n, 'what was charged is exactly what was allowed');
  t.ok(spent >= 1000n && spent < 1300n, `spent ${spent}: reached, and passed by less than one payment`);
  t.ok(results.filter((r) => r.status === 'rejected').every((r) => errors.gateway.BUDGET_EXHAUSTED.is((r as PromiseRejectedResult).reason)));
});

t.test('tenants without a budget are counted but never refused', async (t) => {
  const directory = new TenantDirectory({ free: { keys: [], capabilities: ['*'] } });
  const free = directory.get('free')!;
  const budgets = new TenantBudgets(connection, uniquePrefix('budget-free'));
  await budgets.reserve(free, 10n ** 18n);
  await budgets.assertWithin(free);
  t.equal((await budgets.report(free)).spentWei, 10n ** 18n);
  t.equal((await budgets.report(free)).limitWei, undefined);
});

t.test('known capabilities: configured ones, offered ones (remembered once seen), and the wait for the first discovery', async (t) => {
  const { knownCapabilities } = await import('../../src/roles/gateway/tenants/known-capabilities.js');
  const offered = new Set<string>();
  let discovered!: () => void;
  const first = new Promise<void>((resolve) => (discovered = resolve));
  const known = knownCapabilities({ configured: ['byoc/configured'], offered: (id) => offered.has(id), firstDiscovery: () => first });
  t.ok(known.knownNow('byoc/configured'));
  t.notOk(known.knownNow('byoc/echo'));
  const asked = known.knows('byoc/echo');
  offered.add('byoc/echo'); // the first discovery round finds an orchestrator offering it
  discovered();
  t.ok(await asked, 'a request before the first discovery waits for it');
  offered.delete('byoc/echo'); // the orchestrator restarts
  t.ok(known.knownNow('byoc/echo'), 'still known: its jobs wait for an orchestrator instead of a 404');
  t.notOk(await known.knows('byoc/junk'));
});

t.test('the check before queueing reuses a fresh look at the spend; the charge is always exact', async (t) => {
  const prefix = uniquePrefix('budget-check');
  const directory = new TenantDirectory({ acme: { keys: [], capabilities: ['*'], budget: { spendPerPeriod: '100', periodSeconds: 3_600 } } });
  const acme = directory.get('acme')!;
  const here = new TenantBudgets(connection, prefix, Date.now, { checkMaxAgeMs: 200 });
  const elsewhere = new TenantBudgets(connection, prefix);
  await here.assertWithin(acme);
  await elsewhere.reserve(acme, 100n); // another gateway spends the whole budget
  await here.assertWithin(acme); // within 200 ms of its own look: not asked again
  await t.rejects(here.reserve(acme, 1n), { code: errors.gateway.BUDGET_EXHAUSTED.code }, 'the charge sees the spend at once');
  await t.rejects(here.assertWithin(acme), { code: errors.gateway.BUDGET_EXHAUSTED.code }, 'and so does the check, after a refused charge');
  const latePrefix = uniquePrefix('budget-check-age');
  const a = new TenantBudgets(connection, latePrefix, Date.now, { checkMaxAgeMs: 50 });
  const b = new TenantBudgets(connection, latePrefix);
  await a.assertWithin(acme);
  await b.reserve(acme, 100n);
  await new Promise((resolve) => setTimeout(resolve, 80));
  await t.rejects(a.assertWithin(acme), { code: errors.gateway.BUDGET_EXHAUSTED.code }, 'past its age the check asks Redis again');
  const own = new TenantBudgets(connection, uniquePrefix('budget-check-own'), Date.now, { checkMaxAgeMs: 60_000 });
  await own.assertWithin(acme);
  await own.reserve(acme, 100n);
  await t.rejects(own.assertWithin(acme), { code: errors.gateway.BUDGET_EXHAUSTED.code }, 'its own charges count at once');
});
