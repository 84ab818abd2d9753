/**
 * A ticket wins when uint256(keccak256(sig ‖ uint256(recipientRand))) < winProb.
 * Neither party can steer the outcome alone: the sender fixed its signature before
 * seeing recipientRand, the recipient committed to recipientRand before the sig.
 */
import { bigIntToWord } from '../encoding/bytes.js';
import { keccak256 } from './keccak256.js';

/** Big-endian unsigned comparison of two 32-byte words: a < b. */
function wordLessThan(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y;
  }
  return false;
}

export function isWinningTicket(sig: Uint8Array, recipientRand: bigint, winProb: bigint): boolean {
  return new WinningCheck(recipientRand, winProb).wins(sig);
}

/** The check for many signatures against the same recipientRand and winProb. */
export class WinningCheck {
  private readonly randWord: Uint8Array;
  private readonly winProbWord: Uint8Array | undefined;
  private readonly canWin: boolean;

  constructor(recipientRand: bigint, winProb: bigint) {
    this.randWord = bigIntToWord(recipientRand);
    this.canWin = winProb > 0n;
    // winProb can exceed 2^256 − 1 only on malformed input; treat it as certain.
    this.winProbWord = winProb < 1n << 256n ? bigIntToWord(winProb) : undefined;
  }

  wins(sig: Uint8Array): boolean {
    if (!this.canWin) return false;
    const buf = new Uint8Array(sig.length + 32);
    buf.set(sig, 0);
    buf.set(this.randWord, sig.length);
    const h = keccak256(buf);
    return this.winProbWord === undefined || wordLessThan(h, this.winProbWord);
  }
}
