import { isAddress, isHex, type Address, type Hex } from 'viem';
import { chainErrors } from '../chain/chain-errors.js';
import { decodeAuxData, onChainTicketHash, type OnChainTicket } from '../chain/ticket.js';
import type { WinningTicketRecord } from '../payments/redemption/winning-ticket.js';

/** A winning-ticket record parsed into what TicketBroker.redeemWinningTicket takes. */
export interface RedeemableOnChain {
  ticket: OnChainTicket;
  sig: Hex;
  recipientRand: bigint;
  ticketHash: Hex;
  creationRound: bigint;
  paramsExpirationBlock: bigint;
}

const invalid = (record: WinningTicketRecord, why: string) =>
  chainErrors.SETTLEMENT_TICKET_INVALID.create(`winning ticket ${record.ticketHash}: ${why}`, { details: { ticketHash: record.ticketHash } });

function uint(record: WinningTicketRecord, field: keyof WinningTicketRecord): bigint {
  const value = String(record[field]);
  if (!/^\d+$/.test(value)) throw invalid(record, `${field} is not a decimal integer`);
  return BigInt(value);
}

/**
 * Parses and cross-checks a record: the hash it claims must be the hash of
 * the fields it carries, so the BullMQ job id (derived from the hash) and
 * the on-chain usedTickets key can never disagree.
 */
export function toRedeemable(record: WinningTicketRecord): RedeemableOnChain {
  if (!isAddress(record.recipient, { strict: false }) || !isAddress(record.sender, { strict: false })) {
    throw invalid(record, 'recipient or sender is not an address');
  }
  if (!isHex(record.sig) || record.sig.length !== 2 + 130) throw invalid(record, 'sig is not 65 bytes');
  if (!isHex(record.recipientRandHash) || record.recipientRandHash.length !== 66) throw invalid(record, 'recipientRandHash is not 32 bytes');
  const aux = isHex(record.auxData) ? decodeAuxData(record.auxData) : undefined;
  if (aux === undefined) throw invalid(record, 'auxData must be 64 bytes (creation round and its block hash)');
  const ticket: OnChainTicket = {
    recipient: record.recipient as Address,
    sender: record.sender as Address,
    faceValue: uint(record, 'faceValue'),
    winProb: uint(record, 'winProb'),
    senderNonce: uint(record, 'senderNonce'),
    recipientRandHash: record.recipientRandHash,
    auxData: record.auxData,
  };
  const ticketHash = onChainTicketHash(ticket);
  if (ticketHash.toLowerCase() !== record.ticketHash.toLowerCase()) throw invalid(record, `fields hash to ${ticketHash}`);
  return {
    ticket,
    sig: record.sig,
    recipientRand: uint(record, 'recipientRand'),
    ticketHash,
    creationRound: aux.creationRound,
    paramsExpirationBlock: uint(record, 'paramsExpirationBlock'),
  };
}

/**
 * BullMQ job id for a ticket. Derived from the ticket hash so adding the same
 * winning ticket twice (a retried hand-off, a replay after restart) is a no-op.
 */
export function redemptionJobId(ticketHash: Hex | string): string {
  return `ticket-${ticketHash.toLowerCase()}`;
}
