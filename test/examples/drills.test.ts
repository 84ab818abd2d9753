// The drills are not run in CI (they take minutes), but a short fuzz round keeps
// the script working and holds the property it checks: junk at every public
// edge gets coded answers, no 5xx, no crash, and the network still works after.
import t from 'tap';
import { runFuzz } from '../../scripts/drills/fuzz.js';

t.test('a short fuzz round: every lpx error is coded, nothing crashes, a real job works after', async (t) => {
  const figures = await runFuzz({ requests: 150, seed: 7, log: () => {} });
  t.equal(figures.requests, 150);
  t.equal(figures.crashes, 0, 'no node process died');
  t.equal(figures.serverErrors, 0, 'no 5xx');
  t.same(figures.uncodedSamples, [], 'every error on an lpx edge is problem+json with an LPX_ERR code');
  t.ok(figures.healthyAfter, 'a paid job still completes');
});
