/**
 * The CreditStore of one process: Balances and a NonceTracker in memory. It
 * forgets everything on restart, so it is for tests and offline use; a node
 * on a chain uses RedisCreditStore. JavaScript runs each call to completion,
 * so recording and crediting are atomic here without any locking.
 */
import { Rational } from '../math/rational.js';
import { NonceTracker } from '../recipient/nonce-tracker.js';
import { Balances } from './balances.js';
import type { CreditStore, TicketCredit, TicketCreditResult } from './credit-store.js';

export class MemoryCreditStore implements CreditStore {
  constructor(
    readonly balances: Balances = new Balances(),
    readonly nonces: NonceTracker = new NonceTracker(),
  ) {}

  async creditTickets(credit: TicketCredit): Promise<TicketCreditResult> {
    const outcomes = credit.nonces.map((nonce) => this.nonces.record(credit.paramsKey, nonce, credit.expirationBlock));
    let creditedTickets = 0;
    while (creditedTickets < credit.creditable && outcomes[creditedTickets] === 'recorded') creditedTickets++;
    if (creditedTickets > 0) this.balances.credit(credit.sender, credit.sessionId, credit.ticketEV.mulInt(BigInt(creditedTickets)));
    return { outcomes, creditedTickets, balance: this.balances.balance(credit.sender, credit.sessionId) ?? Rational.ZERO };
  }

  async debit(sender: string, sessionId: string, amount: Rational): Promise<Rational> {
    return this.balances.debit(sender, sessionId, amount);
  }

  async balance(sender: string, sessionId: string): Promise<Rational | undefined> {
    return this.balances.balance(sender, sessionId);
  }

  async fixedPrice(sender: string, sessionId: string): Promise<Rational | undefined> {
    return this.balances.fixedPrice(sender, sessionId);
  }

  async fixPriceOnce(sender: string, sessionId: string, price: Rational): Promise<Rational> {
    return this.balances.fixPriceOnce(sender, sessionId, price);
  }

  async pruneExpired(latestBlock: bigint): Promise<number> {
    return this.nonces.pruneExpired(latestBlock);
  }
}
