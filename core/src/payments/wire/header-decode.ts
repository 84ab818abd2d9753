/**
 * Human-readable view of a Livepeer-Payment header, the JSON `lpx pm decode`
 * prints. Each ticket's hash is recomputed and its signer recovered, so an
 * operator can see at a glance whether a gateway signs what it sends.
 */
import { toChecksumAddress } from '../encoding/address.js';
import { ZERO_ADDRESS, ZERO_HASH, toHex, type Hex } from '../encoding/bytes.js';
import { SignatureVerifier } from '../crypto/signature.js';
import { BatchTicketHasher } from '../crypto/ticket-hash.js';
import { decodePaymentHeaderValue } from './payment-codec.js';

export interface DecodedTicket {
  readonly senderNonce: number;
  readonly hash: Hex;
  /** Recovered signer, or null when the signature is malformed or recovers nothing. */
  readonly signer: Hex | null;
  readonly signatureValid: boolean;
}

export interface DecodedPaymentHeader {
  readonly sender: Hex | null;
  readonly recipient: Hex | null;
  readonly faceValue: string;
  readonly winProb: string;
  readonly expirationBlock: string;
  readonly creationRound: string;
  readonly expectedPrice: { readonly pricePerUnit: string; readonly pixelsPerUnit: string } | null;
  readonly tickets: readonly DecodedTicket[];
}

export function decodePaymentHeader(base64: string, verifier: SignatureVerifier = new SignatureVerifier()): DecodedPaymentHeader {
  const payment = decodePaymentHeaderValue(base64);
  const params = payment.ticketParams;
  const expiration = payment.expirationParams ?? params?.expirationParams ?? { creationRound: 0n, creationRoundBlockHash: ZERO_HASH };
  const hasher = new BatchTicketHasher({
    recipient: params?.recipient ?? ZERO_ADDRESS,
    sender: payment.sender ?? ZERO_ADDRESS,
    faceValue: params?.faceValue ?? 0n,
    winProb: params?.winProb ?? 0n,
    recipientRandHash: params?.recipientRandHash ?? ZERO_HASH,
    creationRound: expiration.creationRound,
    creationRoundBlockHash: expiration.creationRoundBlockHash,
  });
  const tickets = payment.ticketSenderParams.map((sp): DecodedTicket => {
    const hash = hasher.hash(sp.senderNonce);
    const recovered = verifier.recover(hash, sp.sig);
    const signer = 'address' in recovered ? toChecksumAddress(recovered.address) : null;
    const expected = payment.sender !== undefined ? toChecksumAddress(payment.sender) : null;
    return { senderNonce: sp.senderNonce, hash: toHex(hash), signer, signatureValid: signer !== null && signer === expected };
  });
  return {
    sender: payment.sender !== undefined ? toChecksumAddress(payment.sender) : null,
    recipient: params !== undefined ? toChecksumAddress(params.recipient) : null,
    faceValue: (params?.faceValue ?? 0n).toString(),
    winProb: (params?.winProb ?? 0n).toString(),
    expirationBlock: (params?.expirationBlock ?? 0n).toString(),
    creationRound: expiration.creationRound.toString(),
    expectedPrice:
      payment.expectedPrice !== undefined
        ? { pricePerUnit: payment.expectedPrice.pricePerUnit.toString(), pixelsPerUnit: payment.expectedPrice.pixelsPerUnit.toString() }
        : null,
    tickets,
  };
}
