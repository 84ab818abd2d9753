/**
 * The gateway's proof of address in OrchestratorRequest: a 65-byte EIP-191
 * personal_sign over keccak256 of its EIP-55 `0x…` address string (the exact
 * ASCII go-livepeer signs, checksum casing included). Gateways compute it once
 * at start; orchestrators check it on every GetOrchestrator.
 */
// The payments modules one by one, not their barrel (wire codecs, protobufjs): every node loads this file (ADR 0063).
import { addressKey, toChecksumAddress, type Address } from '../../payments/encoding/address.js';
import { keccak256 } from '../../payments/crypto/keccak256.js';
import { personalBytesSignerOf } from '../../payments/crypto/personal-bytes-signer.js';
import { SignatureVerifier, type SignatureFault } from '../../payments/crypto/signature.js';

/** The 32-byte message a gateway personal-signs for `address`. */
export function gatewaySignatureMessage(address: Address): Uint8Array {
  return keccak256(new TextEncoder().encode(toChecksumAddress(address)));
}

/** go-livepeer reads the claimed address with BytesToAddress: the last 20 bytes, left-padded. */
export function claimedAddress(raw: Uint8Array): Address {
  if (raw.length >= 20) return raw.slice(raw.length - 20);
  const out = new Uint8Array(20);
  out.set(raw, 20 - raw.length);
  return out;
}

export type GatewaySignatureCheck = (address: Address, sig: Uint8Array) => SignatureFault | undefined;

/** The orchestrator's check; low-S and V ∈ {27, 28} are required, as go-livepeer does. */
export function gatewaySignatureVerifier(verifier: SignatureVerifier = new SignatureVerifier()): GatewaySignatureCheck {
  return (address, sig) => verifier.verify(address, addressKey(address), gatewaySignatureMessage(address), sig);
}

/**
 * Anything that can personal-sign raw bytes (EIP-191, V = 27/28). A viem
 * LocalAccount (`privateKeyToAccount`) fits as is; a remote signer can be wrapped.
 */
export interface PersonalSigner {
  readonly address: `0x${string}`;
  signMessage(args: { message: { raw: Uint8Array } }): Promise<`0x${string}`>;
}

export type GatewaySigner = PersonalSigner;

export async function personalSign(signer: PersonalSigner, message: Uint8Array): Promise<Uint8Array> {
  // The node's own account signs in process (chain/signing-account.ts): no hex round trip.
  const local = personalBytesSignerOf(signer);
  if (local !== undefined) return local.signPersonalBytes(message);
  const sigHex = await signer.signMessage({ message: { raw: message } });
  return Uint8Array.from(Buffer.from(sigHex.slice(2), 'hex'));
}

/** The address/sig pair a gateway sends in every OrchestratorRequest. */
export interface GatewayCredentials {
  readonly address: Address;
  readonly sig: Uint8Array;
}

/**
 * One signature per signer and address: the signed bytes are the address itself,
 * and both backends sign deterministically (RFC 6979), so re-signing would only
 * reproduce the same 65 bytes. A failed signature is not remembered.
 */
const credentialsCache = new WeakMap<GatewaySigner, { address: string; credentials: Promise<GatewayCredentials> }>();

export function gatewayCredentials(signer: GatewaySigner): Promise<GatewayCredentials> {
  const cached = credentialsCache.get(signer);
  if (cached !== undefined && cached.address === signer.address) return cached.credentials;
  const address = Uint8Array.from(Buffer.from(signer.address.slice(2), 'hex'));
  const credentials = personalSign(signer, gatewaySignatureMessage(address)).then((sig) => ({ address, sig }));
  const entry = { address: signer.address, credentials };
  credentialsCache.set(signer, entry);
  credentials.catch(() => {
    if (credentialsCache.get(signer) === entry) credentialsCache.delete(signer);
  });
  return credentials;
}
