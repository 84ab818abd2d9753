/**
 * How many tickets a gateway sends with a request (go-livepeer's StageUpdate):
 * take the whole current balance aside, and if it does not cover the minimum
 * credit, send ceil(gap / EV) tickets. The result says how to settle afterwards.
 */
import { Rational } from '../math/rational.js';
import type { Balances } from './balances.js';

export interface StagedUpdate {
  readonly numTickets: number;
  readonly newCredit: Rational;
  readonly existingCredit: Rational;
}

export function ticketsForGap(gap: Rational, ev: Rational): number {
  if (gap.sign() <= 0 || ev.sign() <= 0) return 0;
  const count = gap.div(ev).ceil();
  if (count > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('ticket count out of range');
  return Number(count);
}

export function stageUpdate(balances: Balances, party: string, sessionId: string, minCredit: Rational, ev: Rational): StagedUpdate {
  const existingCredit = balances.reserve(party, sessionId);
  if (existingCredit.gte(minCredit) || ev.sign() <= 0) {
    return { numTickets: 0, newCredit: Rational.ZERO, existingCredit };
  }
  const numTickets = ticketsForGap(minCredit.sub(existingCredit), ev);
  return { numTickets, newCredit: ev.mulInt(BigInt(numTickets)), existingCredit };
}

/**
 * A staged update's life: `abort` when the request never left (the set-aside
 * balance comes back), `sent` once it did (the credit is spent unless change
 * comes back), `settle` with the orchestrator's debit on a valid response.
 */
export class BalanceUpdate {
  private state: 'staged' | 'sent' | 'done' = 'staged';

  constructor(
    private readonly balances: Balances,
    private readonly party: string,
    private readonly sessionId: string,
    readonly staged: StagedUpdate,
  ) {}

  get numTickets(): number {
    return this.staged.numTickets;
  }

  sent(): void {
    if (this.state === 'staged') this.state = 'sent';
  }

  abort(): void {
    if (this.state !== 'staged') return;
    this.state = 'done';
    this.balances.credit(this.party, this.sessionId, this.staged.existingCredit);
  }

  /** Balance += existing + new credit − debit (negative change is a debit). */
  settle(debit: Rational): void {
    if (this.state === 'done') return;
    this.state = 'done';
    const change = this.staged.existingCredit.add(this.staged.newCredit).sub(debit);
    this.balances.credit(this.party, this.sessionId, change);
  }
}
