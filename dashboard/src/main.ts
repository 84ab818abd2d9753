import './style.css';
import type { NodeStatus } from '../../core/src/observability/status/status-types.js';
import { feedCard } from './cards/feed-card.js';
import { moneyCards } from './cards/money-cards.js';
import { capabilitiesCard, header, jobsCard, pluginsCard } from './cards/node-cards.js';
import { h } from './dom.js';
import { Feed } from './feed.js';
import { fetchStatus, subscribeEvents } from './live.js';
import { formatTime } from './format.js';

/** Poll period; `?refresh=<ms>` overrides it (at least 500 ms) for demos and tests. */
function refreshMs(): number {
  const asked = Number(new URLSearchParams(location.search).get('refresh'));
  return Number.isFinite(asked) && asked >= 500 ? asked : 3000;
}

const root = document.getElementById('app')!;
const feed = new Feed();
let last: NodeStatus | undefined;
let unsubscribe: (() => void) | undefined;
let pending: ReturnType<typeof setTimeout> | undefined;

function render(status: NodeStatus | undefined): void {
  if (status === undefined && last === undefined) {
    root.replaceChildren(h('p', { class: 'error', 'data-testid': 'unreachable' }, 'The node did not answer GET /status.'));
    return;
  }
  const shown = (status ?? last)!;
  const live = status === undefined ? 'unreachable' : unsubscribe ? 'live · events' : `live · every ${refreshMs() / 1000}s`;
  root.replaceChildren(
    header(shown, live),
    h('main', { class: 'grid' }, capabilitiesCard(shown), jobsCard(shown), pluginsCard(shown), ...moneyCards(shown), feedCard(feed.items)),
    h('footer', {}, `Updated ${formatTime(shown.generatedAt)} · `, h('a', { href: shown.links.metrics }, 'metrics'), ' · ', h('a', { href: '/status' }, 'status JSON')),
  );
}

async function refresh(): Promise<void> {
  const status = await fetchStatus();
  if (status !== undefined) {
    unsubscribe ??= subscribeEvents(status.links.events, (item) => {
      feed.push(item);
      // An event means the numbers moved: read them now rather than at the next tick.
      pending ??= setTimeout(() => {
        pending = undefined;
        void refresh();
      }, 200);
    });
    feed.diff(last, status, { events: unsubscribe !== undefined });
    last = status;
  }
  render(status);
}

void refresh();
setInterval(() => void refresh(), refreshMs());
