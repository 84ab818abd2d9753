/**
 * One Livepeer-Payment header in, credit out (go-livepeer's ProcessPayment):
 * decode, check the payment as a whole, validate its tickets, credit EV to the
 * (sender, session) balance exactly once per ticket, and hand winners to the
 * redemption sink. Also the debit and balance checks around paid work, all
 * asynchronous because the balances live in a CreditStore (Redis on a chain,
 * ADR 0106).
 */
import { isLpxError, type LpxError } from '@lpx/sdk';
import type { ActiveSetSource, RoundsSource } from '../chain/sources.js';
import { Balances } from '../accounting/balances.js';
import type { CreditStore } from '../accounting/credit-store.js';
import { MemoryCreditStore } from '../accounting/memory-credit-store.js';
import { addressKey, toChecksumAddress, type Address } from '../encoding/address.js';
import { paymentErrors, refusal, refusalReason } from '../errors.js';
import { priceFromInfo } from '../math/price.js';
import { Rational } from '../math/rational.js';
import { toWinningTicketRecord, type WinningTicketSink } from '../redemption/winning-ticket.js';
import { decodePaymentHeaderValue } from '../wire/payment-codec.js';
import type { Payment, PriceInfo } from '../wire/types.js';
import type { Recipient } from './recipient.js';
import { noRefusalCounter, type RefusalCounter, type RefusalReason } from './refusal-counter.js';
import type { SenderMonitor } from './sender-monitor.js';

export interface PaymentProcessorDeps {
  readonly recipient: Recipient;
  /** Where credit and nonces live; defaults to memory over `balances`. */
  readonly credits?: CreditStore;
  /** Only for the in-memory default: the Balances it keeps (tests inspect them). */
  readonly balances?: Balances;
  readonly sink: WinningTicketSink;
  readonly rounds: RoundsSource;
  readonly senderMonitor: SenderMonitor;
  /** When present, tickets for a recipient outside the active set are refused. */
  readonly activeSet?: ActiveSetSource;
  readonly refusals?: RefusalCounter;
  /** Counts tickets received and credited (the refusal counter's counterparts, for /metrics). */
  readonly tickets?: TicketCounters;
  readonly now?: () => number;
}

export interface TicketCounters {
  /** Tickets in a payment that decoded. */
  received(count: number): void;
  /** Tickets whose EV was credited; `value` is their total EV in wei and `sender` the payer (metrics and events only observe). */
  credited(count: number, value?: Rational, sender?: string): void;
}

export interface PaymentReceipt {
  /** Lower-case 0x sender, or undefined for an empty (free) payment. */
  readonly sender: string | undefined;
  readonly sessionId: string;
  readonly tickets: number;
  readonly creditedTickets: number;
  readonly credited: Rational;
  readonly winningTickets: number;
  /** The session price in force after this payment. */
  readonly price: Rational | undefined;
  /** The session's balance right after the credit, when the store reported it (saves a read). */
  readonly balance?: Rational;
}

