// Refresh rules and suspension expiry against real lpx orchestrators, with
// the pool's wall clock injected (no sleeping, no timing thresholds).
import t from 'tap';
import { errors, type SelectionAlgorithm } from '@lpx/sdk';
import { grpcFetchInfo, OrchestratorPool } from '../../src/gateway/pool/index.js';
import { gatewayCredentials } from '../../src/network/index.js';
import { startOrchestrator } from '../network/helpers/orchestrator-fixture.js';

/** What the helpers need of a (sub)test: somewhere to register cleanup. */
type Teardown = Pick<typeof t, 'teardown'>;

const first: SelectionAlgorithm = { name: 'first', select: (candidates) => [...candidates] };
const HOUR = 3_600_000;

async function setup(t: Teardown) {
  const o = await startOrchestrator();
  t.teardown(o.stop);
  const clock = { now: Date.now() };
  const pool = new OrchestratorPool(
    { candidates: async () => [{ uri: o.uri }], credentials: await gatewayCredentials(o.gateway) },
    { refreshMs: HOUR, now: () => clock.now },
  );
  t.teardown(() => pool.close());
  return { o, clock, pool };
}

t.test('an auth token in its last 10 % triggers a refresh that brings a new session', async (t) => {
  const { o, clock, pool } = await setup(t);
  await pool.discover();
  const before = pool.get(o.uri)!;
  const expiryMs = Number(before.info.authToken!.expiration) * 1000;
  t.equal(pool.needsRefresh(o.uri), undefined, 'fresh');

  clock.now = expiryMs - 0.11 * (expiryMs - before.fetchedAt);
  t.equal(pool.needsRefresh(o.uri), undefined, 'with 11 % of the validity left: not yet');
  clock.now = expiryMs - 0.09 * (expiryMs - before.fetchedAt);
  t.equal(pool.needsRefresh(o.uri), 'auth-token', 'with 9 % left: due');
  t.same(uris(pool.usable('video/transcode')), [o.uri], 'still usable until it actually expires');

  const { refreshed, failed } = await pool.refreshDue();
  t.same(refreshed, [o.uri]);
  t.same(failed, []);
  const after = pool.get(o.uri)!;
  t.not(after.info.authToken!.sessionId, before.info.authToken!.sessionId, 'a new session');
  t.equal(after.fetchedAt, clock.now, 'stamped with the injected clock');
  t.equal(pool.needsRefresh(o.uri), undefined);
});

t.test('an expired token makes the entry unusable until refreshed; old info is refreshed by age', async (t) => {
  const { o, clock, pool } = await setup(t);
  await pool.discover();
  const start = clock.now;
  clock.now = start + HOUR - 1;
  // The token (30 min) is long expired by now, which is what the reason reports first.
  t.equal(pool.needsRefresh(o.uri), 'auth-token');
  t.same(pool.usable('video/transcode'), [], 'an expired token is refused by the orchestrator, so it is not offered');
  t.throws(() => pool.pick('video/transcode', { algorithm: first }), { code: errors.gateway.NO_ORCHESTRATORS.code });

  const ageOnly = new OrchestratorPool({ candidates: async () => [{ uri: o.uri }], credentials: await gatewayCredentials(o.gateway) }, { refreshMs: 1_000, now: () => clock.now });
  t.teardown(() => ageOnly.close());
  clock.now = start;
  await ageOnly.discover();
  clock.now = start + 999;
  t.equal(ageOnly.needsRefresh(o.uri), undefined);
  clock.now = start + 1_000;
  t.equal(ageOnly.needsRefresh(o.uri), 'age');
  t.equal(ageOnly.needsRefresh('https://never.seen:1'), undefined, 'nothing cached, nothing to refresh');
});

t.test('refresh on demand (TicketParams expired) fetches new params; a failed refresh suspends and rethrows', async (t) => {
  const { o, pool } = await setup(t);
  await pool.discover();
  const before = pool.get(o.uri)!;
  const after = await pool.refresh(o.uri);
  t.not(after.info.ticketParams!.seed, before.info.ticketParams!.seed, 'new ticket params (a fresh seed)');
  t.equal(pool.get(o.uri), after);

  await o.stop();
  await t.rejects(pool.refresh(o.uri), { code: errors.network.UNREACHABLE.code });
  t.ok(pool.isSuspended(o.uri));
  t.equal(pool.get(o.uri), undefined, 'a failed refresh drops the info, as go-livepeer drops the session');
});

t.test('a suspension lasts its penalty in discovery rounds, with the suspended as last resort meanwhile', async (t) => {
  const { o, pool } = await setup(t);
  await pool.discover();
  t.equal(pool.rounds, 1);
  pool.suspend(o.uri, 'segment failed', 2);
  t.ok(pool.isSuspended(o.uri));
  t.same(pool.usable('video/transcode'), []);
  const fallback = pool.pick('video/transcode', { algorithm: first });
  t.equal(fallback.uri, o.uri, 'with nobody else, go-livepeer falls back on the suspended, lowest penalty first');
  t.equal(fallback.penalty, 3);
  t.throws(() => pool.pick('video/transcode', { algorithm: first, exclude: new Set([o.uri]) }), { code: errors.gateway.NO_ORCHESTRATORS.code });

  await pool.discover();
  await pool.discover();
  t.equal(pool.rounds, 3);
  t.ok(pool.isSuspended(o.uri), 'sat out rounds 2 and 3, answering all along');
  await pool.discover();
  t.notOk(pool.isSuspended(o.uri), 'free again in round 4');
  t.same(uris(pool.usable('video/transcode')), [o.uri]);
});

t.test('late answers still fill the cache after the round returned', async (t) => {
  const fast = await startOrchestrator({ offchain: true });
  const slow = await startOrchestrator({ offchain: true });
  t.teardown(fast.stop);
  t.teardown(slow.stop);
  const real = grpcFetchInfo(await gatewayCredentials(fast.gateway));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const pool = new OrchestratorPool(
    {
      candidates: async () => [{ uri: slow.uri }, { uri: fast.uri }],
      // The slow one's real call starts only when the test opens the gate.
      fetchInfo: async (uri, options) => {
        if (uri === slow.uri) await gate;
        return real(uri, options);
      },
    },
    { discoveryTimeoutMs: 50, maxDiscoveryTimeoutMs: 60_000 },
  );
  t.teardown(() => pool.close());
  const round = await pool.discover();
  t.same(round.answered, [fast.uri]);
  t.same(round.pending, [slow.uri]);
  t.equal(pool.get(slow.uri), undefined);
  release();
  await pool.settled();
  t.ok(pool.get(slow.uri), 'the late reply landed');
  t.notOk(pool.isSuspended(slow.uri));
  t.same(uris(pool.usable('video/transcode')).sort(), [fast.uri, slow.uri].sort());
});

t.test('the pool needs a way to call orchestrators', async (t) => {
  t.throws(() => new OrchestratorPool({ candidates: async () => [] }), TypeError);
  const pool = new OrchestratorPool({ candidates: async () => [], fetchInfo: async () => Promise.reject(new Error('unused')) });
  t.same(await pool.discover(), { answered: [], failed: [], pending: [], timedOut: false }, 'no candidates: an empty round at once');
});

function uris(entries: readonly { uri: string }[]): string[] {
  return entries.map((e) => e.uri);
}
