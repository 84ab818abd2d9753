import t from 'tap';
import { parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { startEmbeddedChain } from '../../src/chain/embedded-anvil.js';
import { currentCreationRound } from '../../src/chain/rounds.js';
import { getTicketBrokerEvents } from '../../src/chain/ticket-broker-events.js';
import { isTicketUsed, readSenderInfo } from '../../src/chain/ticket-broker-reads.js';
import { redemptionJobId } from '../../src/settlement/redemption-ticket.js';
import { signWinningTicket } from '../chain/winning-ticket-fixture.js';
import { redisAt, settlementFor, tempDir, until } from './settlement-harness.js';

// Winning tickets are queued while their params are still live, then Redis is
// SIGKILLed (no shutdown, no final fsync) and the node's queue and worker go
// away with it. A new Redis on the same AOF directory and a new settlement
// must still redeem every ticket, exactly once.
t.test('queued winning tickets survive a Redis SIGKILL and a node restart', async (t) => {
  const chain = await startEmbeddedChain();
  const dir = await tempDir('lpx-restart-');
  t.teardown(async () => {
    await chain.stop();
    await dir.remove();
  });
  const pub = chain.connection.publicClient;
  const broker = chain.addresses.ticketBroker;
  const recipient = chain.accounts.find((account) => account.role === 'orchestrator')!;
  const sender = privateKeyToAccount(chain.accounts.find((account) => account.role === 'sender')!.privateKey);
  const creation = await currentCreationRound(pub, chain.addresses.roundsManager);
  const expiry = (await pub.getBlockNumber({ cacheTime: 0 })) + 20n;
  const faceValue = parseEther('0.05');
  const tickets = await Promise.all(
    [1, 2, 3].map((senderNonce) =>
      signWinningTicket({ sender, recipient: recipient.address, faceValue, creationRound: creation.round, creationRoundBlockHash: creation.blockHash, paramsExpirationBlock: expiry, senderNonce }),
    ),
  );
  const depositBefore = (await readSenderInfo(pub, broker, sender.address)).deposit;
  const firstBlock = (await pub.getBlockNumber({ cacheTime: 0 })) + 1n;

  const first = await redisAt(dir.path);
  const firstSettlement = await settlementFor(chain, first.client);
  for (const ticket of tickets) await firstSettlement.sink.add(ticket.record);
  await until('all parked as delayed', async () => (await firstSettlement.sink.queue.getDelayedCount()) === 3);

  process.kill(first.server.pid, 'SIGKILL');
  await until('redis to die', async () => {
    try {
      process.kill(first.server.pid, 0);
      return false;
    } catch {
      return true;
    }
  });
  // Same port, so the old node's reconnecting clients can be shut down
  // cleanly before the "restarted" node starts.
  const second = await redisAt(dir.path, first.server.port);
  // The old node is dead: no graceful drain, just drop its connections.
  await firstSettlement.worker?.close(true);
  await firstSettlement.sink.close();
  first.client.disconnect();
  t.teardown(async () => {
    second.client.disconnect();
    await second.server.stop();
  });
  const secondSettlement = await settlementFor(chain, second.client);
  t.teardown(() => secondSettlement.close());
  t.equal(await secondSettlement.sink.queue.getDelayedCount(), 3, 'all three jobs recovered from the AOF');
  // The orchestrator may hand the same tickets over again after a restart.
  for (const ticket of tickets) await secondSettlement.sink.add(ticket.record);

  await chain.mine(20);
  for (const ticket of tickets) {
    await until(`ticket ${ticket.record.senderNonce}`, async () => (await secondSettlement.sink.queue.getJobState(redemptionJobId(ticket.ticketHash))) === 'completed');
    t.equal(await isTicketUsed(pub, broker, ticket.ticketHash), true);
  }
  const redeemedEvents = (await getTicketBrokerEvents(pub, broker, { fromBlock: firstBlock })).filter((event) => event.eventName === 'WinningTicketRedeemed');
  t.equal(redeemedEvents.length, 3, 'each ticket redeemed once on-chain');
  t.equal(depositBefore - (await readSenderInfo(pub, broker, sender.address)).deposit, 3n * faceValue);
  t.equal((await secondSettlement.ledger.redeemed()).length, 3);
  t.equal((await secondSettlement.sink.queue.getJobCounts('completed')).completed, 3, 'no duplicate jobs');
});
