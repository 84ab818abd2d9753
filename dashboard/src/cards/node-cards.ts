import type { NodeStatus } from '../../../core/src/observability/status/status-types.js';
import { card, facts, h, table, wideCard } from '../dom.js';
import { formatCount, formatPrice } from '../format.js';

export function header(status: NodeStatus, live: string): HTMLElement {
  const { node } = status;
  return h(
    'header',
    { class: 'top' },
    h('div', {}, h('h1', {}, node.name), h('p', { class: 'sub' }, `lpx ${node.version}`, node.address ? ` · ${node.address}` : '')),
    h('div', { class: 'roles', 'data-testid': 'roles' }, node.roles.map((role) => h('span', { class: `badge role-${role}` }, role))),
    h('div', { class: 'state' }, h('span', { class: `dot ${node.ready ? 'ok' : 'bad'}` }), h('span', { 'data-testid': 'state' }, node.ready ? 'ready' : node.state), h('span', { class: 'live', 'data-testid': 'live' }, live)),
  );
}

export function pluginsCard(status: NodeStatus): HTMLElement {
  return card(
    'plugins',
    'Plugins',
    table(
      ['Plugin', 'Version', 'Health', 'Capabilities'],
      status.plugins.map((p) => [p.id, p.version, h('span', { class: `health health-${p.health}`, title: p.detail }, p.health), p.capabilities.join(', ') || '—']),
      'No plugins loaded.',
    ),
    checks(status),
  );
}

function checks(status: NodeStatus): HTMLElement {
  const entries = Object.entries(status.node.checks);
  return h('p', { class: 'checks' }, 'Readiness: ', entries.map(([k, v], i) => [i > 0 ? ' · ' : '', h('code', {}, `${k}=${v}`)]));
}

export function capabilitiesCard(status: NodeStatus): HTMLElement {
  return wideCard(
    'capabilities',
    'Capabilities',
    table(
      ['Capability', 'Mode', 'Capacity', 'In use', 'Price', 'Plugin'],
      status.capabilities.map((c) => [h('code', {}, c.id), c.mode, capacityBar(c.inUse, c.capacity), formatCount(c.inUse), formatPrice(c.price), c.providedBy]),
      'This node offers no capabilities.',
    ),
  );
}

function capacityBar(inUse: number, capacity: number): HTMLElement {
  // A <meter> shows the fraction without inline styles (the page's CSP allows none).
  return h('span', { class: 'capacity' }, h('meter', { min: '0', max: String(Math.max(capacity, 1)), value: String(inUse), 'aria-label': 'in use' }), ` ${formatCount(capacity)}`);
}

export function jobsCard(status: NodeStatus): HTMLElement {
  const { totals, byCapability } = status.jobs;
  return card(
    'jobs',
    'Jobs',
    facts([
      ['Completed', h('strong', { 'data-testid': 'jobs-completed' }, formatCount(totals.completed))],
      ['Failed', formatCount(totals.failed)],
      ['Retried', formatCount(totals.retried)],
    ]),
    table(
      ['Capability', 'Completed', 'Failed', 'Retried'],
      byCapability.map((c) => [h('code', {}, c.capability), formatCount(c.completed), formatCount(c.failed), formatCount(c.retried)]),
      'No jobs run since the node started.',
    ),
  );
}
