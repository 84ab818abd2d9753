/**
 * Where an orchestrator keeps what senders paid it: per (sender, session) an
 * exact balance and the session's fixed price, plus the ticket nonces seen per
 * set of ticket params (replay protection). One store serves one recipient.
 *
 * Recording a payment's nonces and crediting its EV is ONE step
 * (`creditTickets`): a store that could record without crediting loses the
 * sender's money, one that could credit without recording credits a replay.
 * Implementations: MemoryCreditStore (one process, tests) and RedisCreditStore
 * (durable, shared by every instance of the recipient; ADR 0106).
 */
import type { Rational } from '../math/rational.js';

export type NonceOutcome = 'recorded' | 'replayed' | 'too_many';

export interface TicketCredit {
  /** Lower-case 0x sender (addressKey). */
  readonly sender: string;
  readonly sessionId: string;
  /** Identifies the ticket params (their recipientRand, hex). */
  readonly paramsKey: string;
  /** The params' expiration block: the nonce set is kept until it passes. */
  readonly expirationBlock: bigint;
  /** Nonces of the tickets whose signature checked out, in payment order. */
  readonly nonces: readonly number[];
  /**
   * How many leading entries of `nonces` may be credited: the tickets before the
   * payment's first bad signature, 0 for expired params. Of those, the leading
   * ones whose nonce is recorded now are credited (ADR 0103).
   */
  readonly creditable: number;
  readonly ticketEV: Rational;
}

export interface TicketCreditResult {
  /** One per entry of `nonces`. */
  readonly outcomes: readonly NonceOutcome[];
  readonly creditedTickets: number;
  /**
   * The session's balance right after this step, when the store knows it without
   * another read (callers fall back to `balance`); zero when nothing was ever credited.
   */
  readonly balance?: Rational;
}

export interface CreditStore {
  /** Records the nonces and credits EV × the leading recorded creditable tickets, atomically. */
  creditTickets(credit: TicketCredit): Promise<TicketCreditResult>;
  /** Subtracts `amount` (may go negative); returns the new balance. */
  debit(sender: string, sessionId: string, amount: Rational): Promise<Rational>;
  /** Undefined for a session never paid, priced or debited (or expired when idle). */
  balance(sender: string, sessionId: string): Promise<Rational | undefined>;
  fixedPrice(sender: string, sessionId: string): Promise<Rational | undefined>;
  /** Fixes the session price unless one is fixed already; returns the price in force. */
  fixPriceOnce(sender: string, sessionId: string, price: Rational): Promise<Rational>;
  /** Forgets nonce sets of params that expired at or before `latestBlock`; returns how many. */
  pruneExpired(latestBlock: bigint): Promise<number>;
}
