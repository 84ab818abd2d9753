import type { NodeStatus } from '../../core/src/observability/status/status-types.js';
import type { FeedItem } from './feed.js';

/** Reads /status; a failed read resolves undefined (the page shows "unreachable", the console stays quiet). */
export async function fetchStatus(): Promise<NodeStatus | undefined> {
  try {
    const response = await fetch('/status', { headers: { accept: 'application/json' }, cache: 'no-store' });
    return response.ok ? ((await response.json()) as NodeStatus) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Subscribes to the node's Server-Sent Events (`event: job`, `event: payment`)
 * when /status lists the stream; a node without it is polled only. Returns
 * the close function, or undefined when there is no stream.
 */
export function subscribeEvents(url: string | undefined, onItem: (item: FeedItem) => void): (() => void) | undefined {
  if (url === undefined || typeof EventSource === 'undefined') return undefined;
  const source = new EventSource(url);
  for (const kind of ['job', 'payment'] as const) {
    source.addEventListener(kind, (event) => onItem({ at: new Date().toISOString(), kind, text: summarize((event as MessageEvent<string>).data) }));
  }
  // EventSource reconnects by itself; the poll keeps the numbers right meanwhile.
  source.onerror = () => {};
  return () => source.close();
}

/** A short line from an event's JSON: the fields operators look for first, else the raw text. */
export function summarize(data: string): string {
  try {
    const value = JSON.parse(data) as Record<string, unknown>;
    // The node's event shapes (docs/metrics.md): jobs carry phase and capability, payments phase and wei as decimal strings.
    const parts = ['capability', 'phase', 'outcome', 'orchestrator', 'id']
      .map((key) => value[key])
      .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
      .filter((v, i, all) => all.indexOf(v) === i); // a completed job's outcome repeats its phase
    for (const [key, label] of [['valueWei', 'value'], ['payoutWei', 'paid'], ['tickets', 'tickets']] as const) {
      const v = value[key];
      if (typeof v === 'string' || typeof v === 'number') parts.push(key === 'tickets' ? `${v} tickets` : `${label} ${v} wei`);
    }
    if (parts.length > 0) return parts.join(' · ');
  } catch {
    // not JSON: shown as sent
  }
  return data.length > 120 ? `${data.slice(0, 117)}…` : data;
}
