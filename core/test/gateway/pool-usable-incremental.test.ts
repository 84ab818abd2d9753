// The pool keeps its usable sets between jobs and rebuilds them only after a change
// (ADR 0055): these cases make each kind of change and check the set follows, against
// real lpx orchestrators with the pool's clock injected (no sleeping, no timing thresholds).
import t from 'tap';
import type { SelectionAlgorithm } from '@lpx/sdk';
import { grpcFetchInfo, OrchestratorPool } from '../../src/gateway/pool/index.js';
import { gatewayCredentials } from '../../src/network/index.js';
import { startOrchestrator } from '../network/helpers/orchestrator-fixture.js';

const HOUR = 3_600_000;
const inOrder: SelectionAlgorithm = { name: 'in-order', select: (candidates) => [...candidates] };
const uris = (entries: readonly { uri: string }[]): string[] => entries.map((e) => e.uri).sort();

async function setup(t: { teardown(fn: () => unknown): void }) {
  const a = await startOrchestrator();
  t.teardown(a.stop);
  const b = await startOrchestrator();
  t.teardown(b.stop);
  const clock = { now: Date.now() };
  // Each fixture trusts only its own gateway account, so each is asked with its own credentials.
  const fetchA = grpcFetchInfo(await gatewayCredentials(a.gateway));
  const fetchB = grpcFetchInfo(await gatewayCredentials(b.gateway));
  const pool = new OrchestratorPool(
    { candidates: async () => [{ uri: a.uri }, { uri: b.uri }], fetchInfo: (uri, options) => (uri === a.uri ? fetchA : fetchB)(uri, options) },
    { refreshMs: HOUR, now: () => clock.now },
  );
  t.teardown(() => pool.close());
  await pool.discover();
  return { a, b, clock, pool };
}

t.test('the usable set is kept between jobs and follows suspensions and rounds', async (t) => {
  const { a, b, pool } = await setup(t);
  const before = pool.usable('video/transcode');
  t.same(uris(before), [a.uri, b.uri].sort());
  t.equal(pool.usable('video/transcode'), before, 'no change, no rebuild: the same set');

  pool.suspend(a.uri, 'test', 1);
  t.same(uris(pool.usable('video/transcode')), [b.uri], 'a suspension takes it out at once');
  t.equal(pool.pick('video/transcode', { algorithm: inOrder }).uri, b.uri);
  t.equal(pool.pick('video/transcode', { algorithm: inOrder, exclude: new Set([b.uri]) }).uri, a.uri, 'the suspended one is the fallback');

  await pool.discover();
  await pool.discover();
  t.same(uris(pool.usable('video/transcode')), [a.uri, b.uri].sort(), 'back once its penalty has run out in rounds');
});

t.test('a refreshed reply with a new capability reaches the usable set', async (t) => {
  const { a, pool } = await setup(t);
  t.same(pool.usable('byoc/late'), [], 'nobody offers it yet');
  a.registry.registerAtRuntime('late', { version: 1, id: 'byoc/late', mode: 'request-response', workUnit: 'pixel', priceUnit: 'wei/pixel', price: { pricePerUnit: '7', pixelsPerUnit: '1' } });
  await pool.refresh(a.uri);
  const late = pool.usable('byoc/late');
  t.same(uris(late), [a.uri], 'offered after the refresh');
  t.same(late[0]?.price, { pricePerUnit: 7n, pixelsPerUnit: 1n }, 'at the price the new reply carries');
});

t.test('refreshDue is a no-op until the next reply is due, then refreshes exactly the due ones', async (t) => {
  const { a, b, clock, pool } = await setup(t);
  t.same(await pool.refreshDue(), { refreshed: [], failed: [] }, 'nothing due');
  const expiryMs = Number(pool.get(a.uri)!.info.authToken!.expiration) * 1000;
  clock.now = expiryMs - 1;
  const { refreshed, failed } = await pool.refreshDue();
  t.same(refreshed.sort(), [a.uri, b.uri].sort(), 'both tokens in their last 10 %');
  t.same(failed, []);
  t.same(await pool.refreshDue(), { refreshed: [], failed: [] }, 'the fresh replies set the next due time');
  t.same(uris(pool.usable('video/transcode')), [a.uri, b.uri].sort());
});

t.test('an expiring token drops the entry from a kept set without any event', async (t) => {
  const { a, b, clock, pool } = await setup(t);
  t.same(uris(pool.usable('video/transcode')), [a.uri, b.uri].sort());
  clock.now = Number(pool.get(a.uri)!.info.authToken!.expiration) * 1000 + 1;
  t.same(pool.usable('video/transcode').filter((e) => e.uri === a.uri), [], 'expired: gone although nothing was stored or suspended');
  t.ok(b.uri);
});
