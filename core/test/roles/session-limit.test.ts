import t from 'tap';
import { SessionLimit } from '../../src/roles/orchestrator/session-limit.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

t.test('admits up to maxSessions new sessions, then refuses new ones', async (t) => {
  const c = clock();
  const limit = new SessionLimit(2, 1_000, c.now);
  t.equal(limit.maxSessions, 2);
  t.ok(limit.hasRoom());
  t.equal(limit.admit('a'), true);
  t.equal(limit.admit('b'), true);
  t.equal(limit.active, 2);
  t.notOk(limit.hasRoom(), 'full');
  t.equal(limit.admit('c'), false, 'a third session is refused');
  t.equal(limit.active, 2, 'a refused session is not recorded');
});

t.test('a known session is always admitted, even when full', async (t) => {
  const c = clock();
  const limit = new SessionLimit(1, 1_000, c.now);
  t.equal(limit.admit('a'), true);
  t.equal(limit.admit('a'), true);
  t.equal(limit.admit('a'), true);
  t.equal(limit.active, 1);
  t.equal(limit.admit('b'), false);
});

t.test('zero sessions: nothing is admitted', async (t) => {
  const limit = new SessionLimit(0, 1_000, clock().now);
  t.notOk(limit.hasRoom());
  t.equal(limit.admit('a'), false);
  t.equal(limit.active, 0);
});

t.test('end() frees a slot', async (t) => {
  const c = clock();
  const limit = new SessionLimit(1, 1_000, c.now);
  t.ok(limit.admit('a'));
  t.notOk(limit.admit('b'));
  limit.end('a');
  t.equal(limit.active, 0);
  t.ok(limit.hasRoom());
  t.ok(limit.admit('b'));
  limit.end('never-seen'); // harmless
  t.equal(limit.active, 1);
});

t.test('a session idle for longer than idleMs is forgotten; one seen within idleMs is kept', async (t) => {
  const c = clock();
  const limit = new SessionLimit(2, 1_000, c.now);
  t.ok(limit.admit('a'));
  t.ok(limit.admit('b'));
  c.advance(600);
  t.ok(limit.admit('a'), 'a seen again: its idle clock restarts');
  c.advance(600); // b idle 1200 ms, a idle 600 ms
  t.equal(limit.active, 1, 'b expired');
  t.ok(limit.hasRoom());
  t.ok(limit.admit('c'));
  t.notOk(limit.admit('d'), 'a and c fill it again');
});

t.test('idle exactly idleMs is still active; one ms more expires it', async (t) => {
  const c = clock();
  const limit = new SessionLimit(1, 1_000, c.now);
  t.ok(limit.admit('a'));
  c.advance(1_000);
  t.equal(limit.active, 1);
  t.notOk(limit.admit('b'));
  c.advance(1);
  t.equal(limit.active, 0);
  t.ok(limit.admit('b'));
});

t.test('defaults: 60 s idle on the real clock', async (t) => {
  const limit = new SessionLimit(1);
  t.ok(limit.admit('a'));
  t.notOk(limit.admit('b'));
  t.equal(limit.active, 1);
});

t.test('onForget hears every session that ends or idles out, once, and nothing else', async (t) => {
  const c = clock();
  const forgotten: string[] = [];
  const limit = new SessionLimit(3, 1_000, c.now, (id) => forgotten.push(id));
  limit.admit('ended');
  limit.admit('idle');
  limit.end('ended');
  limit.end('ended');
  limit.end('never-seen');
  t.same(forgotten, ['ended'], 'an explicit end, reported once; unknown ids are not reported');
  c.advance(1_001);
  t.equal(limit.active, 0);
  t.same(forgotten, ['ended', 'idle'], 'an idle session is reported when it expires');
});

t.test('maxSessions can change at runtime (maxSessions: auto)', async (t) => {
  const limit = new SessionLimit(0, 1_000, clock().now);
  t.notOk(limit.admit('a'), 'no transcoders, no sessions');
  limit.maxSessions = 2;
  t.ok(limit.admit('a'));
  t.ok(limit.admit('b'));
  t.notOk(limit.admit('c'));
});
