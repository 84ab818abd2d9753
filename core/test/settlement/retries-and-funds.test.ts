import t from 'tap';
import { Registry } from 'prom-client';
import { HttpRequestError, parseEther, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { connectChain, type ChainConnection } from '../../src/chain/connection.js';
import { protocolAbis } from '../../src/chain/index.js';
import { initializeCurrentRound, mineBlocks } from '../../src/chain/dev-chain-control.js';
import { startEmbeddedChain } from '../../src/chain/embedded-anvil.js';
import { readRounds, currentCreationRound } from '../../src/chain/rounds.js';
import { isTicketUsed, readSenderInfo } from '../../src/chain/ticket-broker-reads.js';
import { confirmTx, fundDeposit, sendRedeemWinningTicket } from '../../src/chain/ticket-broker-writes.js';
import { redemptionJobId } from '../../src/settlement/redemption-ticket.js';
import type { SettlementOutcomeEvent } from '../../src/settlement/settlement-events.js';
import { signWinningTicket } from '../chain/winning-ticket-fixture.js';
import { redisAt, settlementFor, tempDir, until } from './settlement-harness.js';

// Redemptions that do not go through at the first try: a revert after
// sending, a sender who cannot cover the face value yet, a ticket spent by
// someone else meanwhile, an RPC outage. None may be dropped or paid twice.
const chain = await startEmbeddedChain();
const dir = await tempDir('lpx-settle-retry-');
const { server, client: redis } = await redisAt(dir.path);
const pub = chain.connection.publicClient;
const broker = chain.addresses.ticketBroker;
const orchestrator = chain.accounts.find((account) => account.role === 'orchestrator')!;
const otherOrchestrator = chain.accounts.filter((account) => account.role === 'orchestrator')[1]!;
const sender = privateKeyToAccount(chain.accounts.find((account) => account.role === 'sender')!.privateKey);
const spare = privateKeyToAccount(chain.accounts.find((account) => account.role === 'spare')!.privateKey);
const rounds = { rpcUrl: chain.rpcUrl, publicClient: pub, walletClient: chain.connection.walletClient!, roundsManager: chain.addresses.roundsManager };

// The orchestrator's real clients, with a hook that runs once right before
// the next redemption tx is broadcast: how a test changes the chain between
// the redeemer's checks and the tx's inclusion.
const real = await connectChain({ rpcUrl: chain.rpcUrl, account: privateKeyToAccount(orchestrator.privateKey) });
let beforeSend: (() => Promise<void>) | undefined;
// And one for the next redemption gas estimate: answer with another call's genuine revert.
let estimateInstead: (() => Promise<bigint>) | undefined;
const wallet = real.walletClient!;
const reader = real.publicClient;
const hooked: ChainConnection = {
  ...real,
  publicClient: {
    ...reader,
    estimateContractGas: (async (args: Parameters<typeof reader.estimateContractGas>[0]) => {
      const instead = args.functionName === 'redeemWinningTicket' ? estimateInstead : undefined;
      estimateInstead = undefined;
      return instead === undefined ? reader.estimateContractGas(args) : instead();
    }) as typeof reader.estimateContractGas,
  },
  walletClient: {
    ...wallet,
    writeContract: (async (args: Parameters<typeof wallet.writeContract>[0]) => {
      const hook = args.functionName === 'redeemWinningTicket' ? beforeSend : undefined;
      beforeSend = undefined;
      await hook?.();
      return wallet.writeContract(args);
    }) as typeof wallet.writeContract,
  },
};
const metrics = new Registry();
const settlement = await settlementFor(chain, redis, { connection: hooked, metrics });
const events: SettlementOutcomeEvent[] = [];
settlement.on('outcome', (event) => events.push(event));
t.teardown(async () => {
  await settlement.close();
  redis.disconnect();
  await server.stop();
  await chain.stop();
  await dir.remove();
});

let nonce = 0;
async function winning(from = sender, faceValue = parseEther('0.1'), winProb?: bigint) {
  const creation = await currentCreationRound(pub, chain.addresses.roundsManager);
  const block = await pub.getBlockNumber({ cacheTime: 0 });
  return signWinningTicket({ sender: from, recipient: orchestrator.address, faceValue, creationRound: creation.round, creationRoundBlockHash: creation.blockHash, paramsExpirationBlock: block, senderNonce: ++nonce, ...(winProb === undefined ? {} : { winProb }) });
}
const outcomes = (hash: string) => events.filter((e) => e.ticketHash === hash).map((e) => `${e.outcome}:${e.reason}`);
const jobResult = async (hash: string) => (await settlement.sink.queue.getJob(redemptionJobId(hash)))?.returnvalue;

t.test('a redemption that reverts after sending (a round boundary) is retried and redeemed, not dropped', async (t) => {
  // Start a round fresh so the boundary is well ahead of the ticket.
  await chain.advanceRounds(1);
  const ticket = await winning();
  const depositBefore = (await readSenderInfo(pub, broker, sender.address)).deposit;
  beforeSend = async () => {
    // The tx lands in the first block of the next round, before anyone initialized it.
    const state = await readRounds(pub, chain.addresses.roundsManager);
    const head = await pub.getBlockNumber({ cacheTime: 0 });
    await mineBlocks(chain.rpcUrl, state.currentRoundStartBlock + state.roundLength - head - 1n);
  };
  await settlement.sink.add(ticket.record);
  await until('a retry after the revert', async () => outcomes(ticket.ticketHash).includes('retry:reverted-after-send'));
  const reverted = await pub.getTransactionReceipt({ hash: (await settlement.ledger.sentTx(ticket.ticketHash)) as Hex });
  t.equal(reverted.status, 'reverted', 'the first tx really reverted on chain');
  t.equal(await isTicketUsed(pub, broker, ticket.ticketHash), false);
  await until('it waits for the round', async () => outcomes(ticket.ticketHash).includes('waiting:round-not-initialized'));
  t.equal(await settlement.sink.queue.getJobState(redemptionJobId(ticket.ticketHash)), 'delayed', 'still queued, not failed');

  await initializeCurrentRound(rounds);
  await until('redemption', async () => (await jobResult(ticket.ticketHash))?.status === 'redeemed');
  t.equal(depositBefore - (await readSenderInfo(pub, broker, sender.address)).deposit, parseEther('0.1'), 'paid once, in full');
  t.equal((await settlement.ledger.failed()).some((e) => e.ticketHash === ticket.ticketHash), false, 'no failed record');
});

t.test("a ticket whose sender's deposit + reserve is below its face value is not sent; it is redeemed once funded", async (t) => {
  const spareCtx = await connectChain({ rpcUrl: chain.rpcUrl, account: spare });
  const spareBroker = { publicClient: spareCtx.publicClient, walletClient: spareCtx.walletClient!, ticketBroker: broker };
  await fundDeposit(spareBroker, parseEther('0.01'));
  const ticket = await winning(spare, parseEther('0.1'));
  const txCountBefore = await pub.getTransactionCount({ address: orchestrator.address, blockTag: 'latest' });
  await settlement.sink.add(ticket.record);
  await until('several checks that find the funds short', async () => outcomes(ticket.ticketHash).filter((o) => o === 'waiting:sender-funds-below-face-value').length >= 3);
  t.equal(await isTicketUsed(pub, broker, ticket.ticketHash), false, 'not redeemed short');
  t.equal(await pub.getTransactionCount({ address: orchestrator.address, blockTag: 'latest' }), txCountBefore, 'no tx sent');
  t.equal(await settlement.sink.queue.getJobState(redemptionJobId(ticket.ticketHash)), 'delayed');

  await fundDeposit(spareBroker, parseEther('1'));
  await until('redemption', async () => (await jobResult(ticket.ticketHash))?.status === 'redeemed');
  t.equal((await jobResult(ticket.ticketHash))?.payout, parseEther('0.1').toString(), 'the full face value');
  t.equal((await readSenderInfo(pub, broker, spare.address)).deposit, parseEther('0.91'));
});

t.test('in its last valid round a ticket the sender cannot cover is redeemed for what there is', async (t) => {
  const ticket = await winning(spare, parseEther('2'));
  await settlement.sink.add(ticket.record);
  await until('a wait for funds', async () => outcomes(ticket.ticketHash).includes('waiting:sender-funds-below-face-value'));
  t.equal(await isTicketUsed(pub, broker, ticket.ticketHash), false);
  await chain.advanceRounds(1); // validity period 2: the ticket's last round
  await until('redemption', async () => (await jobResult(ticket.ticketHash))?.status === 'redeemed');
  t.equal((await jobResult(ticket.ticketHash))?.payout, parseEther('0.91').toString(), 'the whole deposit, short of the face value');
  t.ok(outcomes(ticket.ticketHash).includes('redeemed:partial'));
  t.equal((await settlement.ledger.redeemed()).find((e) => e.ticketHash === ticket.ticketHash)?.payout, parseEther('0.91').toString(), 'the ledger keeps what was received');
});

t.test('a ticket spent by someone else between the checks and our tx ends as already used, paid once', async (t) => {
  const ticket = await winning();
  const depositBefore = (await readSenderInfo(pub, broker, sender.address)).deposit;
  beforeSend = async () => {
    // Anyone may redeem a ticket they hold; the payout still goes to the recipient.
    const other = await connectChain({ rpcUrl: chain.rpcUrl, account: privateKeyToAccount(otherOrchestrator.privateKey) });
    const ctx = { publicClient: other.publicClient, walletClient: other.walletClient!, ticketBroker: broker };
    await confirmTx(other.publicClient, await sendRedeemWinningTicket(ctx, ticket.ticket, ticket.sig, ticket.recipientRand), 'redeem');
  };
  await settlement.sink.add(ticket.record);
  await until('completion', async () => (await jobResult(ticket.ticketHash))?.status === 'already-used');
  const ours = await pub.getTransactionReceipt({ hash: (await settlement.ledger.sentTx(ticket.ticketHash)) as Hex });
  t.equal(ours.status, 'reverted', 'our tx was sent and reverted');
  t.equal(depositBefore - (await readSenderInfo(pub, broker, sender.address)).deposit, parseEther('0.1'), 'one payout');
  t.same(outcomes(ticket.ticketHash), ['already_used:used-on-chain']);
  t.equal((await settlement.ledger.failed()).some((e) => e.ticketHash === ticket.ticketHash), false, 'not an error');
});

t.test('a gas estimate that reverts for a reason not known to be final is retried, then redeemed', async (t) => {
  const ticket = await winning();
  // A real revert from the chain whose reason the redeemer has no rule for.
  estimateInstead = () => pub.estimateContractGas({ address: broker, abi: protocolAbis.ticketBrokerAbi, functionName: 'withdraw', account: sender });
  await settlement.sink.add(ticket.record);
  await until('redemption', async () => (await jobResult(ticket.ticketHash))?.status === 'redeemed');
  t.same(outcomes(ticket.ticketHash), ['retry:revert', 'redeemed:ok']);
  t.match(events.find((e) => e.ticketHash === ticket.ticketHash)?.detail, /no unlock request in progress/);
});

t.test('an RPC outage at send time is retried with backoff', async (t) => {
  const ticket = await winning();
  beforeSend = async () => {
    throw new HttpRequestError({ url: chain.rpcUrl, details: 'fetch failed' });
  };
  await settlement.sink.add(ticket.record);
  await until('redemption', async () => (await jobResult(ticket.ticketHash))?.status === 'redeemed');
  t.same(outcomes(ticket.ticketHash), ['retry:rpc', 'redeemed:ok']);
  t.equal(events.find((e) => e.ticketHash === ticket.ticketHash && e.outcome === 'retry')?.retry, 1);
});

t.test('a ticket that can never be redeemed fails at once, with a code', async (t) => {
  const loser = await winning(sender, parseEther('0.1'), 0n);
  await settlement.sink.add(loser.record);
  await until('failure', async () => (await settlement.sink.queue.getJobState(redemptionJobId(loser.ticketHash))) === 'failed');
  t.same(outcomes(loser.ticketHash), ['failed:invalid-ticket']);
  t.match((await settlement.ledger.failed()).find((e) => e.ticketHash === loser.ticketHash), { reason: 'ticket did not win', code: 'LPX_ERR_CHAIN_SETTLEMENT_TICKET_INVALID' });
});

t.test('every outcome is counted on the registry', async (t) => {
  const values = (await metrics.getSingleMetric('lpx_settlement_redemptions_total')!.get()).values;
  const count = (outcome: string, reason: string) => values.find((v) => v.labels.outcome === outcome && v.labels.reason === reason)?.value ?? 0;
  for (const [outcome, reason] of [
    ['retry', 'reverted-after-send'],
    ['retry', 'rpc'],
    ['retry', 'revert'],
    ['waiting', 'round-not-initialized'],
    ['waiting', 'sender-funds-below-face-value'],
    ['already_used', 'used-on-chain'],
    ['failed', 'invalid-ticket'],
    ['redeemed', 'partial'],
  ] as const) {
    t.equal(count(outcome, reason), events.filter((e) => e.outcome === outcome && e.reason === reason).length, `${outcome}/${reason} matches the events`);
    t.ok(count(outcome, reason) >= 1, `${outcome}/${reason} seen`);
  }
  t.equal(count('redeemed', 'ok'), 4);
  const gwei = (await metrics.getSingleMetric('lpx_settlement_redeemed_value_gwei_total')!.get()).values[0]?.value;
  t.equal(gwei, Number((await settlement.ledger.redeemedTotal()) / 10n ** 9n), 'gwei counter matches the exact ledger total');
});
