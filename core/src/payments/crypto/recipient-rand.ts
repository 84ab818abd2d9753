/**
 * recipientRand: the orchestrator's per-params secret number whose hash goes in
 * the ticket. It is an HMAC over the params under a per-process secret, so the
 * orchestrator keeps no state per params and can recompute it from what the
 * sender echoes back; any change to the echoed params changes the value.
 */
import { createHmac } from 'node:crypto';
import type { Address } from '../encoding/address.js';
import { bigIntToMinimalBytes, bigIntToWord, bytesToBigInt } from '../encoding/bytes.js';
import type { Rational } from '../math/rational.js';
import { keccak256 } from './keccak256.js';

export interface RecipientRandInputs {
  readonly seed: bigint;
  readonly sender: Address;
  readonly faceValue: bigint;
  readonly winProb: bigint;
  readonly expirationBlock: bigint;
  /** Reduced; numerator and denominator are hashed separately. */
  readonly price: Rational;
  /** 0 or 64 bytes, see auxData(). */
  readonly auxData: Uint8Array;
}

/** HMAC-SHA256(secret, seed ‖ sender ‖ faceValue ‖ winProb ‖ expirationBlock ‖ num ‖ den ‖ auxData), integers minimal big-endian. */
export function deriveRecipientRand(secret: Uint8Array, inputs: RecipientRandInputs): bigint {
  const mac = createHmac('sha256', secret);
  mac.update(bigIntToMinimalBytes(inputs.seed));
  mac.update(inputs.sender);
  mac.update(bigIntToMinimalBytes(inputs.faceValue));
  mac.update(bigIntToMinimalBytes(inputs.winProb));
  mac.update(bigIntToMinimalBytes(inputs.expirationBlock));
  mac.update(bigIntToMinimalBytes(inputs.price.num));
  mac.update(bigIntToMinimalBytes(inputs.price.den));
  mac.update(inputs.auxData);
  return bytesToBigInt(mac.digest());
}

/** keccak256 of the value as a 32-byte word. */
export function recipientRandHash(recipientRand: bigint): Uint8Array {
  return keccak256(bigIntToWord(recipientRand));
}
