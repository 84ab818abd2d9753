import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Address } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { locateAnvilBinary } from './anvil-binary.js';
import { chainErrors } from './chain-errors.js';
import { connectChain, type ChainConnection } from './connection.js';
import { devAccounts, MAX_DEV_ACCOUNTS, type DevAccount } from './dev-accounts.js';
import { advanceRounds, initializeCurrentRound, mineBlocks, type RoundControl } from './dev-chain-control.js';
import { DEFAULT_DEV_PROTOCOL_PARAMS, deployDevProtocol, setDevTranscoder, type Deployer, type DevProtocolParams } from './dev-protocol-deploy.js';
import { freeLoopbackPort } from './local-port.js';
import { resolveProtocolAddresses, type ProtocolAddresses } from './protocol-addresses.js';
import { fundDepositAndReserve } from './ticket-broker-writes.js';

export interface EmbeddedChainOptions {
  /** Persist chain state here (anvil --state) so a restart keeps deposits and redeemed tickets. */
  dataDir?: string;
  /** Defaults to a free loopback port. */
  port?: number;
  /** Seconds between blocks; default automine (a block per transaction). */
  blockTimeSeconds?: number;
  protocol?: Partial<DevProtocolParams>;
  orchestrators?: number;
  senders?: number;
  /** Extra funded accounts with no deposit or stake (default 1). */
  spares?: number;
  /** Each sender's TicketBroker deposit and reserve, in wei. */
  senderDeposit?: bigint;
  senderReserve?: bigint;
  /** Each orchestrator's stake in the dev active set. */
  orchestratorStake?: bigint;
  /** Told when anvil answers (`chain`), the contracts are deployed (`contracts`) and the accounts are staked and funded (`accounts`). */
  onProgress?: (step: string, detail?: string) => void;
}

export interface EmbeddedChain {
  rpcUrl: string;
  /** The anvil process. */
  pid: number;
  chainId: number;
  controller: Address;
  addresses: ProtocolAddresses;
  accounts: DevAccount[];
  protocol: DevProtocolParams;
  /** Connected as the deployer (Controller owner). */
  connection: ChainConnection;
  mine(blocks: number | bigint): Promise<void>;
  /** Mines to the start of a later round and initializes it; returns the new round. */
  advanceRounds(rounds?: number): Promise<bigint>;
  stop(): Promise<void>;
}

const ETH = 10n ** 18n;
const DEPLOYMENT_FILE = 'dev-protocol.json';

async function waitForRpc(rpcUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(15);
  }
  throw chainErrors.ANVIL_START.create(`anvil did not answer at ${rpcUrl} (exit code ${child.exitCode}): ${output().slice(-2000)}`);
}

