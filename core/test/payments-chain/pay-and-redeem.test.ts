// Issue "done means": pay with tickets over the Livepeer-Payment header on the
// embedded chain, credit EV, redeem every winner exactly once, deposit falls by
// exactly the winners' face values, a replay credits nothing.
import t from 'tap';
import { parseEventLogs, type Hex } from 'viem';
import { startEmbeddedChain } from '../../src/chain/embedded-anvil.js';
import { readActiveSet } from '../../src/chain/bonding.js';
import { protocolAbis } from '../../src/chain/index.js';
import { readRounds, currentCreationRound } from '../../src/chain/rounds.js';
import { isTicketUsed, readSenderInfo } from '../../src/chain/ticket-broker-reads.js';
import { fromHex, MAX_WIN_PROB, Rational, ticketEV, toHex } from '../../src/payments/index.js';
import { createChainPaymentSources } from '../../src/payments-chain/create-sources.js';
import { runPaidTickets } from '../../src/payments-chain/paid-tickets-demo.js';
import { testRedis } from '../../../test/helpers/redis.js';

const chain = await startEmbeddedChain();
t.teardown(() => chain.stop());
const pub = chain.connection.publicClient;
const sender = chain.accounts.find((a) => a.role === 'sender')!;
const orchestrator = chain.accounts.find((a) => a.role === 'orchestrator')!;

t.test('chain sources serve the contracts’ values from a per-block cache', async (t) => {
  const sources = await createChainPaymentSources({ rpcUrl: chain.rpcUrl, controller: chain.controller, pollIntervalMs: 20, senderInfoTtlMs: 60_000 });
  t.teardown(() => sources.close());
  const rounds = await readRounds(pub, chain.addresses.roundsManager);
  const creation = await currentCreationRound(pub, chain.addresses.roundsManager);
  t.equal(sources.rounds.lastInitializedRound(), rounds.lastInitializedRound);
  t.equal(toHex(sources.rounds.lastInitializedL1BlockHash()), creation.blockHash);
  t.equal(sources.rounds.lastInitializedL1BlockHash().length, 32);
  t.equal(sources.rounds.preLastInitializedL1BlockHash().length, 32);
  t.equal(sources.rounds.lastSeenL1Block(), await pub.getBlockNumber({ cacheTime: 0 }));
  t.equal(sources.rounds.transcoderPoolSize(), BigInt((await readActiveSet(pub, chain.addresses.bondingManager)).length));
  t.equal(typeof sources.gasPrice.gasPrice(), 'bigint');
  t.ok(sources.gasPrice.gasPrice() > 0n);

  const seen: bigint[] = [];
  const unsubscribe = sources.rounds.subscribeL1Blocks((block) => seen.push(block));
  const before = sources.rounds.lastSeenL1Block();
  const round = await chain.advanceRounds(1);
  const deadline = Date.now() + 5_000;
  while (sources.rounds.lastInitializedRound() !== round && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  unsubscribe();
  t.equal(sources.rounds.lastInitializedRound(), round, 'the poller picked up the new round');
  t.ok(sources.rounds.lastSeenL1Block() > before);
  t.ok(seen.length > 0 && seen.at(-1)! > before, 'subscribers hear new blocks');

  const info = await sources.senderInfo.getSenderInfo(fromHex(sender.address));
  const direct = await readSenderInfo(pub, chain.addresses.ticketBroker, sender.address);
  t.equal(info.deposit, direct.deposit);
  t.equal(info.withdrawRound, 0n);
  t.equal(info.reserve.fundsRemaining, direct.reserve.fundsRemaining);
  t.equal(await sources.senderInfo.claimedReserve(fromHex(sender.address), fromHex(orchestrator.address)), 0n);
  t.equal(await sources.senderInfo.getSenderInfo(fromHex(sender.address)), info, 'served from cache within the TTL');
  sources.senderInfo.clear(fromHex(sender.address));
  t.not(await sources.senderInfo.getSenderInfo(fromHex(sender.address)), info, 're-read after clear');

  const r = sources.rounds.lastInitializedRound();
  t.equal(await sources.activeSet.isActive(fromHex(orchestrator.address), r), true, 'a registered orchestrator is active');
  t.equal(await sources.activeSet.isActive(fromHex(sender.address), r), false, 'a sender is not');
});

t.test('tickets paid through the header are credited, winners redeemed once, replay refused', async (t) => {
  const redis = await testRedis(t);
  const tickets = 10;
  const result = await runPaidTickets({ chain, redisUrl: redis.url, tickets });

  t.equal(result.tickets, tickets);
  t.equal(result.receipt.creditedTickets, tickets, 'every ticket credited');
  t.ok(result.winProb > MAX_WIN_PROB / 2n && result.winProb < MAX_WIN_PROB, 'high but not certain win probability');
  const ev = ticketEV(result.faceValue, result.winProb);
  t.ok(Rational.parse(result.credited).eq(ev.mulInt(BigInt(tickets))), 'credit is tickets × EV');
  t.ok(result.winners > 0, `winners occurred (${result.winners})`);
  t.equal(result.receipt.winningTickets, result.winners, 'each winner handed to settlement');
  t.equal(result.redeemed, result.winners, 'each winner redeemed on-chain');
  t.equal(new Set(result.winningTickets.map((w) => w.ticketHash)).size, result.winners, 'distinct winners');
  for (const w of result.winningTickets) t.equal(await isTicketUsed(pub, chain.addresses.ticketBroker, w.ticketHash as Hex), true);

  // Exactly once: one WinningTicketRedeemed event per winning nonce.
  const logs = await pub.getLogs({ address: chain.addresses.ticketBroker, fromBlock: 0n, toBlock: 'latest' });
  const redeemedEvents = parseEventLogs({ abi: protocolAbis.ticketBrokerAbi, logs, eventName: 'WinningTicketRedeemed' }).filter(
    (e) => (e.args as { sender: string }).sender.toLowerCase() === sender.address.toLowerCase(),
  );
  const nonces = redeemedEvents.map((e) => Number((e.args as { senderNonce: bigint }).senderNonce)).sort((a, b) => a - b);
  t.same(nonces, result.winningTickets.map((w) => w.senderNonce).sort((a, b) => a - b), 'one redemption event per winner');

  t.equal(result.winningFaceValue, result.faceValue * BigInt(result.winners));
  t.equal(result.depositBefore - result.depositAfter, result.winningFaceValue, 'deposit fell by exactly the redeemed face values');
  t.equal((await readSenderInfo(pub, chain.addresses.ticketBroker, sender.address)).deposit, result.depositAfter);

  t.equal(result.replayRefusal, 'LPX_ERR_PAYMENTS_NONCE_REPLAYED', 'the replayed header is refused');
  t.equal(result.replayCredited, '0', 'a replay credits nothing');
});
