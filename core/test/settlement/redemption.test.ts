import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { startEmbeddedChain } from '../../src/chain/embedded-anvil.js';
import { currentCreationRound } from '../../src/chain/rounds.js';
import { isTicketUsed, readSenderInfo } from '../../src/chain/ticket-broker-reads.js';
import { connectChain } from '../../src/chain/connection.js';
import { confirmTx, sendRedeemWinningTicket } from '../../src/chain/ticket-broker-writes.js';
import { redemptionJobId } from '../../src/settlement/redemption-ticket.js';
import { signWinningTicket } from '../chain/winning-ticket-fixture.js';
import { redisAt, settlementFor, tempDir, until } from './settlement-harness.js';

const chain = await startEmbeddedChain();
const dir = await tempDir('lpx-settle-');
const { server, client: redis } = await redisAt(dir.path);
const settlement = await settlementFor(chain, redis);
t.teardown(async () => {
  await settlement.close();
  redis.disconnect();
  await server.stop();
  await chain.stop();
  await dir.remove();
});

const recipient = chain.accounts.find((account) => account.role === 'orchestrator')!;
const sender = privateKeyToAccount(chain.accounts.find((account) => account.role === 'sender')!.privateKey);
const pub = chain.connection.publicClient;
const broker = chain.addresses.ticketBroker;
let nonce = 0;

async function winning(expiresIn: bigint, overrides: { faceValue?: bigint; winProb?: bigint } = {}) {
  const creation = await currentCreationRound(pub, chain.addresses.roundsManager);
  const block = await pub.getBlockNumber({ cacheTime: 0 });
  return signWinningTicket({
    sender,
    recipient: recipient.address,
    faceValue: overrides.faceValue ?? parseEther('0.1'),
    ...(overrides.winProb === undefined ? {} : { winProb: overrides.winProb }),
    creationRound: creation.round,
    creationRoundBlockHash: creation.blockHash,
    paramsExpirationBlock: block + expiresIn,
    senderNonce: ++nonce,
  });
}

const jobState = (hash: string) => settlement.sink.queue.getJobState(redemptionJobId(hash));

t.test('a ticket is not redeemed before its params expire, then exactly once after', async (t) => {
  const ticket = await winning(10n);
  const before = await readSenderInfo(pub, broker, sender.address);
  await settlement.sink.add(ticket.record);
  await settlement.sink.add(ticket.record); // a repeated hand-off
  await until('the job to be parked as delayed', async () => (await jobState(ticket.ticketHash)) === 'delayed');
  await sleep(300); // several recheck cycles
  t.equal(await isTicketUsed(pub, broker, ticket.ticketHash), false, 'recipientRand not revealed early');
  t.equal((await settlement.sink.queue.getJobs(['delayed', 'waiting', 'active', 'completed'])).length, 1, 'one job for two hand-offs');

  await chain.mine(10);
  await until('redemption', async () => (await jobState(ticket.ticketHash)) === 'completed');
  const job = await settlement.sink.queue.getJob(redemptionJobId(ticket.ticketHash));
  t.equal(job?.returnvalue.status, 'redeemed');
  const after = await readSenderInfo(pub, broker, sender.address);
  t.equal(before.deposit - after.deposit, parseEther('0.1'), 'deposit fell by exactly the face value');
  t.same((await settlement.ledger.redeemed()).map((entry) => entry.ticketHash), [ticket.ticketHash]);
});

t.test('a ticket already used on-chain is skipped, not paid twice', async (t) => {
  const ticket = await winning(0n);
  const { publicClient, walletClient } = await connectChain({ rpcUrl: chain.rpcUrl, account: privateKeyToAccount(recipient.privateKey) });
  await confirmTx(publicClient, await sendRedeemWinningTicket({ publicClient, walletClient: walletClient!, ticketBroker: broker }, ticket.ticket, ticket.sig, ticket.recipientRand), 'redeem');
  const before = await readSenderInfo(pub, broker, sender.address);
  await settlement.sink.add(ticket.record);
  await until('completion', async () => (await jobState(ticket.ticketHash)) === 'completed');
  const job = await settlement.sink.queue.getJob(redemptionJobId(ticket.ticketHash));
  t.equal(job?.returnvalue.status, 'already-used');
  t.equal((await readSenderInfo(pub, broker, sender.address)).deposit, before.deposit);
});

t.test('an unredeemable ticket is recorded as failed and kept in Redis', async (t) => {
  const loser = await winning(0n, { winProb: 0n });
  await settlement.sink.add(loser.record);
  await until('failure', async () => (await jobState(loser.ticketHash)) === 'failed');
  const failed = (await settlement.ledger.failed()).find((entry) => entry.ticketHash === loser.ticketHash);
  t.equal(failed?.reason, 'ticket did not win');
  t.equal(failed?.record.recipientRand, loser.record.recipientRand, 'the record keeps everything needed to retry by hand');
  t.ok(await settlement.sink.queue.getJob(redemptionJobId(loser.ticketHash)), 'failed job retained');
});

t.test('a ticket past its validity period fails with the reason', async (t) => {
  const stale = await winning(0n);
  await chain.advanceRounds(Number(chain.protocol.ticketValidityPeriod));
  await settlement.sink.add(stale.record);
  await until('failure', async () => (await jobState(stale.ticketHash)) === 'failed');
  const failed = (await settlement.ledger.failed()).find((entry) => entry.ticketHash === stale.ticketHash);
  t.match(failed?.reason, /ticket is expired/);
  t.equal(await isTicketUsed(pub, broker, stale.ticketHash), false);
});

t.test('a malformed record is refused with a code and still recorded', async (t) => {
  const ticket = await winning(0n);
  const tampered = { ...ticket.record, faceValue: '1' };
  await t.rejects(settlement.sink.add(tampered), { code: 'LPX_ERR_CHAIN_SETTLEMENT_TICKET_INVALID' });
  t.ok((await settlement.ledger.failed()).some((entry) => entry.ticketHash === ticket.ticketHash && entry.code === 'LPX_ERR_CHAIN_SETTLEMENT_TICKET_INVALID'));
});
