/**
 * The gateway's bookkeeping per orchestrator session: it mirrors the credit the
 * orchestrator holds for it (keyed by the orchestrator's recipient and the auth
 * session id), decides how many tickets a request needs, and settles the mirror
 * when the response says what was actually charged.
 */
import type { Balances } from '../accounting/balances.js';
import { BalanceUpdate, stageUpdate } from '../accounting/stage-update.js';
import { addressKey, type Address } from '../encoding/address.js';
import { feeFor, priceFromInfo } from '../math/price.js';
import { Rational } from '../math/rational.js';
import type { PriceInfo, TicketParams } from '../wire/types.js';
import { paymentFromBatch, paymentHeader, paymentWithoutTickets } from './payment-builder.js';
import type { TicketSender } from './ticket-sender.js';

export interface OrchestratorSession {
  readonly recipient: Address;
  /** The orchestrator's auth token session id: the key both sides keep the balance under. */
  readonly authSessionId: string;
  /** The ticket session (recipientRandHash) in the TicketSender. */
  readonly ticketSessionId: string;
  /** The price the params were issued at; echoed as expected_price. */
  readonly price: PriceInfo;
}

export interface PreparedPayment {
  /** Livepeer-Payment header value. */
  readonly header: string;
  readonly numTickets: number;
  /** abort() if the request never left, sent() once it did, settle(debit) on a valid response. */
  readonly update: BalanceUpdate;
}

export class GatewayPayer {
  constructor(
    private readonly sender: TicketSender,
    private readonly balances: Balances,
  ) {}

  /** Adopts fresh params from an OrchestratorInfo (discovery or a response's `info`). */
  startSession(params: TicketParams, price: PriceInfo, authSessionId: string): OrchestratorSession {
    priceFromInfo(price);
    const ticketSessionId = this.sender.startSession(params);
    return { recipient: params.recipient, authSessionId, ticketSessionId, price };
  }

  /** Fee for `units` of work at the session's price. */
  fee(session: OrchestratorSession, units: bigint): Rational {
    return feeFor(priceFromInfo(session.price), units);
  }

  /**
   * Builds the payment for a request worth `fee`: at least one ticket EV of
   * credit must be on account, and existing credit is used first.
   */
  async preparePayment(session: OrchestratorSession, fee: Rational): Promise<PreparedPayment> {
    const ev = this.sender.ev(session.ticketSessionId);
    const minCredit = fee.gt(ev) ? fee : ev;
    const party = addressKey(session.recipient);
    const update = new BalanceUpdate(this.balances, party, session.authSessionId, stageUpdate(this.balances, party, session.authSessionId, minCredit, ev));
    try {
      const payment =
        update.numTickets > 0
          ? paymentFromBatch(await this.sender.createTicketBatch(session.ticketSessionId, update.numTickets), session.price)
          : paymentWithoutTickets(this.sender.address, session.price);
      return { header: paymentHeader(payment), numTickets: update.numTickets, update };
    } catch (error) {
      update.abort();
      throw error;
    }
  }

  balance(session: OrchestratorSession): Rational | undefined {
    return this.balances.balance(addressKey(session.recipient), session.authSessionId);
  }
}
