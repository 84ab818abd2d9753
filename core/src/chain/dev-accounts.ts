import type { Address, Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

// The first keys of the well-known development mnemonic
// ("test test test test test test test test test test test junk") that anvil
// pre-funds. Public knowledge — only ever for the embedded dev chain.
const WELL_KNOWN_DEV_KEYS: readonly Hex[] = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
];

/** `spare` accounts hold anvil's ETH but no protocol state: for tests and manual funding. */
export type DevAccountRole = 'deployer' | 'orchestrator' | 'sender' | 'spare';

export interface DevAccount {
  role: DevAccountRole;
  address: Address;
  privateKey: Hex;
}

export const MAX_DEV_ACCOUNTS = WELL_KNOWN_DEV_KEYS.length;

/** Account 0 deploys; then `orchestrators` recipients; then `senders` gateways; then spares. */
export function devAccounts(orchestrators: number, senders: number, spares = 0): DevAccount[] {
  const roles: DevAccountRole[] = [
    'deployer',
    ...Array<DevAccountRole>(orchestrators).fill('orchestrator'),
    ...Array<DevAccountRole>(senders).fill('sender'),
    ...Array<DevAccountRole>(spares).fill('spare'),
  ];
  if (roles.length > WELL_KNOWN_DEV_KEYS.length) {
    throw new RangeError(`at most ${WELL_KNOWN_DEV_KEYS.length - 1} orchestrators + senders + spares on the dev chain`);
  }
  return roles.map((role, index) => {
    const privateKey = WELL_KNOWN_DEV_KEYS[index] as Hex;
    return { role, privateKey, address: privateKeyToAccount(privateKey).address };
  });
}
