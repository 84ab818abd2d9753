// Discovery at scale (ADR 0062): a pool usable on the first answers while slow
// orchestrators are still pending, a hung one not holding the round past its tick,
// the concurrency bound counted on the server side, and one channel per orchestrator
// reused across rounds (the server sees the same client peer each round).
import { createServer, type AddressInfo, type Socket } from 'node:net';
import t from 'tap';
import type { SelectionAlgorithm } from '@lpx/sdk';
import { OrchestratorPool } from '../../src/gateway/pool/index.js';
import { gatewayCredentials, generateSelfSignedCertificate, type OrchestratorInfo } from '../../src/network/index.js';
import { startInfoServers } from '../../src/network/testing/info-servers.js';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';

const TLS = generateSelfSignedCertificate({ hostname: '127.0.0.1' });
const CREDENTIALS = gatewayCredentials(privateKeyToAccount(generatePrivateKey()));
const inOrder: SelectionAlgorithm = { name: 'in-order', select: (candidates) => [...candidates] };

function info(uri: string, i: number): OrchestratorInfo {
  return { transcoder: uri, address: Uint8Array.from({ length: 20 }, (_, k) => (k === 19 ? i : 0)), priceInfo: { pricePerUnit: 1_000n, pixelsPerUnit: 1n }, hardware: [], storage: [], capabilitiesPrices: [], nodes: [] };
}

t.test('usable after the first answers while slow orchestrators are still pending', async (t) => {
  const fast = ['https://fast-0:1', 'https://fast-1:1'];
  const slow = ['https://slow-0:1', 'https://slow-1:1', 'https://slow-2:1'];
  const release: (() => void)[] = [];
  let settledSlow = 0;
  const pool = new OrchestratorPool(
    {
      candidates: async () => [...slow, ...fast].map((uri) => ({ uri })),
      fetchInfo: (uri) => {
        const i = [...fast, ...slow].indexOf(uri);
        if (fast.includes(uri)) return Promise.resolve(info(uri, i));
        return new Promise((resolve) => release.push(() => resolve(info(uri, i)))).finally(() => settledSlow++) as Promise<OrchestratorInfo>;
      },
    },
    // Long timers: only the first answers can end the wait below.
    { discoveryTimeoutMs: 60_000, maxDiscoveryTimeoutMs: 120_000 },
  );
  t.teardown(() => pool.close());
  await pool.untilUsable('video/transcode');
  t.ok(pool.usable('video/transcode').length >= 1, 'usable on the first answers');
  t.equal(settledSlow, 0, 'no slow orchestrator has answered yet');
  t.ok(fast.includes(pool.pick('video/transcode', { algorithm: inOrder }).uri), 'a pick works now, among the fast');
  const round = pool.discover();
  t.equal(pool.discover(), round, 'a second discover() joins the running round');
  for (const answer of release) answer();
  const done = await round;
  t.same([...done.answered].sort(), [...fast, ...slow].sort(), 'the round still collects the slow ones');
  t.equal(pool.usable('video/transcode').length, 5);
  t.equal(pool.rounds, 1, 'joined calls count as one refresh for the suspender');
});

t.test('a round that finds no one usable still releases untilUsable', async (t) => {
  const pool = new OrchestratorPool({ candidates: async () => [{ uri: 'https://down:1' }], fetchInfo: () => Promise.reject(new Error('down')) });
  t.teardown(() => pool.close());
  await pool.untilUsable('video/transcode');
  t.equal(pool.usable('video/transcode').length, 0);
  t.throws(() => pool.pick('video/transcode', { algorithm: inOrder }), { code: 'LPX_ERR_GATEWAY_NO_ORCHESTRATORS' });
});

t.test('a hung orchestrator (TCP accepted, never a byte) does not hold the round past its tick', async (t) => {
  const sockets = new Set<Socket>();
  const hung = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => hung.close(() => resolve()));
  });
  const hungUri = `https://127.0.0.1:${(hung.address() as AddressInfo).port}`;
  const servers = await startInfoServers(3, { tls: await TLS });
  t.teardown(servers.stop);
  // The call budget is far longer than the first tick: only the tick can end the round while the hung one runs.
  const pool = new OrchestratorPool({ candidates: async () => [hungUri, ...servers.uris].map((uri) => ({ uri })), credentials: await CREDENTIALS }, { discoveryTimeoutMs: 300, maxDiscoveryTimeoutMs: 60_000, fetchTimeoutMs: 60_000 });
  t.teardown(() => pool.close());
  const round = await pool.discover();
  t.ok(round.timedOut, 'the tick ended the round');
  t.same(round.pending, [hungUri], 'the hung one is still pending, not failed');
  t.same([...round.answered].sort(), [...servers.uris].sort());
  t.equal(pool.usable('video/transcode').length, 3, 'the others are usable');
});

t.test('at most discoveryConcurrency calls run at once, counted by the servers', async (t) => {
  const servers = await startInfoServers(12, { tls: await TLS, delayMs: 25 });
  t.teardown(servers.stop);
  const pool = new OrchestratorPool({ candidates: async () => servers.uris.map((uri) => ({ uri })), credentials: await CREDENTIALS }, { discoveryConcurrency: 3, discoveryTimeoutMs: 30_000, maxDiscoveryTimeoutMs: 60_000 });
  t.teardown(() => pool.close());
  const round = await pool.discover();
  t.equal(round.answered.length, 12, 'everyone answered');
  t.equal(servers.stats.calls, 12);
  t.equal(servers.stats.maxInflight, 3, 'the servers never saw more than 3 calls at once, and saw 3');
});

t.test('one channel per orchestrator, reused across rounds and closed with the pool', async (t) => {
  const servers = await startInfoServers(5, { tls: await TLS });
  t.teardown(servers.stop);
  const pool = new OrchestratorPool({ candidates: async () => servers.uris.map((uri) => ({ uri })), credentials: await CREDENTIALS });
  t.teardown(() => pool.close());
  await pool.discover();
  const first = [...servers.stats.peers];
  await pool.discover();
  const second = servers.stats.peers.slice(first.length);
  t.equal(first.length, 5);
  t.equal(new Set(first).size, 5, 'five connections in the first round');
  t.same([...second].sort(), [...first].sort(), 'the second round came over the same connections (same client peers)');
  t.same(pool.channels, { open: 5, opened: 5 });
  pool.close();
  t.same(pool.channels, { open: 0, opened: 5 });
});
