// RedisCreditStore remembers each balance's last version and runs one session's
// writes in turn (ADR 0066): an uncontended write is one script call, and the
// Redis-side version check still catches every write it did not see — another
// instance's, or a key that expired (here: deleted) and came back.
// Script calls are counted on a MONITOR connection, which sees what Redis ran,
// not what the store meant to send.
import { randomBytes, randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import type { Redis } from 'ioredis';
import { Rational, RedisCreditStore, type TicketCredit } from '../../src/payments/index.js';
import { testRedis, uniquePrefix, type TestRedis } from '../../../test/helpers/redis.js';

const SENDER = '0x' + 'ab'.repeat(20);
const EV = Rational.of(7n, 3n);

/** Counts the scripts Redis ran on `key` between start and `stop()`. */
async function scriptCounter(t: Test, redis: TestRedis, key: () => string) {
  const client = await redis.connect();
  const monitor = await client.monitor();
  t.teardown(() => monitor.disconnect());
  let calls = 0;
  const sentinels = new Map<string, () => void>();
  monitor.on('monitor', (_time: string, args: string[]) => {
    const command = args[0]?.toLowerCase();
    if ((command === 'evalsha' || command === 'eval') && args[3] === key()) calls++;
    if (command === 'echo') sentinels.get(args[1] ?? '')?.();
  });
  return {
    /** Waits until the monitor has seen everything `connections` sent so far, then answers the count. */
    async count(...connections: Redis[]): Promise<number> {
      for (const connection of connections) {
        const tag = randomUUID();
        const seen = new Promise<void>((resolve) => sentinels.set(tag, resolve));
        await connection.echo(tag);
        await seen;
      }
      const counted = calls;
      calls = 0;
      return counted;
    },
  };
}

let nonce = 0;
function tickets(count: number, sessionId = 's'): TicketCredit {
  const nonces = Array.from({ length: count }, () => ++nonce);
  return { sender: SENDER, sessionId, paramsKey: 'p', expirationBlock: 1_000_000n, nonces, creditable: count, ticketEV: EV };
}

async function setup(t: Test) {
  const redis = await testRedis(t);
  const client = await redis.connect();
  const options = { prefix: uniquePrefix('lanes'), recipient: randomBytes(20) };
  const store = new RedisCreditStore({ redis: client, ...options });
  const key = `${store.base}:bal:${SENDER}:s`;
  const counter = await scriptCounter(t, redis, () => key);
  return { redis, client, options, store, key, counter };
}

t.test('concurrent writes to one balance in one process: exact, one script call each, no retries', async (t) => {
  const { client, store, counter } = await setup(t);
  t.ok((await store.creditTickets(tickets(3))).balance?.eq(EV.mulInt(3n)), 'a new session: the credit reports the balance it left');
  t.equal(await counter.count(client), 1, 'a new session is written in one call (guessed never written, and it was not)');

  const n = 16;
  const ops = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? store.creditTickets(tickets(2)) : store.debit(SENDER, 's', Rational.of(BigInt(i), 5n))));
  await Promise.all(ops);
  let expected = EV.mulInt(3n);
  for (let i = 0; i < n; i++) expected = i % 4 === 0 ? expected.add(EV.mulInt(2n)) : expected.sub(Rational.of(BigInt(i), 5n));
  t.ok((await store.balance(SENDER, 's'))!.eq(expected), `the exact balance ${expected.toString()}`);
  t.equal(await counter.count(client), n, `${n} concurrent writes, ${n} script calls`);
});

t.test('two instances interleaving on one balance: every stale version is refused and retried, the sum is exact', async (t) => {
  const { redis, client, options, store: a, counter } = await setup(t);
  const other = await redis.connect();
  const b = new RedisCreditStore({ redis: other, ...options });

  let expected = Rational.ZERO;
  const rounds = 6;
  for (let i = 0; i < rounds; i++) {
    await a.creditTickets(tickets(1));
    await b.debit(SENDER, 's', Rational.of(1n, 7n));
    expected = expected.add(EV).sub(Rational.of(1n, 7n));
  }
  t.ok((await a.balance(SENDER, 's'))!.eq(expected), 'sequential interleaving: exact');
  // a's first write is one call; every later write of either finds the version the other left: two calls.
  t.equal(await counter.count(client, other), 1 + 2 * (2 * rounds - 1), 'each write after the other instance wrote was refused once, then retried');

  const mixed = [];
  for (let i = 0; i < 10; i++) {
    mixed.push(a.debit(SENDER, 's', Rational.of(1n, 3n)), b.creditTickets(tickets(1)), b.debit(SENDER, 's', Rational.of(2n, 3n)), a.creditTickets(tickets(2)));
    expected = expected.sub(Rational.ONE).add(EV.mulInt(3n));
  }
  await Promise.all(mixed);
  t.ok((await b.balance(SENDER, 's'))!.eq(expected), 'concurrent on both instances: exact');
});

t.test('a balance deleted (as on expiry) behind the remembered version is not resurrected', async (t) => {
  const { redis, client, options, store: a, key } = await setup(t);
  await a.creditTickets(tickets(5));
  await a.debit(SENDER, 's', Rational.ONE);
  await client.del(key);
  const credited = await a.creditTickets(tickets(2));
  t.ok(credited.balance?.eq(EV.mulInt(2n)), 'the credit after the key vanished starts from nothing');
  t.ok((await a.balance(SENDER, 's'))!.eq(EV.mulInt(2n)), 'and so does Redis');

  // The same write count in a new lifetime: a remembered (version, amount) from
  // the old one must still fail the check, or a would debit from 2 EV − 1.
  const b = new RedisCreditStore({ redis: await redis.connect(), ...options });
  await a.debit(SENDER, 's', Rational.ONE);
  t.equal(await client.hget(key, 'v'), '2', 'a remembers write 2 of this lifetime');
  await client.del(key);
  await b.debit(SENDER, 's', Rational.of(-100n));
  await b.debit(SENDER, 's', Rational.of(10n));
  t.equal(await client.hget(key, 'v'), '2', 'another instance brought a new lifetime to write 2');
  t.ok((await a.debit(SENDER, 's', Rational.of(1n, 2n))).eq(Rational.of(179n, 2n)), '100 − 10 − ½, not the old lifetime’s amount − ½');
  t.ok((await b.balance(SENDER, 's'))!.eq(Rational.of(179n, 2n)));
});
