// The inline job ledger's writes (ADR 0067) on a real Redis: the writes of
// one event-loop turn go out as at most one HSET and one HDEL, the last
// write to a job wins, each caller learns the fate of its own write, and a
// write Redis refuses rejects its caller (so the job it guards never runs).
import t from 'tap';
import { InlineLedger, type LedgerEntry } from '../../src/jobs/inline-ledger.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();

function ledger(t: { teardown(fn: () => unknown): void }, prefix: string): InlineLedger {
  const made = new InlineLedger({ connection, prefix, leaseMs: 30_000, logger: undefined });
  t.teardown(() => made.close());
  return made;
}

const entry = (attemptsMade: number): LedgerEntry => ({ capabilityId: 'test/ledger', data: { n: attemptsMade }, attempts: 3, attemptsMade });

t.test('the writes of one turn reach Redis as one HSET and one HDEL, last write per job winning', async (t) => {
  const prefix = uniquePrefix('inline-ledger');
  const jobs = ledger(t, prefix);
  const key = `${prefix}:inline:${jobs.owner}`;
  await jobs.record('warm', entry(0)); // takes the lease: its own MULTI, not counted below
  await jobs.clear('warm');
  const monitor = await connection.monitor();
  t.teardown(() => monitor.disconnect());
  const commands: string[][] = [];
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (args[1] === key) commands.push(args);
  });
  await Promise.all([jobs.record('a', entry(0)), jobs.record('b', entry(0)), jobs.record('c', entry(0)), jobs.record('a', entry(1))]);
  t.same(JSON.parse((await connection.hget(key, 'a'))!), entry(1), 'the later write to a job is the one kept');
  t.same(JSON.parse((await connection.hget(key, 'b'))!), entry(0), 'another job of the same turn is written too');
  t.equal(await connection.hlen(key), 3, 'three jobs recorded');
  await Promise.all([jobs.clear('a'), jobs.clear('b'), jobs.clear('c')]);
  t.equal(await connection.hlen(key), 0, 'all cleared');
  // MONITOR's feed may trail the replies a little: wait until the last command shows.
  for (let i = 0; i < 100 && !commands.some((c) => c[0]?.toLowerCase() === 'hdel'); i++) await new Promise((r) => setTimeout(r, 10));
  t.same(
    commands.map((c) => c[0]!.toLowerCase()).filter((name) => name === 'hset' || name === 'hdel'),
    ['hset', 'hdel'],
    'four records in one turn are one HSET; three clears in the next are one HDEL',
  );
  t.equal(commands[0]!.length, 2 + 2 * 3, 'the HSET carries each job once');
});

t.test('a write Redis refuses rejects its caller, and only the writes it carried', async (t) => {
  const prefix = uniquePrefix('inline-ledger-refused');
  const jobs = ledger(t, prefix);
  const key = `${prefix}:inline:${jobs.owner}`;
  await jobs.record('kept', entry(0));
  // A key of the wrong type makes HSET fail as a full or broken Redis would.
  await connection.del(key);
  await connection.set(key, 'not a hash');
  const [recorded, cleared] = await Promise.allSettled([jobs.record('refused', entry(0)), jobs.clear('kept')]);
  t.equal(recorded.status, 'rejected', 'the record is refused: the job it guards must not run');
  t.match((recorded as PromiseRejectedResult).reason, { message: /WRONGTYPE/ }, 'with the error Redis gave');
  t.equal(cleared.status, 'rejected', 'the clear of the same turn fails on the same key');
  await connection.del(key);
  await jobs.record('after', entry(0));
  t.ok(await connection.hget(key, 'after'), 'the next write goes through once Redis takes it');
  await jobs.clear('after');
});
