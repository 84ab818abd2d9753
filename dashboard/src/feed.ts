import type { NodeStatus } from '../../core/src/observability/status/status-types.js';
import { foldLine, type FeedItem } from './event-lines.js';

export type { FeedItem } from './event-lines.js';

/** The live feed, newest line first; a job's events share one line (event-lines.ts). */
export class Feed {
  #items: FeedItem[] = [];

  get items(): readonly FeedItem[] {
    return this.#items;
  }

  push(item: FeedItem): void {
    this.#items = foldLine(this.#items, item);
  }

  /**
   * What moved between two snapshots: job outcomes per capability, tickets, redemptions. While the
   * event stream is followed (`events`), it already tells jobs and payments one by one: only the node's
   * state comes from the snapshots then, or every job would show twice.
   */
  diff(before: NodeStatus | undefined, after: NodeStatus, options: { events?: boolean } = {}): void {
    if (before === undefined) return;
    const at = after.generatedAt;
    if (before.node.state !== after.node.state) this.push({ at, kind: 'node', text: `node ${before.node.state} → ${after.node.state}` });
    if (options.events === true) return;
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
  }
}
