/**
 * Decoded payment messages. Integers are bigint (never number: face values and
 * win probabilities are uint256), addresses 20 raw bytes, hashes 32 raw bytes.
 * Field names follow the .proto in camelCase.
 */
import type { Address } from '../encoding/address.js';

export interface PriceInfo {
  readonly pricePerUnit: bigint;
  readonly pixelsPerUnit: bigint;
  readonly capability?: number;
  readonly constraint?: string;
}

export interface TicketExpirationParams {
  readonly creationRound: bigint;
  readonly creationRoundBlockHash: Uint8Array;
}

export interface TicketParams {
  readonly recipient: Address;
  readonly faceValue: bigint;
  readonly winProb: bigint;
  readonly recipientRandHash: Uint8Array;
  readonly seed: bigint;
  readonly expirationBlock: bigint;
  readonly expirationParams?: TicketExpirationParams;
}

export interface TicketSenderParams {
  readonly senderNonce: number;
  readonly sig: Uint8Array;
}

export interface Payment {
  readonly ticketParams?: TicketParams;
  readonly sender?: Address;
  readonly expirationParams?: TicketExpirationParams;
  readonly ticketSenderParams: readonly TicketSenderParams[];
  readonly expectedPrice?: PriceInfo;
}

/** The fields a ticket hash covers, in contract order (the TicketBroker Ticket struct + round). */
export interface Ticket {
  readonly recipient: Address;
  readonly sender: Address;
  readonly faceValue: bigint;
  readonly winProb: bigint;
  readonly senderNonce: number;
  readonly recipientRandHash: Uint8Array;
  readonly creationRound: bigint;
  readonly creationRoundBlockHash: Uint8Array;
}

/** redeemer.proto's Ticket: one winning ticket plus the revealed recipientRand. */
export interface RedeemableTicket {
  readonly ticketParams: TicketParams;
  readonly sender: Address;
  readonly expirationParams: TicketExpirationParams;
  readonly senderParams: TicketSenderParams;
  readonly recipientRand: bigint;
}
