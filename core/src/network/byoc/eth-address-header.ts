/**
 * `Livepeer-Eth-Address`: std-base64 of JSON `{"addr":"0x…","sig":"0x…"}`, the
 * gateway's proof of address on `GET /process/token`. The sig is the one a
 * gateway sends in OrchestratorRequest (personal_sign over keccak256 of its EIP-55
 * address string). go-livepeer verifies it over the `addr` string exactly as
 * sent, so a gateway must send the same casing it signed; we do the same.
 */
import { errors } from '@lpx/sdk';
import { addressKey, fromHex, keccak256, SignatureVerifier, toChecksumAddress, toHex, type Address } from '../../payments/index.js';
import { gatewayCredentials, type GatewaySigner } from '../auth/gateway-signature.js';
import { parseSignatureHex } from './job-request.js';

export const ETH_ADDRESS_HEADER = 'Livepeer-Eth-Address';
export const CAPABILITY_HEADER = 'Livepeer-Capability';

/** go-livepeer's JobSender. */
export interface JobSender {
  readonly addr: string;
  readonly sig: string;
}

/** The JobSender a gateway sends: EIP-55 address and its signature. Compute once per process. */
export async function jobSenderFor(signer: GatewaySigner): Promise<JobSender> {
  const creds = await gatewayCredentials(signer);
  return { addr: toChecksumAddress(creds.address), sig: toHex(creds.sig) };
}

export function encodeEthAddressHeader(sender: JobSender): string {
  return Buffer.from(JSON.stringify({ addr: sender.addr, sig: sender.sig }), 'utf8').toString('base64');
}

const MAX_HEADER_CHARS = 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function invalid(message: string): never {
  throw errors.orchestrator.ETH_ADDRESS_INVALID.create(message);
}

export function decodeEthAddressHeader(value: string | undefined): JobSender {
  if (value === undefined || value.trim() === '') invalid('Must have eth address and signature on address in Livepeer-Eth-Address header');
  const text = value.trim();
  if (text.length > MAX_HEADER_CHARS) invalid(`Invalid eth address header: ${text.length} characters, the limit is ${MAX_HEADER_CHARS}`);
  if (text.length % 4 !== 0 || !BASE64.test(text)) invalid('Invalid eth address header: not std-base64');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    invalid('Invalid eth address header: not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) invalid('Invalid eth address header: not a JSON object');
  const { addr, sig } = parsed as Record<string, unknown>;
  if (typeof addr !== 'string' || typeof sig !== 'string') invalid('Invalid eth address header: addr and sig must be strings');
  return { addr, sig };
}

/** The orchestrator's check; returns the proven address. */
export function verifyEthAddressHeader(sender: JobSender, verifier: SignatureVerifier = new SignatureVerifier()): Address {
  const body = sender.addr.startsWith('0x') || sender.addr.startsWith('0X') ? sender.addr.slice(2) : sender.addr;
  if (!/^[0-9a-fA-F]{40}$/.test(body)) invalid('Invalid eth address header: addr is not a 20-byte hex address');
  const address = fromHex(body);
  const sig = parseSignatureHex(sender.sig);
  if (sig === undefined) invalid('Invalid eth address header: sig is not 65 bytes of hex');
  const fault = verifier.verify(address, addressKey(address), keccak256(new TextEncoder().encode(sender.addr)), sig);
  if (fault !== undefined) invalid(`Invalid eth address header: ${fault}`);
  return address;
}
