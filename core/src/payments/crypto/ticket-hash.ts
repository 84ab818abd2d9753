/**
 * The ticket hash every party signs and the TicketBroker recomputes:
 * keccak256(recipient ‖ sender ‖ faceValue ‖ winProb ‖ senderNonce ‖
 * recipientRandHash ‖ auxData), i.e. Solidity's abi.encodePacked of the
 * contract's Ticket struct, with auxData = uint256(creationRound) ‖ blockHash.
 */
import { isAllZero, writeUint32Word, writeWord } from '../encoding/bytes.js';
import type { Ticket } from '../wire/types.js';
import { keccak256 } from './keccak256.js';

const NONCE_OFFSET = 104;
const BASE_LENGTH = 168;

/**
 * Empty when both the round and its block hash are zero (tickets from before
 * rounds were bound into tickets), otherwise 64 bytes.
 */
export function auxData(creationRound: bigint, creationRoundBlockHash: Uint8Array): Uint8Array {
  if (creationRound === 0n && isAllZero(creationRoundBlockHash)) return new Uint8Array(0);
  const out = new Uint8Array(64);
  writeWord(out, 0, creationRound);
  out.set(creationRoundBlockHash.subarray(0, 32), 32 + Math.max(0, 32 - creationRoundBlockHash.length));
  return out;
}

type TicketTemplate = Omit<Ticket, 'senderNonce'>;

function packTemplate(t: TicketTemplate): Uint8Array {
  const aux = auxData(t.creationRound, t.creationRoundBlockHash);
  const buf = new Uint8Array(BASE_LENGTH + aux.length);
  buf.set(t.recipient, 0);
  buf.set(t.sender, 20);
  writeWord(buf, 40, t.faceValue);
  writeWord(buf, 72, t.winProb);
  buf.set(t.recipientRandHash, 136);
  buf.set(aux, BASE_LENGTH);
  return buf;
}

/** The packed preimage (168 or 232 bytes). */
export function packTicket(ticket: Ticket): Uint8Array {
  const buf = packTemplate(ticket);
  writeUint32Word(buf, NONCE_OFFSET, ticket.senderNonce);
  return buf;
}

export function ticketHash(ticket: Ticket): Uint8Array {
  return keccak256(packTicket(ticket));
}

/**
 * Tickets of one batch differ only in their nonce, so the preimage is packed once
 * and only the nonce word is rewritten per ticket.
 */
export class BatchTicketHasher {
  private readonly buf: Uint8Array;

  constructor(template: TicketTemplate) {
    this.buf = packTemplate(template);
  }

  hash(senderNonce: number): Uint8Array {
    writeUint32Word(this.buf, NONCE_OFFSET, senderNonce);
    return keccak256(this.buf);
  }
}
