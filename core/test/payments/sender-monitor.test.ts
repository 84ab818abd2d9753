// Orchestrator's view of sender funds: reserve allocation, max float, pending, clean-up.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { errors } from '@lpx/sdk';
import { SenderMonitor } from '../../src/payments/index.js';
import { InMemoryRoundsSource, InMemorySenderInfoSource } from '../../src/payments/testing/index.js';
import { rejection } from './helpers/fixture.js';

function setup() {
  let now = 1_000_000;
  const rounds = new InMemoryRoundsSource({ poolSize: 4n });
  const info = new InMemorySenderInfoSource();
  const claimant = randomBytes(20);
  const sender = randomBytes(20);
  info.set(sender, { deposit: 3000n, withdrawRound: 0n, reserve: { fundsRemaining: 8000n, claimedInCurrentRound: 2000n } });
  const monitor = new SenderMonitor({ claimant, ttlMs: 1000, now: () => now }, rounds, info);
  return { rounds, info, claimant, sender, monitor, tick: (ms: number) => (now += ms) };
}

t.test('reserve allocation is the reserve split over the active set minus what we claimed', async (t) => {
  const s = setup();
  t.equal(await s.monitor.reserveAlloc(s.sender), 2500n);
  s.info.setClaimed(s.sender, s.claimant, 500n);
  t.equal(await s.monitor.reserveAlloc(s.sender), 2000n);
  s.rounds.poolSize = 0n;
  t.equal(await s.monitor.reserveAlloc(s.sender), 0n, 'empty active set allocates nothing');
  s.rounds.poolSize = 3n;
  t.equal(await s.monitor.reserveAlloc(s.sender), 10000n / 3n - 500n, 'integer division');
});

t.test('max float subtracts pending unless the deposit covers it three times', async (t) => {
  const s = setup();
  t.equal(await s.monitor.maxFloat(s.sender), 2500n);
  s.monitor.addPending(s.sender, 1000n); // deposit 3000 = 3 × 1000: pending ignored
  t.equal(await s.monitor.maxFloat(s.sender), 2500n);
  s.monitor.addPending(s.sender, 1n); // 3000 < 3 × 1001
  t.equal(await s.monitor.maxFloat(s.sender), 2500n - 1001n);
  t.equal(await s.monitor.availableFunds(s.sender), 2500n + 3000n - 1001n);
  s.monitor.removePending(s.sender, 1001n);
  t.equal(s.monitor.pending(s.sender), 0n);
  t.throws(() => s.monitor.removePending(s.sender, 1n), RangeError);
});

t.test('max float listeners fire on pending, reserve and pool changes', async (t) => {
  const s = setup();
  let calls = 0;
  const stop = s.monitor.subscribeMaxFloatChange(s.sender, () => calls++);
  s.monitor.addPending(s.sender, 5n);
  s.monitor.notifyReserveChange(s.sender);
  s.monitor.notifyPoolSizeChange();
  t.equal(calls, 3);
  stop();
  s.monitor.addPending(s.sender, 5n);
  t.equal(calls, 3);
});

t.test('validateSender refuses an unlock ending by the round after next', async (t) => {
  const s = setup();
  await s.monitor.validateSender(s.sender);
  s.info.set(s.sender, { deposit: 1n, withdrawRound: s.rounds.round + 1n, reserve: { fundsRemaining: 1n, claimedInCurrentRound: 0n } });
  t.ok(errors.payments.SENDER_UNLOCKING.is(await rejection(s.monitor.validateSender(s.sender))));
  s.info.set(s.sender, { deposit: 1n, withdrawRound: s.rounds.round + 2n, reserve: { fundsRemaining: 1n, claimedInCurrentRound: 0n } });
  await s.monitor.validateSender(s.sender);
  s.info.failure = new Error('boom');
  t.ok(errors.payments.CHAIN_STATE_UNAVAILABLE.is(await rejection(s.monitor.maxFloat(s.sender))));
});

t.test('idle senders without subscribers are forgotten and their chain cache cleared', async (t) => {
  const s = setup();
  const other = randomBytes(20);
  s.monitor.touch(s.sender);
  const stop = s.monitor.subscribeMaxFloatChange(other, () => {});
  s.tick(1001);
  t.same(s.monitor.cleanup(), [s.sender]);
  t.equal(s.monitor.trackedSenders, 1, 'a subscribed sender is kept');
  t.equal(s.info.cleared.length, 1);
  stop();
  t.same(s.monitor.cleanup(), [other]);
  s.monitor.touch(s.sender);
  s.tick(500);
  t.same(s.monitor.cleanup(), [], 'recently active senders stay');
  s.monitor.start();
  s.monitor.stop();
});

t.test('the tracked senders stay under the cap: the least recently used idle one is forgotten, a pending one is kept', async (t) => {
  const rounds = new InMemoryRoundsSource({ poolSize: 4n });
  const info = new InMemorySenderInfoSource();
  const monitor = new SenderMonitor({ claimant: randomBytes(20), maxSenders: 3 }, rounds, info);
  const [pendingOne, busy, idle] = [randomBytes(20), randomBytes(20), randomBytes(20)];
  monitor.addPending(pendingOne, 5n);
  monitor.touch(busy);
  monitor.touch(idle);
  monitor.touch(busy); // busy is now more recently used than idle
  for (let i = 0; i < 1_000; i++) monitor.touch(randomBytes(20));
  t.equal(monitor.trackedSenders, 3, 'a thousand junk senders later, still 3');
  t.equal(monitor.pending(pendingOne), 5n, 'the sender with a pending redemption was never evicted');
  monitor.touch(busy);
  t.equal(monitor.trackedSenders, 3);
});
