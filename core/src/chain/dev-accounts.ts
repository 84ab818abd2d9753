import { pbkdf2Sync } from 'node:crypto';
import { bytesToHex, type Address, type Hex } from 'viem';
import { HDKey, privateKeyToAccount } from 'viem/accounts';

// Anvil pre-funds the accounts of the well-known development mnemonic, at
// m/44'/60'/0'/0/i. Public knowledge — only ever for the embedded dev chain.
const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

/** `spare` accounts hold anvil's ETH but no protocol state: for tests and manual funding. */
export type DevAccountRole = 'deployer' | 'orchestrator' | 'sender' | 'spare';

export interface DevAccount {
  role: DevAccountRole;
  address: Address;
  privateKey: Hex;
}

/**
 * How many accounts the dev chain can hand out; anvil is told to fund as many
 * as a network uses (`--accounts`). The cap only bounds a typo's cost.
 */
export const MAX_DEV_ACCOUNTS = 256;

let root: HDKey | undefined;
const keys: Hex[] = [];

/** BIP-39 seed by node's native PBKDF2 (the pure-JS path costs half a second), then BIP-32 at anvil's path. */
export function devPrivateKey(index: number): Hex {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_DEV_ACCOUNTS) throw new RangeError(`dev account index ${index} is outside 0..${MAX_DEV_ACCOUNTS - 1}`);
  let key = keys[index];
  if (key === undefined) {
    root ??= HDKey.fromMasterSeed(pbkdf2Sync(DEV_MNEMONIC.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512'));
    key = bytesToHex(root.derive(`m/44'/60'/0'/0/${index}`).privateKey!);
    keys[index] = key;
  }
  return key;
}

/** Account 0 deploys; then `orchestrators` recipients; then `senders` gateways; then spares. */
export function devAccounts(orchestrators: number, senders: number, spares = 0): DevAccount[] {
  const roles: DevAccountRole[] = [
    'deployer',
    ...Array<DevAccountRole>(orchestrators).fill('orchestrator'),
    ...Array<DevAccountRole>(senders).fill('sender'),
    ...Array<DevAccountRole>(spares).fill('spare'),
  ];
  if (roles.length > MAX_DEV_ACCOUNTS) {
    throw new RangeError(`at most ${MAX_DEV_ACCOUNTS - 1} orchestrators + senders + spares on the dev chain`);
  }
  return roles.map((role, index) => {
    const privateKey = devPrivateKey(index);
    return { role, privateKey, address: privateKeyToAccount(privateKey).address };
  });
}