export class PaymentProcessor {
  readonly credits: CreditStore;
  private readonly refusals: RefusalCounter;
  private readonly now: () => number;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: PaymentProcessorDeps) {
    this.credits = deps.credits ?? new MemoryCreditStore(deps.balances ?? new Balances());
    this.refusals = deps.refusals ?? noRefusalCounter;
    this.now = deps.now ?? Date.now;
  }

  /** Forgets nonce sets of expired params on every new L1 block. */
  start(onError?: (error: unknown) => void): void {
    if (this.unsubscribe !== undefined || this.deps.rounds.subscribeL1Blocks === undefined) return;
    this.unsubscribe = this.deps.rounds.subscribeL1Blocks((block) => {
      this.credits.pruneExpired(block).catch((error: unknown) => onError?.(error));
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Accepts the raw header value or an already decoded Payment. */
  async processPayment(payment: string | Payment, sessionId: string): Promise<PaymentReceipt> {
    try {
      return await this.process(typeof payment === 'string' ? decodePaymentHeaderValue(payment) : payment, sessionId);
    } catch (error) {
      if (isLpxError(error) && error.details?.['counted'] !== true) this.refusals.inc({ reason: refusalReason(error) ?? 'other' });
      throw error;
    }
  }

  private async process(payment: Payment, sessionId: string): Promise<PaymentReceipt> {
    const credits = this.credits;
    const params = payment.ticketParams;
    if (payment.ticketSenderParams.length > 0) this.deps.tickets?.received(payment.ticketSenderParams.length);
    if (params !== undefined && payment.sender === undefined) {
      throw refusal(paymentErrors.MISSING_SENDER, 'Could not find Sender for payment', 'missing_sender', true);
    }
    const sender = payment.sender;
    if (params === undefined || sender === undefined) {
      // No params means a zero price: the session is fixed at 0 (go-livepeer does the same).
      const price = sender === undefined ? undefined : await credits.fixPriceOnce(addressKey(sender), sessionId, Rational.ZERO);
      return { sender: sender && addressKey(sender), sessionId, tickets: 0, creditedTickets: 0, credited: Rational.ZERO, winningTickets: 0, price };
    }

    await this.checkActive(params.recipient);
    const price = priceFromInfo(payment.expectedPrice);
    const senderKey = addressKey(sender);
    // Fixed on the first payment (ADR 0101), go-livepeer fixes it one payment later.
    const sessionPrice = await credits.fixPriceOnce(senderKey, sessionId, price);

    const expirationParams = payment.expirationParams ?? (payment.ticketSenderParams.length === 0 ? { creationRound: 0n, creationRoundBlockHash: new Uint8Array(32) } : undefined);
    if (expirationParams === undefined) {
      throw refusal(paymentErrors.MISSING_EXPIRATION_PARAMS, 'payment has tickets but no expiration params', 'missing_expiration_params', true);
    }

    this.deps.senderMonitor.touch(sender);
    // The store records the nonces and credits in one step, before the winners'
    // hand-off: this is the one moment these tickets can ever be credited.
    let balance: Rational | undefined;
    const outcome = await this.deps.recipient.receiveBatch({ sender, params, expirationParams, price, senderParams: payment.ticketSenderParams }, async (commit) => {
      const result = await credits.creditTickets({ ...commit, sender: senderKey, sessionId });
      balance = result.balance;
      return result;
    });
    for (const reason of outcome.refusedReasons) this.refusals.inc({ reason });
    const credited = outcome.ticketEV.mulInt(BigInt(outcome.creditedTickets));
    if (outcome.creditedTickets > 0) this.deps.tickets?.credited(outcome.creditedTickets, credited, senderKey);

    const receivedAt = this.now();
    const handoffs = outcome.winners.map((w) =>
      this.deps.sink.add(
        toWinningTicketRecord({
          ticket: { ticketParams: params, sender, expirationParams, senderParams: w.senderParams, recipientRand: outcome.recipientRand },
          auxData: outcome.auxData,
          ticketHash: w.ticketHash,
          sessionId,
          receivedAt,
        }),
      ),
    );
    const failures = (await Promise.allSettled(handoffs)).filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0) {
      throw paymentErrors.WINNER_NOT_QUEUED.create(`${failures.length} winning ticket(s) could not be queued for redemption`, {
        cause: failures[0]!.reason,
        details: { reason: 'winner_not_queued', fatal: true, counted: true, creditedTickets: outcome.creditedTickets },
      });
    }

    if (outcome.error !== undefined) throw withCounted(outcome.error, outcome.creditedTickets);
    return {
      sender: senderKey,
      sessionId,
      tickets: payment.ticketSenderParams.length,
      creditedTickets: outcome.creditedTickets,
      credited,
      winningTickets: outcome.winners.length,
      price: sessionPrice,
      ...(balance === undefined ? {} : { balance }),
    };
  }

  private async checkActive(recipient: Address): Promise<void> {
    const activeSet = this.deps.activeSet;
    if (activeSet === undefined) return;
    const round = this.deps.rounds.lastInitializedRound();
    let active: boolean;
    try {
      active = await activeSet.isActive(recipient, round);
    } catch (cause) {
      throw refusal(paymentErrors.CHAIN_STATE_UNAVAILABLE, `could not read the active set: ${(cause as Error).message}`, 'chain_state_unavailable', true);
    }
    if (!active) {
      throw refusal(paymentErrors.ORCHESTRATOR_INACTIVE, `orchestrator ${toChecksumAddress(recipient)} is inactive in round ${round}, cannot process payments`, 'orchestrator_inactive', true);
    }
  }

  /** Whether paid work may start: balance ≥ the configured ticket EV. Free sessions always pass. */
  async hasSufficientBalance(sender: Address, sessionId: string): Promise<boolean> {
    const key = addressKey(sender);
    const price = await this.credits.fixedPrice(key, sessionId);
    if (price !== undefined && price.isZero()) return true;
    const balance = await this.credits.balance(key, sessionId);
    return balance !== undefined && balance.gte(this.deps.recipient.ev);
  }

  /** Counts a refusal decided outside the processor (a route's own balance gate). */
  countRefusal(reason: RefusalReason): void {
    this.refusals.inc({ reason });
  }

  /** Like hasSufficientBalance, but throws go-livepeer's `Insufficient balance` and counts it. */
  async requireSufficientBalance(sender: Address, sessionId: string): Promise<void> {
    if (await this.hasSufficientBalance(sender, sessionId)) return;
    this.refusals.inc({ reason: 'insufficient_balance' });
    throw refusal(paymentErrors.INSUFFICIENT_BALANCE, 'Insufficient balance', 'insufficient_balance', false);
  }

  /**
   * Debits price × units after work. The price is the one fixed for the session
   * unless given; returns the new balance.
   */
  async debit(sender: Address, sessionId: string, units: bigint, price?: PriceInfo | Rational): Promise<Rational> {
    const key = addressKey(sender);
    const unitPrice = price === undefined ? await this.credits.fixedPrice(key, sessionId) : price instanceof Rational ? price : priceFromInfo(price);
    if (unitPrice === undefined) throw paymentErrors.UNKNOWN_SESSION.create(`no price is fixed for session ${sessionId} of ${toChecksumAddress(sender)}`);
    return this.credits.debit(key, sessionId, unitPrice.mulInt(units));
  }

  balance(sender: Address, sessionId: string): Promise<Rational | undefined> {
    return this.credits.balance(addressKey(sender), sessionId);
  }
}

function withCounted(error: LpxError, creditedTickets: number): LpxError {
  // The per-ticket refusals were counted one by one already.
  Object.assign(error.details ?? {}, { counted: true, creditedTickets });
  return error;
}
