import { concat, encodePacked, keccak256, numberToHex, pad, type Address, type Hex } from 'viem';

/** A ticket exactly as TicketBroker.redeemWinningTicket takes it. */
export interface OnChainTicket {
  recipient: Address;
  sender: Address;
  faceValue: bigint;
  winProb: bigint;
  senderNonce: bigint;
  recipientRandHash: Hex;
  /** pad32(creationRound) ‖ creationRoundBlockHash: 64 bytes for redemption. */
  auxData: Hex;
}

export function encodeAuxData(creationRound: bigint, creationRoundBlockHash: Hex): Hex {
  return concat([numberToHex(creationRound, { size: 32 }), pad(creationRoundBlockHash, { size: 32 })]);
}

export function decodeAuxData(auxData: Hex): { creationRound: bigint; creationRoundBlockHash: Hex } | undefined {
  if (auxData.length !== 2 + 128) return undefined;
  return { creationRound: BigInt(`0x${auxData.slice(2, 66)}`), creationRoundBlockHash: `0x${auxData.slice(66)}` };
}

/** keccak256 of the packed ticket: the hash the sender signs and usedTickets is keyed by. */
export function onChainTicketHash(ticket: OnChainTicket): Hex {
  return keccak256(
    encodePacked(
      ['address', 'address', 'uint256', 'uint256', 'uint256', 'bytes32', 'bytes'],
      [ticket.recipient, ticket.sender, ticket.faceValue, ticket.winProb, ticket.senderNonce, ticket.recipientRandHash, ticket.auxData],
    ),
  );
}

/** uint256(keccak256(sig ‖ pad32(recipientRand))) < winProb — the contract's winning rule. */
export function isWinningTicket(sig: Hex, recipientRand: bigint, winProb: bigint): boolean {
  return BigInt(keccak256(concat([sig, numberToHex(recipientRand, { size: 32 })]))) < winProb;
}
