// What a tenant is charged (ADR 0017): the EV of the tickets the gateway makes
// for its job, reserved against its budget before the tickets exist. Over
// budget, no ticket is made and nothing is sent; the router neither blames
// nor fails over from the orchestrator.
import t, { type Test } from 'tap';
import { fastify } from 'fastify';
import { pino } from 'pino';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { errors, type JobContext } from '@lpx/sdk';
import { registerJobRoutes, type JobRoutesDeps } from '../../src/network/byoc/index.js';
import { Balances, fromHex, PaymentProcessor, Recipient, SenderMonitor } from '../../src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource, InMemoryWinningTicketSink } from '../../src/payments/testing/index.js';
import type { ChainPaymentSources } from '../../src/payments-chain/create-sources.js';
import type { PoolEntry } from '../../src/gateway/pool/pool-options.js';
import { createJobSender } from '../../src/roles/gateway/job-sender.js';
import { routerProcessor } from '../../src/roles/gateway/router-processor.js';
import type { RouteJobData } from '../../src/roles/gateway/route-job.js';
import { TenantBudgets } from '../../src/roles/gateway/tenants/tenant-budgets.js';
import { TenantDirectory } from '../../src/roles/gateway/tenants/tenant-directory.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();
const CAP = 'echo';

/** A real BYOC orchestrator on loopback (10 wei/s, ticket EV 1000 wei) and a paying job sender. */
async function start(t: Test, workSeconds = 3) {
  const rounds = new InMemoryRoundsSource();
  const senderInfo = new InMemorySenderInfoSource();
  const orchestrator = fromHex(privateKeyToAccount(generatePrivateKey()).address);
  const senderMonitor = new SenderMonitor({ claimant: orchestrator }, rounds, senderInfo);
  const recipient = new Recipient(
    { address: orchestrator, economics: { ev: 1000n, redeemGas: 1n, txCostMultiplier: 1n, maxFaceValue: 0n } },
    { rounds, gasPrice: new FixedGasPrice(2000n), senderMonitor },
  );
  const processor = new PaymentProcessor({ recipient, balances: new Balances(), sink: new InMemoryWinningTicketSink(), rounds, senderMonitor });
  const gateway = privateKeyToAccount(generatePrivateKey());
  senderInfo.set(fromHex(gateway.address), { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });
  let clock = 1_000_000;
  const deps: JobRoutesDeps<{ n: number }> = {
    payments: { processor, recipient },
    priceFor: (capability) => (capability === CAP ? { pricePerUnit: 10n, pixelsPerUnit: 1n } : undefined),
    admit: (capability) => (capability === CAP ? { n: 1 } : undefined),
    release: () => {},
    availableCapacity: () => 1,
    dispatch: async (input) => {
      clock += workSeconds * 1000;
      return { contentType: 'application/json', body: input.body.toString('utf8') };
    },
    serviceAddr: () => uri,
    now: () => clock,
  };
  const app = fastify();
  const seen = { requests: 0 };
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/process/request')) seen.requests++;
  });
  registerJobRoutes(app, deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const uri = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  t.teardown(() => app.close());
  let tickets = 0;
  const sender = createJobSender({ account: gateway, chain: { rounds, senderInfo } as unknown as ChainPaymentSources, requestTimeoutMs: 5_000, logger: pino({ level: 'silent' }), onPaid: (count) => (tickets += count) });
  t.teardown(() => sender.close());
  return { sender, entry: { uri } as PoolEntry, seen, tickets: () => tickets };
}

function tenants(budgetWei: string) {
  const directory = new TenantDirectory({ acme: { keys: [], capabilities: ['*'], budget: { spendPerPeriod: budgetWei, periodSeconds: 3600 } } });
  const budgets = new TenantBudgets(connection, uniquePrefix('charge'));
  const acme = directory.get('acme')!;
  return { acme, budgets, charge: (wei: bigint) => budgets.reserve(acme, wei) };
}

const job = (n: number, charge?: (wei: bigint) => Promise<() => Promise<void>>) => ({
  capabilityId: `byoc/${CAP}`,
  input: { n },
  requestId: `job-${n}-${Math.random()}`,
  signal: new AbortController().signal,
  ...(charge !== undefined ? { charge } : {}),
});

t.test("a job is charged the EV of the tickets made for it; credit already bought is not charged again", async (t) => {
  const f = await start(t);
  const { acme, budgets, charge } = tenants('1000000');
  const charges: bigint[] = [];
  const recording = async (wei: bigint) => {
    charges.push(wei);
    return charge(wei);
  };
  t.same((await f.sender.send(f.entry, job(1, recording))).output, { n: 1 });
  t.same((await f.sender.send(f.entry, job(2, recording))).output, { n: 2 });
  t.equal(f.tickets(), 1, 'one ticket covers both jobs');
  t.equal(charges.length, 1, 'only the job that paid is charged');
  // Ticket EV = faceValue × winProb / (2^256 − 1): 1000 wei give or take a sliver (winProb is an integer), rounded up.
  t.ok(charges[0] === 1000n || charges[0] === 1001n, `charged ${charges[0]} wei for one ~1000-wei ticket`);
  t.equal((await budgets.report(acme)).spentWei, charges[0], 'Redis holds exactly what was charged');
});

t.test('over budget: no ticket is made and nothing is sent', async (t) => {
  const f = await start(t);
  const { acme, budgets, charge } = tenants('500');
  await budgets.reserve(acme, 500n);
  await t.rejects(f.sender.send(f.entry, job(1, charge)), { code: errors.gateway.BUDGET_EXHAUSTED.code });
  t.equal(f.tickets(), 0, 'no ticket was created');
  t.equal(f.seen.requests, 0, 'the orchestrator never saw the job');
  t.equal((await budgets.report(acme)).spentWei, 500n, 'the refusal charged nothing');
});

t.test('a budget refusal in the router: no suspension, no failover, the job fails with the budget code', async (t) => {
  const picks: string[] = [];
  const suspended: string[] = [];
  let sends = 0;
  const route = routerProcessor({
    maxOrchestratorAttempts: 3,
    pick: async (_capabilityId, exclude, tenant) => {
      picks.push(`${tenant}:${[...exclude].join(',')}`);
      return { uri: exclude.has('https://a') ? 'https://b' : 'https://a' };
    },
    send: async (_target, sent) => {
      sends++;
      t.equal(sent.tenant, 'acme', 'the router passes the tenant to the sender');
      throw errors.gateway.BUDGET_EXHAUSTED.create('tenant acme has spent its budget');
    },
    suspend: (uri) => suspended.push(uri),
    refresh: async () => {},
  });
  const data: RouteJobData = { capabilityId: 'byoc/echo', input: {}, tenant: 'acme' };
  const context: JobContext<RouteJobData> = { id: 'j1', capabilityId: data.capabilityId, data, attempt: 1, signal: new AbortController().signal, progress: async () => {} };
  await t.rejects(route(context), { code: errors.gateway.BUDGET_EXHAUSTED.code });
  t.same(picks, ['acme:'], 'picked once, with the tenant (for its max price)');
  t.equal(sends, 1);
  t.same(suspended, [], 'the orchestrator is not blamed');
});
