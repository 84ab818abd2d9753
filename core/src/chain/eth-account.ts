import { readFile } from 'node:fs/promises';
import type { Hex, LocalAccount } from 'viem';
import { chainErrors } from './chain-errors.js';
import { decryptKeystore } from './keystore.js';
import { signingAccount } from './signing-account.js';

export interface EthAccountSource {
  /** 32-byte hex private key, with or without 0x. Falls back to env LPX_ETH_KEY. */
  privateKey?: string;
  /** Path to a v3 JSON keystore. Falls back to env LPX_ETH_KEYSTORE. */
  keystoreFile?: string;
  /** Keystore password. Falls back to env LPX_ETH_PASSWORD, then the file in LPX_ETH_PASSWORD_FILE. */
  password?: string;
}

export function accountFromPrivateKey(privateKey: string): LocalAccount {
  const hex = (privateKey.trim().startsWith('0x') ? privateKey.trim() : `0x${privateKey.trim()}`) as Hex;
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) {
    // Never echo the value: it may be a real key with a typo.
    throw chainErrors.KEY_INVALID.create('Ethereum private key must be 32 bytes of hex (64 hex digits)');
  }
  return signingAccount(hex);
}

async function keystorePassword(source: EthAccountSource, env: NodeJS.ProcessEnv): Promise<string> {
  if (source.password !== undefined) return source.password;
  if (env.LPX_ETH_PASSWORD !== undefined) return env.LPX_ETH_PASSWORD;
  if (env.LPX_ETH_PASSWORD_FILE !== undefined) return (await readFile(env.LPX_ETH_PASSWORD_FILE, 'utf8')).replace(/\r?\n$/, '');
  return '';
}

/** The node's signing account: an explicit key, else a keystore, else LPX_ETH_KEY / LPX_ETH_KEYSTORE. */
export async function loadEthAccount(source: EthAccountSource = {}, env: NodeJS.ProcessEnv = process.env): Promise<LocalAccount> {
  const privateKey = source.privateKey ?? (source.keystoreFile === undefined ? env.LPX_ETH_KEY : undefined);
  if (privateKey !== undefined && privateKey !== '') return accountFromPrivateKey(privateKey);
  const keystoreFile = source.keystoreFile ?? env.LPX_ETH_KEYSTORE;
  if (keystoreFile === undefined || keystoreFile === '') {
    throw chainErrors.KEY_MISSING.create('no Ethereum key: set LPX_ETH_KEY or LPX_ETH_KEYSTORE (with LPX_ETH_PASSWORD)');
  }
  let text: string;
  try {
    text = await readFile(keystoreFile, 'utf8');
  } catch (cause) {
    throw chainErrors.KEYSTORE_INVALID.create(`keystore file ${keystoreFile} cannot be read`, { cause });
  }
  return signingAccount(await decryptKeystore(text, await keystorePassword(source, env)));
}
