import type { NodeStatus } from '../../core/src/observability/status/status-types.js';
import { eventItem, type FeedItem } from './event-lines.js';

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
    source.addEventListener(kind, (event) => onItem(eventItem(kind, (event as MessageEvent<string>).data, new Date().toISOString())));
  }
  // EventSource reconnects by itself; the poll keeps the numbers right meanwhile.
  source.onerror = () => {};
  return () => source.close();
}
