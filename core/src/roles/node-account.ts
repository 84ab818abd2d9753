import { readFile } from 'node:fs/promises';
import { generatePrivateKey } from 'viem/accounts';
import type { LocalAccount } from 'viem';
import { loadEthAccount } from '../chain/eth-account.js';
import { signingAccount } from '../chain/signing-account.js';
import type { KernelConfig } from '../config/kernel-schema.js';

/**
 * The key a role signs with. With a chain it must be configured (config, keystore
 * or LPX_ETH_KEY); an offchain node gets a throwaway key, as its address only
 * identifies it to peers and nothing is paid to it.
 */
export async function nodeAccount(config: KernelConfig, env: NodeJS.ProcessEnv = process.env): Promise<{ account: LocalAccount; ephemeral: boolean }> {
  const chain = config.chain;
  if (chain === undefined && chainlessKey(env) === undefined) return { account: signingAccount(generatePrivateKey()), ephemeral: true };
  const password = chain?.keystore !== undefined ? (await readFile(chain.keystore.passwordFile, 'utf8')).replace(/\r?\n$/, '') : undefined;
  const account = await loadEthAccount(
    {
      ...(chain?.privateKey !== undefined ? { privateKey: chain.privateKey } : {}),
      ...(chain?.keystore !== undefined ? { keystoreFile: chain.keystore.path } : {}),
      ...(password !== undefined ? { password } : {}),
    },
    env,
  );
  return { account, ephemeral: false };
}

function chainlessKey(env: NodeJS.ProcessEnv): string | undefined {
  const key = env.LPX_ETH_KEY ?? env.LPX_ETH_KEYSTORE;
  return key === undefined || key === '' ? undefined : key;
}
