import { keccak256, stringToBytes, type Hex } from 'viem';

/** Names the Controller registers protocol contracts under (go-livepeer resolves the same names). */
export const PROTOCOL_CONTRACT_NAMES = ['TicketBroker', 'RoundsManager', 'BondingManager', 'ServiceRegistry'] as const;
export type ProtocolContractName = (typeof PROTOCOL_CONTRACT_NAMES)[number];

/** Controller key for a contract: keccak256 of the UTF-8 name. */
export function contractId(name: string): Hex {
  return keccak256(stringToBytes(name));
}

/** Controller addresses of the live networks, as go-livepeer ships them. */
export const KNOWN_CONTROLLERS = {
  arbitrumOne: '0xD8E8328501E9645d16Cf49539efC04f734606ee4',
  ethereumMainnet: '0xf96d54e490317c557a967abfa5d6e33006be69b3',
} as const;
