/** TEST DOUBLE: a winning-ticket sink that keeps records in an array. */
import type { WinningTicketRecord, WinningTicketSink } from '../redemption/winning-ticket.js';

export class InMemoryWinningTicketSink implements WinningTicketSink {
  readonly records: WinningTicketRecord[] = [];
  /** When set, add() rejects with it (a Redis outage). */
  failure: Error | undefined;

  async add(ticket: WinningTicketRecord): Promise<void> {
    if (this.failure) throw this.failure;
    this.records.push(ticket);
  }
}
