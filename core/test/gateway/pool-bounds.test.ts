// The pool's per-orchestrator maps follow discovery: orchestrators that leave take their
// last error and expired suspensions with them, so churn cannot grow them without end.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { OrchestratorPool, Suspender } from '../../src/gateway/pool/index.js';
import { gatewayCredentials } from '../../src/network/index.js';

t.test('expired suspensions of orchestrators never read again are swept on refresh', async (t) => {
  const s = new Suspender();
  for (let i = 0; i < 1_000; i++) s.suspend(`https://gone-${i}`, 'unreachable', 1);
  t.equal(s.size, 1_000);
  s.signalRefresh();
  s.signalRefresh();
  t.equal(s.size, 0, 'none left once expired');
  s.suspend('https://here', 'x', 5);
  s.signalRefresh();
  t.equal(s.size, 1, 'one in force stays');
});

t.test('last errors go with orchestrators that left discovery', async (t) => {
  // A port that refuses connections: every GetOrchestrator fails at once.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  let round = 0;
  const pool = new OrchestratorPool(
    { candidates: async () => Array.from({ length: 20 }, (_, i) => ({ uri: `https://127.0.0.1:${port}/r${round}-${i}` })), credentials: await gatewayCredentials(privateKeyToAccount(generatePrivateKey())) },
    { discoveryTimeoutMs: 5_000, maxDiscoveryTimeoutMs: 5_000 },
  );
  t.teardown(() => pool.close());
  for (round = 0; round < 5; round++) {
    const result = await pool.discover();
    t.equal(result.failed.length, 20, `round ${round}: all failed`);
  }
  t.ok(pool.lastError(`https://127.0.0.1:${port}/r4-0`) !== undefined, 'the current round keeps its errors');
  for (let r = 0; r < 4; r++) t.equal(pool.lastError(`https://127.0.0.1:${port}/r${r}-0`), undefined, `round ${r}'s error is gone`);
});
