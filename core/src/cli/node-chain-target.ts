/**
 * The chain a CLI command talks to and the key it signs with, read from the
 * node's config the way `lpx start` reads them (`--config`, `LPX_*`, `--set`),
 * so `lpx broker …` and `lpx status` need no `--rpc --controller` of their
 * own. Flags still win: `--rpc` and `--controller` replace `chain.rpcUrl` and
 * `chain.controller`, `--keystore` replaces the configured key.
 */
import type { Address, LocalAccount } from 'viem';
import { errors } from '@lpx/sdk';
import { loadEthAccount } from '../chain/eth-account.js';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import { nodeAccount } from '../roles/node-account.js';

export interface NodeTargetOptions {
  readonly config?: string;
  readonly set?: readonly string[];
  readonly rpc?: string;
  readonly controller?: string;
  readonly keystore?: string;
}

export interface NodeChainTarget {
  readonly loaded: LoadedConfig;
  /** Undefined on an offchain node with no `--rpc`/`--controller`. */
  readonly chain: { readonly rpcUrl: string; readonly controller: Address } | undefined;
  /** The node's key (config, keystore, LPX_ETH_KEY; `--keystore` first). */
  account(): Promise<LocalAccount>;
}

export function nodeChainTarget(options: NodeTargetOptions, env: NodeJS.ProcessEnv = process.env): NodeChainTarget {
  const loaded = loadConfig({ ...(options.config !== undefined ? { file: options.config } : {}), sets: options.set ?? [], env });
  const rpcUrl = options.rpc ?? loaded.config.chain?.rpcUrl;
  const controller = options.controller ?? loaded.config.chain?.controller;
  if ((rpcUrl === undefined) !== (controller === undefined)) {
    throw errors.config.INVALID.create(`chain: ${rpcUrl === undefined ? 'an RPC url (chain.rpcUrl or --rpc)' : 'a Controller (chain.controller or --controller)'} is missing`);
  }
  return {
    loaded,
    chain: rpcUrl !== undefined && controller !== undefined ? { rpcUrl, controller: controller as Address } : undefined,
    account: async () => (options.keystore !== undefined ? loadEthAccount({ keystoreFile: options.keystore }, env) : (await nodeAccount(loaded.config, env)).account),
  };
}

/** The chain, or a coded error saying where to configure it. */
export function requireChain(target: NodeChainTarget): { rpcUrl: string; controller: Address } {
  if (target.chain === undefined) {
    throw errors.config.INVALID.create(`${target.loaded.file ?? 'the default config'} has no chain: set chain.rpcUrl and chain.controller (or pass --rpc and --controller)`);
  }
  return target.chain;
}
