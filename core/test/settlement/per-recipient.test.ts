import t from 'tap';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { parseEther, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { startEmbeddedChain } from '../../src/chain/embedded-anvil.js';
import { currentCreationRound } from '../../src/chain/rounds.js';
import { isTicketUsed, readSenderInfo } from '../../src/chain/ticket-broker-reads.js';
import type { WinningTicketRecord } from '../../src/payments/redemption/winning-ticket.js';
import { REDEMPTION_JOB_NAME } from '../../src/settlement/redemption-queue.js';
import { redemptionJobId } from '../../src/settlement/redemption-ticket.js';
import type { SettlementOutcomeEvent } from '../../src/settlement/settlement-events.js';
import { settlementLedgerFor } from '../../src/settlement/settlement-ledger.js';
import { TeardownStack } from '../../src/boot/teardown-stack.js';
import type { KernelConfig } from '../../src/config/kernel-schema.js';
import { startRedeemerRole } from '../../src/settlement/redeemer-role.js';
import { redisAt, settlementFor, tempDir, until } from './settlement-harness.js';
import { signWinningTicket } from '../chain/winning-ticket-fixture.js';

// Two orchestrators (two keys) on one Redis, one redis prefix: before queues
// were per recipient, both workers pulled from one queue and redeemed each
// other's tickets with their own keys.
const chain = await startEmbeddedChain();
const dir = await tempDir('lpx-per-recipient-');
const { server, client: redis } = await redisAt(dir.path);
t.teardown(async () => {
  redis.disconnect();
  await server.stop();
  await chain.stop();
  await dir.remove();
});

const pub = chain.connection.publicClient;
const broker = chain.addresses.ticketBroker;
const [orchA, orchB] = chain.accounts.filter((account) => account.role === 'orchestrator');
const sender = privateKeyToAccount(chain.accounts.find((account) => account.role === 'sender')!.privateKey);
let nonce = 0;

async function winning(recipient: Hex, faceValue = parseEther('0.01')) {
  const creation = await currentCreationRound(pub, chain.addresses.roundsManager);
  const block = await pub.getBlockNumber({ cacheTime: 0 });
  return signWinningTicket({ sender, recipient, faceValue, creationRound: creation.round, creationRoundBlockHash: creation.blockHash, paramsExpirationBlock: block, senderNonce: ++nonce });
}

t.test('each orchestrator redeems only its own tickets, with its own key, into its own ledger', async (t) => {
  const metrics = new Registry();
  const a = await settlementFor(chain, redis, { privateKey: orchA!.privateKey, metrics });
  const b = await settlementFor(chain, redis, { privateKey: orchB!.privateKey, metrics });
  t.teardown(async () => {
    await a.close();
    await b.close();
  });
  const events: SettlementOutcomeEvent[] = [];
  a.on('outcome', (event) => events.push(event));
  b.on('outcome', (event) => events.push(event));
  t.not(a.names.queueName, b.names.queueName, 'one queue per recipient');
  t.equal(a.names.queueName, `lpx-ticket-redemption.${orchA!.address.toLowerCase()}`);
  t.equal(a.names.bullPrefix, '{lpx}:settlement');

  const forA = await Promise.all([1, 2, 3].map(() => winning(orchA!.address)));
  const forB = await Promise.all([1, 2, 3].map(() => winning(orchB!.address)));
  const depositBefore = (await readSenderInfo(pub, broker, sender.address)).deposit;
  // Interleaved, as two busy orchestrators would hand them over.
  for (let i = 0; i < 3; i++) {
    await a.sink.add(forA[i]!.record);
    await b.sink.add(forB[i]!.record);
  }
  for (const ticket of [...forA, ...forB]) {
    await until(`ticket ${ticket.record.senderNonce} redeemed`, () => isTicketUsed(pub, broker, ticket.ticketHash));
  }
  await until('both ledgers', async () => (await a.ledger.redeemed()).length === 3 && (await b.ledger.redeemed()).length === 3);

  const ledgerA = await a.ledger.redeemed();
  const ledgerB = await b.ledger.redeemed();
  t.same(new Set(ledgerA.map((e) => e.ticketHash)), new Set(forA.map((x) => x.ticketHash)), "A's ledger holds exactly A's tickets");
  t.same(new Set(ledgerB.map((e) => e.ticketHash)), new Set(forB.map((x) => x.ticketHash)), "B's ledger holds exactly B's tickets");
  for (const [entries, owner] of [[ledgerA, orchA!], [ledgerB, orchB!]] as const) {
    for (const entry of entries) {
      const tx = await pub.getTransaction({ hash: entry.txHash as Hex });
      t.equal(tx.from.toLowerCase(), owner.address.toLowerCase(), `gas for ${entry.ticketHash.slice(0, 10)} paid by its recipient`);
    }
  }
  t.equal(depositBefore - (await readSenderInfo(pub, broker, sender.address)).deposit, 6n * parseEther('0.01'), 'six face values, each paid once');
  t.equal(await a.ledger.redeemedTotal(), 3n * parseEther('0.01'), 'exact wei total in the ledger');

  // The same names from the address alone: a redeemer process with the same key reads the same ledger.
  t.equal((await settlementLedgerFor(redis, '{lpx}', orchA!.address).redeemed()).length, 3);

  // Metrics and events: one `redeemed` per ticket, value in whole gwei.
  t.equal(events.filter((e) => e.outcome === 'redeemed').length, 6);
  const redeemed = (await metrics.getSingleMetric('lpx_settlement_redemptions_total')!.get()).values.find((v) => v.labels.outcome === 'redeemed' && v.labels.reason === 'ok');
  t.equal(redeemed?.value, 6);
  const value = (await metrics.getSingleMetric('lpx_settlement_redeemed_value_gwei_total')!.get()).values.find((v) => v.labels.recipient === orchA!.address.toLowerCase());
  t.equal(value?.value, 30_000_000, "A's 0.03 ETH in gwei");
});

t.test("a ticket for another recipient is refused by the queue and, if it gets in anyway, handed to that recipient's queue", async (t) => {
  const a = await settlementFor(chain, redis, { privateKey: orchA!.privateKey });
  const b = await settlementFor(chain, redis, { privateKey: orchB!.privateKey });
  t.teardown(async () => {
    await a.close();
    await b.close();
  });
  const events: SettlementOutcomeEvent[] = [];
  a.on('outcome', (event) => events.push(event));
  const ticket = await winning(orchB!.address);
  await t.rejects(a.sink.add(ticket.record), { code: 'LPX_ERR_CHAIN_SETTLEMENT_WRONG_RECIPIENT' });
  t.equal(await a.sink.queue.getJob(redemptionJobId(ticket.ticketHash)), undefined, 'nothing queued');

  // Around add(): straight into A's BullMQ queue.
  await a.sink.queue.add(REDEMPTION_JOB_NAME, ticket.record, { jobId: redemptionJobId(ticket.ticketHash) });
  await until('B redeems it', async () => (await b.ledger.redeemed()).some((e) => e.ticketHash === ticket.ticketHash));
  const entry = (await b.ledger.redeemed()).find((e) => e.ticketHash === ticket.ticketHash)!;
  t.equal((await pub.getTransaction({ hash: entry.txHash as Hex })).from.toLowerCase(), orchB!.address.toLowerCase(), "B's key paid");
  t.notOk((await a.ledger.redeemed()).some((e) => e.ticketHash === ticket.ticketHash), "not in A's ledger");
  t.equal((await a.sink.queue.getJob(redemptionJobId(ticket.ticketHash)))?.returnvalue?.status, 'forwarded');
  t.match(events, [{ outcome: 'forwarded', reason: 'wrong-recipient', ticketHash: ticket.ticketHash }]);
});

t.test('start-up moves this recipient’s jobs out of the legacy shared queue and leaves others alone', async (t) => {
  const legacy = new Queue<WinningTicketRecord>('lpx-ticket-redemption', { connection: redis });
  t.teardown(() => legacy.close());
  const mineDelayed = await winning(orchA!.address);
  const mineFailed = await winning(orchA!.address);
  const theirs = await winning(orchB!.address);
  const opts = (hash: string) => ({ jobId: `ticket-${hash.toLowerCase()}`, attempts: 25 });
  // A ticket the old code dropped after one reverted attempt: failed in the legacy queue.
  const failedJob = await legacy.add('redeem', mineFailed.record, opts(mineFailed.ticketHash));
  const oldWorker = new Worker('lpx-ticket-redemption', async () => {
    throw new UnrecoverableError('redeemWinningTicket transaction reverted');
  }, { connection: redis });
  await until('the old worker drops it', async () => (await failedJob.getState()) === 'failed');
  await oldWorker.close();
  await legacy.add('redeem', mineDelayed.record, { ...opts(mineDelayed.ticketHash), delay: 60_000 });
  await legacy.add('redeem', theirs.record, opts(theirs.ticketHash));

  const first = await settlementFor(chain, redis, { privateKey: orchA!.privateKey, runWorker: false });
  t.same(first.migrated, { moved: 2, leftForOthers: 1 });
  for (const ticket of [mineDelayed, mineFailed]) {
    t.ok(await first.sink.queue.getJob(redemptionJobId(ticket.ticketHash)), `ticket ${ticket.record.senderNonce} in A's own queue`);
    t.equal(await legacy.getJob(redemptionJobId(ticket.ticketHash)), undefined, 'and gone from the legacy queue');
  }
  t.ok(await legacy.getJob(redemptionJobId(theirs.ticketHash)), "B's ticket left for B");
  await first.close();

  // Idempotent: a second start (or a job that reappears in the legacy queue) adds no duplicate.
  await legacy.add('redeem', mineDelayed.record, opts(mineDelayed.ticketHash));
  const second = await settlementFor(chain, redis, { privateKey: orchA!.privateKey });
  t.teardown(() => second.close());
  t.same(second.migrated, { moved: 1, leftForOthers: 1 });
  t.equal((await second.sink.queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).filter((j) => j.id === redemptionJobId(mineDelayed.ticketHash)).length, 1, 'one job per ticket');

  // The once-dropped ticket is redeemed now, by A.
  await until('the formerly failed ticket is redeemed', async () => (await second.ledger.redeemed()).some((e) => e.ticketHash === mineFailed.ticketHash));
  t.equal(await isTicketUsed(pub, broker, mineFailed.ticketHash), true);

  const b = await settlementFor(chain, redis, { privateKey: orchB!.privateKey, runWorker: false });
  t.teardown(() => b.close());
  t.same(b.migrated, { moved: 1, leftForOthers: 0 }, 'B moves its own on its start');
  t.equal(await legacy.count(), 0, 'legacy queue drained of unfinished jobs');
});

t.test('a separate redeemer process holding the same key works the orchestrator’s queue', async (t) => {
  // The orchestrator only enqueues (no redeemer role); another process with the same key redeems.
  const enqueueOnly = await settlementFor(chain, redis, { privateKey: orchA!.privateKey, runWorker: false });
  const redeemer = await settlementFor(chain, redis, { privateKey: orchA!.privateKey });
  t.teardown(async () => {
    await enqueueOnly.close();
    await redeemer.close();
  });
  t.same(redeemer.names, enqueueOnly.names, 'names come from the address alone');
  const ticket = await winning(orchA!.address);
  await enqueueOnly.sink.add(ticket.record);
  await until('the redeemer redeems it', async () => (await enqueueOnly.ledger.redeemed()).some((e) => e.ticketHash === ticket.ticketHash));
  const entry = (await enqueueOnly.ledger.redeemed()).find((e) => e.ticketHash === ticket.ticketHash)!;
  t.equal((await pub.getTransaction({ hash: entry.txHash as Hex })).from.toLowerCase(), orchA!.address.toLowerCase());
});

t.test('startRedeemerRole (a redeemer-only node) meets its orchestrator on the same queue by key and redis.prefix', async (t) => {
  const logger = pino({ level: 'silent' });
  const teardown = new TeardownStack(logger);
  t.teardown(() => teardown.unwind());
  const config = { chain: { rpcUrl: chain.rpcUrl, controller: chain.controller, l1BlockTimeMs: 20 }, redis: { prefix: '{lpx-o7}' } } as unknown as Pick<KernelConfig, 'chain' | 'redis'>;
  const account = privateKeyToAccount(orchB!.privateKey);
  const orchestratorSide = await startRedeemerRole({ config, account, redisUrl: server.url, logger, metrics: new Registry(), teardown, runWorker: false });
  const redeemerSide = await startRedeemerRole({ config, account, redisUrl: server.url, logger, metrics: new Registry(), teardown });
  t.equal(orchestratorSide.worker, undefined);
  t.equal(redeemerSide.names.bullPrefix, '{lpx-o7}:settlement');
  const ticket = await winning(orchB!.address);
  await orchestratorSide.sink.add(ticket.record);
  await until('the redeemer node redeems it', async () => (await orchestratorSide.ledger.redeemed()).some((e) => e.ticketHash === ticket.ticketHash));
});
