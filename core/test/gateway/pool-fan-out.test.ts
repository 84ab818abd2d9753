// go-livepeer's collect loop, driven by a manual scheduler so the tick
// schedule (0.5, 1, 2, 4 s, cutoff 6 s) is checked exactly, without sleeping.
import t from 'tap';
import { collect, type CollectTimers } from '../../src/gateway/pool/index.js';

/** Timers that only fire when the test says so; `due` lists armed ones by absolute time. */
function manualTimers() {
  let clock = 0;
  const armed = new Map<number, { at: number; callback: () => void }>();
  let next = 0;
  const timers: CollectTimers = {
    setTimeout(callback, ms) {
      armed.set(++next, { at: clock + ms, callback });
      return next;
    },
    clearTimeout(handle) {
      armed.delete(handle as number);
    },
  };
  return {
    timers,
    get clock() {
      return clock;
    },
    pending: () => [...armed.values()].map((a) => a.at).sort((a, b) => a - b),
    /** Fires the earliest armed timer. */
    advance(): number {
      const [id, timer] = [...armed.entries()].sort((a, b) => a[1].at - b[1].at)[0]!;
      armed.delete(id);
      clock = timer.at;
      timer.callback();
      return clock;
    },
  };
}

function deferred() {
  let resolve!: (ok: boolean) => void;
  const promise = new Promise<boolean>((r) => (resolve = r));
  return { promise, resolve };
}

const go = { discoveryTimeoutMs: 500, maxDiscoveryTimeoutMs: 6_000 };
const flush = () => new Promise((r) => setImmediate(r));

t.test('with no reply at all, ticks come at 0.5, 1, 2, 4 s and the 6 s cutoff ends it', async (t) => {
  const m = manualTimers();
  const hanging = deferred();
  const done = collect(new Map([['https://a:1', hanging.promise]]), 1, go, m.timers);
  const fired: number[] = [];
  let result: Awaited<typeof done> | undefined;
  void done.then((r) => (result = r));
  while (result === undefined) {
    fired.push(m.advance());
    await flush();
  }
  t.same(fired, [500, 1000, 2000, 4000, 6000]);
  t.same(result, { answered: [], failed: [], pending: ['https://a:1'], timedOut: true });
  t.same(m.pending(), [], 'no timer left armed');
});

t.test('a tick with at least one success stops the loop; the slow ones stay pending', async (t) => {
  const m = manualTimers();
  const fast = deferred();
  const slow = deferred();
  const done = collect(new Map([['https://fast:1', fast.promise], ['https://slow:1', slow.promise]]), 2, go, m.timers);
  fast.resolve(true);
  await flush();
  t.equal(m.advance(), 500);
  const result = await done;
  t.same(result, { answered: ['https://fast:1'], failed: [], pending: ['https://slow:1'], timedOut: true });
});

t.test('a first success after a few empty ticks ends the loop at the next tick', async (t) => {
  const m = manualTimers();
  const late = deferred();
  const dead = deferred();
  const done = collect(new Map([['https://late:1', late.promise], ['https://dead:1', dead.promise]]), 2, go, m.timers);
  t.equal(m.advance(), 500);
  await flush();
  t.equal(m.advance(), 1000);
  late.resolve(true);
  await flush();
  t.equal(m.advance(), 2000, 'the next tick, not the cutoff');
  t.same((await done).answered, ['https://late:1']);
});

t.test('enough successes, or everyone settled, ends the loop without a timer', async (t) => {
  const m = manualTimers();
  const a = deferred();
  const b = deferred();
  const c = deferred();
  const enough = collect(new Map([['a', a.promise], ['b', b.promise], ['c', c.promise]]), 2, go, m.timers);
  b.resolve(true);
  a.resolve(true);
  t.same(await enough, { answered: ['b', 'a'], failed: [], pending: ['c'], timedOut: false });

  const m2 = manualTimers();
  const bad = deferred();
  const good = deferred();
  const all = collect(new Map([['bad', bad.promise], ['good', good.promise]]), 2, go, m2.timers);
  bad.resolve(false);
  good.resolve(true);
  t.same(await all, { answered: ['good'], failed: ['bad'], pending: [], timedOut: false });
  t.same(m2.pending(), [], 'timers cleared');
});

t.test('no candidates: returns at once', async (t) => {
  const m = manualTimers();
  t.same(await collect(new Map(), 0, go, m.timers), { answered: [], failed: [], pending: [], timedOut: false });
});

t.test('the doubled tick is capped at the max', async (t) => {
  const m = manualTimers();
  const never = deferred();
  const done = collect(new Map([['x', never.promise]]), 1, { discoveryTimeoutMs: 300, maxDiscoveryTimeoutMs: 1_000 }, m.timers);
  const fired: number[] = [];
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    fired.push(m.advance());
    await flush();
  }
  // ticks re-arm with 300, 600, 1000 (capped); the cutoff at 1000 ends it first.
  t.same(fired, [300, 600, 1000]);
});
