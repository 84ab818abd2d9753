import type { FeedItem } from '../event-lines.js';
import { card, h } from '../dom.js';
import { formatTime } from '../format.js';

export function feedCard(items: readonly FeedItem[]): HTMLElement {
  return card(
    'feed',
    'Live',
    items.length === 0
      ? h('p', { class: 'empty' }, 'Nothing has happened since this page opened.')
      : h('ol', { class: 'feed' }, items.map((item) => h('li', { class: `feed-${item.kind}`, 'data-key': item.key, title: item.job?.id }, h('time', {}, formatTime(item.at)), h('span', { class: 'kind' }, item.kind), item.text))),
  );
}
