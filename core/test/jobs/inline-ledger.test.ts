// The inline job ledger's writes (ADR 0067) on a real Redis: the writes of
// one event-loop turn go out as at most one HSET and one HDEL, the last
// write to a job wins, each caller learns the fate of its own write, and a
// write Redis refuses rejects its caller (so the job it guards never runs).
// A clear alone waits a little for a record to share its write (both leave
// in one socket write); closing sends what waits.
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

t.test('a clear rides along with the next record; a clear alone still goes out', async (t) => {
  const prefix = uniquePrefix('inline-ledger-clear');
  const jobs = ledger(t, prefix);
  const key = `${prefix}:inline:${jobs.owner}`;
  await jobs.record('first', entry(0));
  const monitor = await connection.monitor();
  t.teardown(() => monitor.disconnect());
  const commands: string[] = [];
  monitor.on('monitor', (_time: string, args: string[]) => {
    const name = args[0]!.toLowerCase();
    if (args[1] === key && (name === 'hset' || name === 'hdel')) commands.push(name);
  });
  // The first job ends; the next starts before the clear's delay is out.
  const cleared = jobs.clear('first');
  await new Promise((resolve) => setImmediate(resolve));
  await Promise.all([jobs.record('second', entry(0)), cleared]);
  t.same(await connection.hkeys(key), ['second'], 'the first job is cleared and the second recorded');
  // A clear with no record after it goes out once its delay is over.
  await jobs.clear('second');
  t.equal(await connection.hlen(key), 0, 'the lone clear reached Redis');
  for (let i = 0; i < 100 && commands.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
  t.same(commands, ['hset', 'hdel', 'hdel'], 'one HSET carried by the record with the HDEL waiting for it, then the lone HDEL');
});

t.test('the HSET and the HDEL of one flush leave in one socket write', async (t) => {
  const prefix = uniquePrefix('inline-ledger-corked');
  const jobs = ledger(t, prefix);
  await jobs.record('first', entry(0));
  type Callback = (error?: Error | null) => void;
  const socket = (connection as unknown as { stream: { _write(chunk: unknown, encoding: string, cb: Callback): void; _writev(chunks: unknown[], cb: Callback): void } }).stream;
  const { _write: write, _writev: writev } = socket;
  // Chunks per write the socket makes: one command is one chunk.
  const writes: number[] = [];
  socket._write = function (chunk, encoding, cb) {
    writes.push(1);
    write.call(this, chunk, encoding, cb);
  };
  socket._writev = function (chunks, cb) {
    writes.push(chunks.length);
    writev.call(this, chunks, cb);
  };
  const restore = (): void => {
    socket._write = write;
    socket._writev = writev;
  };
  t.teardown(restore);
  // The first job ends as the second starts: one flush carries both.
  await Promise.all([jobs.clear('first'), jobs.record('second', entry(0))]);
  restore();
  t.same(writes, [2], 'both commands in a single write');
  t.same(await connection.hkeys(`${prefix}:inline:${jobs.owner}`), ['second']);
});

t.test('closing sends the clears still waiting, so an emptied ledger lets its owner leave', async (t) => {
  const prefix = uniquePrefix('inline-ledger-close');
  const jobs = new InlineLedger({ connection, prefix, leaseMs: 30_000, logger: undefined });
  const key = `${prefix}:inline:${jobs.owner}`;
  await jobs.record('only', entry(0));
  const cleared = jobs.clear('only');
  await jobs.close();
  await cleared;
  t.equal(await connection.hlen(key), 0, 'the clear went out with the close');
  t.same(await connection.smembers(`${prefix}:inline-owners`), [], 'the owner left: nothing for another process to sweep');
});
