import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Config a plugin needs before it can run at all (a required URL, say), keyed
 * by plugin id. A new plugin whose schema defaults suffice needs no entry; one
 * that needs more fails the conformance run with a message pointing here.
 */
export const conformanceFixtures: Record<string, (t: { teardown(fn: () => unknown): void }) => Promise<Record<string, unknown>>> = {
  /** A real embedded anvil chain: two orchestrators with service URIs, two that get skipped. */
  'discovery-onchain': async (t) => {
    const { startDiscoveryChain } = await import('../plugins/discovery-onchain/chain-fixture.js');
    const { chain } = await startDiscoveryChain();
    t.teardown(() => chain.stop());
    return { rpcUrl: chain.rpcUrl, controller: chain.controller };
  },
  'discovery-static': async () => ({ orchAddr: 'o1.example.com,o2.example.com:8936,https://o3.example.com:9000' }),

  /** A real local webhook answering go-livepeer's JSON. */
  'discovery-webhook': async (t) => {
    const body = JSON.stringify([{ address: 'https://o1.example.com:8935', score: 1 }, { address: 'https://o2.example.com:8935', score: 0.5 }]);
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
  },
};
