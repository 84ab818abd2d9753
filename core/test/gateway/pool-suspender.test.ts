// go-livepeer's suspender: penalties measured in refreshes, added up while in force, forgotten once expired.
import t from 'tap';
import { DEFAULT_SUSPENSION_PENALTY, Suspender } from '../../src/gateway/pool/index.js';

t.test('a suspension lasts `penalty` refreshes after the current one', async (t) => {
  const s = new Suspender();
  s.signalRefresh(); // count 1
  t.same(s.suspend('o1', 'unreachable', 2), { until: 3, reason: 'unreachable' });
  t.equal(s.penalty('o1'), 3, 'the stored value, as go-livepeer Suspended returns');
  s.signalRefresh(); // 2
  s.signalRefresh(); // 3
  t.ok(s.isSuspended('o1'), 'still suspended while count ≤ value');
  s.signalRefresh(); // 4
  t.notOk(s.isSuspended('o1'), 'value below the count: expired');
  t.equal(s.penalty('o1'), 0);
  t.equal(s.suspension('o1'), undefined);
});

t.test('suspending again adds to a suspension in force, and restarts from the count after expiry', async (t) => {
  const s = new Suspender();
  s.suspend('o1', 'first', 2);
  s.suspend('o1', 'second', 2);
  t.same(s.suspension('o1'), { until: 4, reason: 'second' });
  for (let i = 0; i < 5; i++) s.signalRefresh();
  t.notOk(s.isSuspended('o1'));
  s.suspend('o1', 'third', 1);
  t.equal(s.penalty('o1'), 6, 'count 5 + 1');
});

t.test('default penalty, fractional penalties round up, clear lifts it', async (t) => {
  const s = new Suspender();
  t.equal(s.suspend('a', 'x').until, DEFAULT_SUSPENSION_PENALTY);
  t.equal(s.suspend('b', 'x', 0.2).until, 1, 'at least one refresh');
  s.clear('a');
  t.notOk(s.isSuspended('a'));
  t.ok(s.isSuspended('b'));
});
