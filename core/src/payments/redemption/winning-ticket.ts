/**
 * The hand-off of winning tickets to redemption. The orchestrator calls the sink
 * once per winning ticket; the implementation (a durable BullMQ queue) must have
 * persisted the record when `add` resolves, because the record carries the
 * recipientRand that exists nowhere else once the process restarts.
 */
import { addressKey, parseAddress } from '../encoding/address.js';
import { fromHex, toHex, type Hex } from '../encoding/bytes.js';
import type { RedeemableTicket } from '../wire/types.js';

/**
 * JSON-safe winning ticket. Integers are decimal strings, bytes 0x-hex (addresses
 * lower-case). Everything TicketBroker.redeemWinningTicket needs, plus the
 * expiration block the queue waits for before revealing recipientRand.
 */
export interface WinningTicketRecord {
  readonly recipient: Hex;
  readonly sender: Hex;
  readonly faceValue: string;
  readonly winProb: string;
  readonly senderNonce: number;
  readonly recipientRandHash: Hex;
  readonly creationRound: string;
  readonly creationRoundBlockHash: Hex;
  /** 64-byte auxData as the contract takes it. */
  readonly auxData: Hex;
  readonly sig: Hex;
  readonly recipientRand: string;
  readonly paramsExpirationBlock: string;
  /** keccak256 of the packed ticket, the contract's usedTickets key; a natural job id. */
  readonly ticketHash: Hex;
  /** The session the ticket was received under, for logs and metrics. */
  readonly sessionId: string;
  /** Unix milliseconds. */
  readonly receivedAt: number;
}

export interface WinningTicketSink {
  add(ticket: WinningTicketRecord): Promise<void>;
}

export function winningTicketRecordToRedeemable(record: WinningTicketRecord): RedeemableTicket {
  return {
    ticketParams: {
      recipient: parseAddress(record.recipient),
      faceValue: BigInt(record.faceValue),
      winProb: BigInt(record.winProb),
      recipientRandHash: fromHex(record.recipientRandHash),
      seed: 0n,
      expirationBlock: BigInt(record.paramsExpirationBlock),
    },
    sender: parseAddress(record.sender),
    expirationParams: { creationRound: BigInt(record.creationRound), creationRoundBlockHash: fromHex(record.creationRoundBlockHash) },
    senderParams: { senderNonce: record.senderNonce, sig: fromHex(record.sig) },
    recipientRand: BigInt(record.recipientRand),
  };
}

export interface WinningTicketRecordInput {
  readonly ticket: RedeemableTicket;
  readonly auxData: Uint8Array;
  readonly ticketHash: Uint8Array;
  readonly sessionId: string;
  readonly receivedAt: number;
}

export function toWinningTicketRecord(input: WinningTicketRecordInput): WinningTicketRecord {
  const { ticket } = input;
  return {
    recipient: addressKey(ticket.ticketParams.recipient) as Hex,
    sender: addressKey(ticket.sender) as Hex,
    faceValue: ticket.ticketParams.faceValue.toString(),
    winProb: ticket.ticketParams.winProb.toString(),
    senderNonce: ticket.senderParams.senderNonce,
    recipientRandHash: toHex(ticket.ticketParams.recipientRandHash),
    creationRound: ticket.expirationParams.creationRound.toString(),
    creationRoundBlockHash: toHex(ticket.expirationParams.creationRoundBlockHash),
    auxData: toHex(input.auxData),
    sig: toHex(ticket.senderParams.sig),
    recipientRand: ticket.recipientRand.toString(),
    paramsExpirationBlock: ticket.ticketParams.expirationBlock.toString(),
    ticketHash: toHex(input.ticketHash),
    sessionId: input.sessionId,
    receivedAt: input.receivedAt,
  };
}
