/**
 * Payments as plugins see them: the orchestrator-side balance of the session a
 * job belongs to. The kernel validates tickets and credits their expected value
 * before a job reaches a plugin; a plugin that does paid work checks the balance
 * before it starts and debits the units it produced when it is done. Amounts are
 * wei as exact rationals written `"num/den"` (or `"num"`), never floats.
 */

/** The balance a job is paid from: the ticket sender and the session it paid into. */
export interface PaymentSessionRef {
  /** 0x address of the gateway that sent the tickets. */
  readonly sender: string;
  /** The session (auth token session id, manifest id, capability name...) the credit was booked under. */
  readonly sessionId: string;
}

export interface PaymentsService {
  /** False on nodes without payments (offchain / free mode): every check passes and nothing is debited. */
  readonly enabled: boolean;
  /**
   * Rejects with LPX_ERR_PAYMENTS_INSUFFICIENT_BALANCE unless the session holds at least one ticket's EV (or is free).
   * Asynchronous, like the other two: the balances live in Redis so they survive a restart.
   */
  requireBalance(session: PaymentSessionRef): Promise<void>;
  /** Debits units × the session's fixed price; resolves to the new balance. The balance may go negative. */
  debit(session: PaymentSessionRef, units: bigint): Promise<string>;
  /** The session's balance, or undefined if nothing was paid or debited (or it was forgotten when idle). */
  balance(session: PaymentSessionRef): Promise<string | undefined>;
}
