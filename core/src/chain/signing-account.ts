/**
 * The node's LocalAccount with message signing on the process-wide secp256k1
 * backend (native libsecp256k1 when it loads, noble otherwise) instead of viem's
 * pure-JS path. Transactions and typed data still go through viem: they are rare;
 * personal-sign is per ticket and per job. Both backends sign RFC 6979
 * deterministically with low S, so the bytes equal viem's (tested).
 */
import type { Hex, LocalAccount, SignableMessage } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { defaultSecp256k1Backend, fromHex, signPersonalMessage, toHex, type PersonalBytesSigner, type Secp256k1Backend } from '../payments/index.js';

export type SigningAccount = LocalAccount & PersonalBytesSigner;

/** viem's SignableMessage as the bytes it personal-signs: a string is UTF-8, `raw` is taken as is. */
function signableBytes(message: SignableMessage): Uint8Array {
  if (typeof message === 'string') return new TextEncoder().encode(message);
  return typeof message.raw === 'string' ? fromHex(message.raw) : message.raw;
}

export function signingAccount(privateKey: Hex, backend: Secp256k1Backend = defaultSecp256k1Backend()): SigningAccount {
  const base = privateKeyToAccount(privateKey);
  const key = fromHex(privateKey);
  const signPersonalBytes = (message: Uint8Array): Uint8Array => signPersonalMessage(message, key, backend);
  return {
    ...base,
    signPersonalBytes,
    signMessage: async ({ message }) => toHex(signPersonalBytes(signableBytes(message))),
  };
}
