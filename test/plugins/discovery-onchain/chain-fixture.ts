import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getAddress, type Address } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
// Tests may use the kernel; its chain helpers are not part of @lpx/core's public exports, hence the path.
import { confirmTx, connectChain, protocolAbis, setDevTranscoder, startEmbeddedChain, type DevAccount, type EmbeddedChain } from '../../../core/src/chain/index.js';
import { controllerBytecode, serviceRegistryBytecode } from '../../../core/src/chain/generated/bytecode.js';

const ETH = 10n ** 18n;

/** Sets `account`'s service URI in a ServiceRegistry, sent by the orchestrator itself as on the network. */
export async function setServiceUri(chain: EmbeddedChain, account: DevAccount, uri: string, registry: Address = chain.addresses.serviceRegistry): Promise<void> {
  const { publicClient, walletClient } = await connectChain({ rpcUrl: chain.rpcUrl, account: privateKeyToAccount(account.privateKey) });
  const hash = await walletClient!.writeContract({ address: registry, abi: protocolAbis.serviceRegistryAbi, functionName: 'setServiceURI', args: [uri], account: walletClient!.account, chain: walletClient!.chain });
  await confirmTx(publicClient, hash, 'setServiceURI');
}

/** Deploys another copy of a dev contract (a second ServiceRegistry, an empty Controller) as the deployer. */
async function deployCopy(chain: EmbeddedChain, which: 'serviceRegistry' | 'controller'): Promise<Address> {
  const wallet = chain.connection.walletClient!;
  const [abi, bytecode, args] =
    which === 'serviceRegistry' ? [protocolAbis.serviceRegistryAbi, serviceRegistryBytecode, [chain.controller]] : [protocolAbis.controllerAbi, controllerBytecode, []];
  const hash = await wallet.deployContract({ abi, bytecode, args, account: wallet.account, chain: wallet.chain } as never);
  await confirmTx(chain.connection.publicClient, hash, `deploy ${which}`);
  return getAddress((await chain.connection.publicClient.getTransactionReceipt({ hash })).contractAddress!);
}

export interface DiscoveryChain {
  chain: EmbeddedChain;
  /** Registered with https URIs, highest stake first. */
  good: [DevAccount, DevAccount];
  /** In the active set with no service URI. */
  noUri: DevAccount;
  /** In the active set with a URI that has no scheme. */
  badUri: DevAccount;
  /** Funded, not in the pool yet. */
  spare: DevAccount;
  deployServiceRegistry(): Promise<Address>;
  deployEmptyController(): Promise<Address>;
  setStake(account: DevAccount, stake: bigint): Promise<void>;
}

/**
 * A real anvil chain with our dev protocol: four orchestrators in the active
 * set (startEmbeddedChain puts them there), two announcing good URIs, one
 * none and one a scheme-less URI; stakes differ so the pool order is known.
 */
export async function startDiscoveryChain(): Promise<DiscoveryChain> {
  const chain = await startEmbeddedChain({ orchestrators: 4, senders: 0, spares: 1 });
  try {
    const [a, b, noUri, badUri] = chain.accounts.filter((account) => account.role === 'orchestrator') as [DevAccount, DevAccount, DevAccount, DevAccount];
    const spare = chain.accounts.find((account) => account.role === 'spare')!;
    const deployer = { publicClient: chain.connection.publicClient, walletClient: chain.connection.walletClient! };
    const setStake = (account: DevAccount, stake: bigint) => setDevTranscoder(deployer, chain.addresses.bondingManager, account.address, stake);
    await setStake(a, 3000n * ETH);
    await setStake(b, 2000n * ETH);
    await setStake(badUri, 500n * ETH);
    await setServiceUri(chain, a, 'https://127.0.0.1:8935');
    await setServiceUri(chain, b, 'https://orch-b.example:8936/');
    await setServiceUri(chain, badUri, 'orch-d.example:8935');
    return {
      chain,
      good: [a, b],
      noUri,
      badUri,
      spare,
      setStake,
      deployServiceRegistry: () => deployCopy(chain, 'serviceRegistry'),
      deployEmptyController: () => deployCopy(chain, 'controller'),
    };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}

/**
 * A JSON-RPC pass-through to the chain that a test can take down: while down
 * it drops every connection, which is what a dead RPC endpoint looks like to
 * the client. It counts the HTTP requests it forwarded.
 */
export async function startRpcProxy(t: { teardown(fn: () => unknown): void }, target: string) {
  let up = true;
  let forwarded = 0;
  const server = createServer(async (req: IncomingMessage, res) => {
    if (!up) return void req.socket.destroy();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    forwarded++;
    const upstream = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) });
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get forwarded() {
      return forwarded;
    },
    setUp(value: boolean) {
      up = value;
    },
  };
}

export function captureLogger() {
  const lines: { level: string; bindings: Record<string, unknown>; message?: string }[] = [];
  const at = (level: string) => (bindings: Record<string, unknown> | string, message?: string) =>
    void lines.push(typeof bindings === 'string' ? { level, bindings: {}, message: bindings } : { level, bindings, ...(message === undefined ? {} : { message }) });
  return { lines, logger: { warn: at('warn'), error: at('error'), info: at('info') } as never };
}
