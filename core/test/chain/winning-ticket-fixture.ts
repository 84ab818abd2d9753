// Builds real winning tickets the way a gateway (signing) and an orchestrator
// (revealing recipientRand) would, for chain and settlement tests.
import { randomBytes } from 'node:crypto';
import { keccak256, maxUint256, numberToHex, type Address, type Hex, type LocalAccount } from 'viem';
import { encodeAuxData, onChainTicketHash, type OnChainTicket } from '../../src/chain/ticket.js';
import type { WinningTicketRecord } from '../../src/payments/redemption/winning-ticket.js';

export interface FixtureInput {
  sender: LocalAccount;
  recipient: Address;
  faceValue: bigint;
  creationRound: bigint;
  creationRoundBlockHash: Hex;
  paramsExpirationBlock: bigint;
  senderNonce?: number;
  /** Default: always wins. */
  winProb?: bigint;
}

export interface SignedWinningTicket {
  ticket: OnChainTicket;
  sig: Hex;
  recipientRand: bigint;
  ticketHash: Hex;
  record: WinningTicketRecord;
}

export async function signWinningTicket(input: FixtureInput): Promise<SignedWinningTicket> {
  const recipientRand = BigInt(`0x${randomBytes(32).toString('hex')}`);
  const ticket: OnChainTicket = {
    recipient: input.recipient,
    sender: input.sender.address,
    faceValue: input.faceValue,
    winProb: input.winProb ?? maxUint256,
    senderNonce: BigInt(input.senderNonce ?? 1),
    recipientRandHash: keccak256(numberToHex(recipientRand, { size: 32 })),
    auxData: encodeAuxData(input.creationRound, input.creationRoundBlockHash),
  };
  const ticketHash = onChainTicketHash(ticket);
  const sig = await input.sender.signMessage({ message: { raw: ticketHash } });
  const record: WinningTicketRecord = {
    recipient: ticket.recipient.toLowerCase() as Hex,
    sender: ticket.sender.toLowerCase() as Hex,
    faceValue: ticket.faceValue.toString(),
    winProb: ticket.winProb.toString(),
    senderNonce: Number(ticket.senderNonce),
    recipientRandHash: ticket.recipientRandHash,
    creationRound: input.creationRound.toString(),
    creationRoundBlockHash: input.creationRoundBlockHash,
    auxData: ticket.auxData,
    sig,
    recipientRand: recipientRand.toString(),
    paramsExpirationBlock: input.paramsExpirationBlock.toString(),
    ticketHash,
    sessionId: 'test-session',
    receivedAt: Date.now(),
  };
  return { ticket, sig, recipientRand, ticketHash, record };
}