function spawnAnvil(port: number, accounts: number, options: EmbeddedChainOptions): { child: ChildProcess; output: () => string } {
  // Anvil funds the mnemonic's first N accounts: at least its usual 10, and every account this network hands out.
  const args = ['--host', '127.0.0.1', '--port', String(port), '--accounts', String(Math.max(10, accounts)), '--balance', '10000'];
  if (options.blockTimeSeconds !== undefined) args.push('--block-time', String(options.blockTimeSeconds));
  if (options.dataDir !== undefined) args.push('--state', join(options.dataDir, 'anvil-state.json'), '--state-interval', '1');
  const child = spawn(locateAnvilBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

const isCodedError = (error: unknown): boolean =>
  error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && String((error as unknown as { code: string }).code).startsWith('LPX_ERR_');

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

async function reusePersistedDeployment(dataDir: string | undefined, connection: ChainConnection): Promise<ProtocolAddresses | undefined> {
  if (dataDir === undefined || !existsSync(join(dataDir, DEPLOYMENT_FILE))) return undefined;
  const saved = JSON.parse(await readFile(join(dataDir, DEPLOYMENT_FILE), 'utf8')) as { controller: Address };
  try {
    return await resolveProtocolAddresses(connection.publicClient, saved.controller);
  } catch {
    return undefined; // state file lost or reset: deploy afresh
  }
}

/**
 * Starts anvil on loopback, deploys our dev protocol through a Controller,
 * registers orchestrators in the active set and funds senders' deposits and
 * reserves. The child is killed on stop() and when this process exits.
 */
export async function startEmbeddedChain(options: EmbeddedChainOptions = {}): Promise<EmbeddedChain> {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const port = options.port ?? (await freeLoopbackPort());
  const rpcUrl = `http://127.0.0.1:${port}`;
  const accounts = devAccounts(options.orchestrators ?? 2, options.senders ?? 2, options.spares ?? 1);
  const { child, output } = spawnAnvil(port, accounts.length, options);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopChild(child);
  };

  try {
    await waitForRpc(rpcUrl, child, output);
    options.onProgress?.('chain', `anvil at ${rpcUrl} (pid ${child.pid})`);
    const deployer = accounts[0] as DevAccount;
    const connection = await connectChain({ rpcUrl, account: privateKeyToAccount(deployer.privateKey) });
    const deployerCtx: Deployer = { publicClient: connection.publicClient, walletClient: connection.walletClient! };
    const protocol = { ...DEFAULT_DEV_PROTOCOL_PARAMS, ...options.protocol };

    let addresses = await reusePersistedDeployment(options.dataDir, connection);
    if (addresses === undefined) {
      addresses = await setUpFreshChain(rpcUrl, deployerCtx, accounts, protocol, options);
      if (options.dataDir !== undefined) {
        await writeFile(join(options.dataDir, DEPLOYMENT_FILE), JSON.stringify({ controller: addresses.controller }, null, 2));
      }
    }
    const rounds: RoundControl = { rpcUrl, ...deployerCtx, roundsManager: addresses.roundsManager };
    return {
      rpcUrl,
      pid: child.pid ?? -1,
      chainId: connection.chainId,
      controller: addresses.controller,
      addresses,
      accounts,
      protocol,
      connection,
      mine: (blocks) => mineBlocks(rpcUrl, blocks),
      advanceRounds: (count = 1) => advanceRounds(rounds, count),
      stop,
    };
  } catch (error) {
    await stop();
    if (isCodedError(error)) throw error;
    throw chainErrors.DEPLOY_FAILED.create(`embedded chain set-up failed: ${(error as Error).message}`, { cause: error });
  }
}

async function setUpFreshChain(
  rpcUrl: string,
  deployerCtx: Deployer,
  accounts: DevAccount[],
  protocol: DevProtocolParams,
  options: EmbeddedChainOptions,
): Promise<ProtocolAddresses> {
  const addresses = await deployDevProtocol(deployerCtx, protocol);
  options.onProgress?.('contracts', `controller ${addresses.controller}`);
  for (const orchestrator of accounts.filter((account) => account.role === 'orchestrator')) {
    await setDevTranscoder(deployerCtx, addresses.bondingManager, orchestrator.address, options.orchestratorStake ?? 1000n * ETH);
  }
  for (const sender of accounts.filter((account) => account.role === 'sender')) {
    const connection = await connectChain({ rpcUrl, account: privateKeyToAccount(sender.privateKey) });
    await fundDepositAndReserve(
      { publicClient: connection.publicClient, walletClient: connection.walletClient!, ticketBroker: addresses.ticketBroker },
      options.senderDeposit ?? 10n * ETH,
      options.senderReserve ?? 10n * ETH,
    );
  }
  const orchestrators = accounts.filter((account) => account.role === 'orchestrator').length;
  const senders = accounts.filter((account) => account.role === 'sender').length;
  options.onProgress?.('accounts', `${orchestrators} orchestrator(s) staked, ${senders} sender(s) funded`);
  // Round 0 cannot be initialized (lastInitializedRound starts at 0), and
  // tickets need an initialized round with a block hash: move to round 1+.
  await advanceRounds({ rpcUrl, ...deployerCtx, roundsManager: addresses.roundsManager });
  return addresses;
}
