import t from 'tap';
import { watchStep, type WatchState } from '../src/runner/watchdog-policy.js';

const policy = { maxFailures: 2, loadingMaxMs: 180_000 };
const ok = (status: 'OK' | 'IDLE' | 'LOADING' | 'ERROR') => ({ ok: true as const, status });
const fail = { ok: false as const, reason: '/health failed: ECONNREFUSED' };

t.test('two failed checks in a row destroy the runner; a good one in between resets the count', async (t) => {
  let s: WatchState = { failures: 0 };
  let d = watchStep(s, fail, 0, false, false, policy);
  t.equal(d.action, 'none');
  d = watchStep(d.state, ok('IDLE'), 5, false, false, policy);
  t.equal(d.state.failures, 0, 'reset');
  d = watchStep(d.state, fail, 10, false, false, policy);
  d = watchStep(d.state, fail, 15, false, false, policy);
  t.equal(d.action, 'destroy');
  t.match(d.reason, /2 health checks failed.*ECONNREFUSED/);
  s = d.state;
  t.equal(s.failures, 2);
});

t.test('ERROR destroys at once', async (t) => {
  const d = watchStep({ failures: 0 }, ok('ERROR'), 0, true, false, policy);
  t.equal(d.action, 'destroy');
  t.match(d.reason, /ERROR/);
});

t.test('LOADING: withheld from the pool, failing once it lasts longer than the limit', async (t) => {
  let d = watchStep({ failures: 0 }, ok('LOADING'), 1_000, false, false, policy);
  t.equal(d.action, 'withhold', 'an idle runner that loads leaves the pool');
  t.equal(d.state.loadingSince, 1_000);
  d = watchStep(d.state, ok('LOADING'), 100_000, false, true, policy);
  t.equal(d.action, 'none', 'already withheld');
  d = watchStep(d.state, ok('LOADING'), 181_001, false, true, policy);
  t.equal(d.state.failures, 1, 'past 3 min: a failure');
  d = watchStep(d.state, ok('LOADING'), 186_001, false, true, policy);
  t.equal(d.action, 'destroy');
  t.match(d.reason, /LOADING for more than 180000 ms/);
  t.equal(watchStep({ failures: 0 }, ok('LOADING'), 0, true, false, policy).action, 'none', 'a lent runner that loads stays lent');
});

t.test('IDLE returns a lent or withheld runner; OK returns a withheld one', async (t) => {
  t.equal(watchStep({ failures: 1 }, ok('IDLE'), 0, true, false, policy).action, 'return');
  t.equal(watchStep({ failures: 0, loadingSince: 5 }, ok('IDLE'), 0, false, true, policy).action, 'return');
  t.equal(watchStep({ failures: 0 }, ok('IDLE'), 0, false, false, policy).action, 'none');
  t.equal(watchStep({ failures: 0 }, ok('OK'), 0, true, false, policy).action, 'none', 'busy with the request it was lent for');
  t.equal(watchStep({ failures: 0, loadingSince: 5 }, ok('OK'), 0, false, true, policy).action, 'return');
});
