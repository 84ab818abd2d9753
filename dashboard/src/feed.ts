import type { NodeStatus } from '../../core/src/observability/status/status-types.js';

/** One line of the live feed: from the events stream, or a change seen between two polls. */
export interface FeedItem {
  readonly at: string;
  readonly kind: 'job' | 'payment' | 'node';
  readonly text: string;
}

const MAX_ITEMS = 30;

export class Feed {
  #items: FeedItem[] = [];

  get items(): readonly FeedItem[] {
    return this.#items;
  }

  push(item: FeedItem): void {
    this.#items = [item, ...this.#items].slice(0, MAX_ITEMS);
  }

  /** What moved between two snapshots: job outcomes per capability, tickets, redemptions. */
  diff(before: NodeStatus | undefined, after: NodeStatus): void {
    if (before === undefined) return;
    const at = after.generatedAt;
    const old = new Map(before.jobs.byCapability.map((c) => [c.capability, c]));
    for (const now of after.jobs.byCapability) {
      const was = old.get(now.capability);
      for (const outcome of ['completed', 'failed', 'retried'] as const) {
        const delta = now[outcome] - (was?.[outcome] ?? 0);
        if (delta > 0) this.push({ at, kind: 'job', text: `${now.capability}: ${delta} ${outcome}` });
      }
    }
    const sent = (after.gateway?.ticketsSent ?? 0) - (before.gateway?.ticketsSent ?? 0);
    if (sent > 0) this.push({ at, kind: 'payment', text: `${sent} ticket${sent === 1 ? '' : 's'} sent` });
    const received = (after.orchestrator?.ticketsReceived ?? 0) - (before.orchestrator?.ticketsReceived ?? 0);
    if (received > 0) this.push({ at, kind: 'payment', text: `${received} ticket${received === 1 ? '' : 's'} received` });
    const winning = (after.orchestrator?.winningTickets ?? 0) - (before.orchestrator?.winningTickets ?? 0);
    if (winning > 0) this.push({ at, kind: 'payment', text: `${winning} winning ticket${winning === 1 ? '' : 's'}` });
    if (before.node.state !== after.node.state) this.push({ at, kind: 'node', text: `node ${before.node.state} → ${after.node.state}` });
  }
}
