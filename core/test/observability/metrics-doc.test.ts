// docs/metrics.md lists exactly the lpx_* / livepeer_* metrics the kernel
// registers: every factory is called on a fresh Registry (the root server
// for /events, the blob store on a temp dir), then the two sets are compared.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createAIMetrics } from '../../src/ai/ai-metrics.js';
import { createBlobStore } from '../../src/blobs/create-blob-store.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createRootServer } from '../../src/http/root-server.js';
import { createJobsMetrics } from '../../src/jobs/jobs-metrics.js';
import { capacityMetrics } from '../../src/observability/capacity-metrics.js';
import { gatewayFundsMetrics } from '../../src/observability/funds-metrics.js';
import { gatewayRequestMetrics, orchestratorMetrics, orchestratorPoolMetrics } from '../../src/observability/gateway-metrics.js';
import { paymentReceiptMetrics, ticketSenderMetrics } from '../../src/observability/payment-metrics.js';
import { queueDepthMetrics } from '../../src/observability/queue-metrics.js';
import { redemptionMetrics } from '../../src/observability/redemption-metrics.js';
import { InMemorySenderInfoSource } from '../../src/payments/testing/index.js';
import { gatewayMetrics, orchestratorTicketMetrics, segmentPixelsCounter, webhookDeliveriesCounter, winningTicketsCounter } from '../../src/roles/role-metrics.js';
import { segmentMetrics } from '../../src/roles/gateway/segment-metrics.js';
import { settlementMetrics } from '../../src/settlement/settlement-metrics.js';
import { createTranscodeMetrics } from '../../src/transcode/transcode-metrics.js';

const doc = readFileSync(new URL('../../../docs/metrics.md', import.meta.url), 'utf8');

/** First-column names of the metric tables: rows like "| `name` | type | ...". */
export function documentedMetrics(markdown: string): Map<string, { type: string; labels: string[] }> {
  const rows = new Map<string, { type: string; labels: string[] }>();
  for (const line of markdown.split('\n')) {
    const match = /^\| `((?:lpx|livepeer)_[a-z0-9_]+)` \| (counter|gauge|histogram) \| ([^|]*) \|/.exec(line);
    if (!match) continue;
    const labels = match[3]!.trim() === '—' ? [] : match[3]!.split(',').map((label) => label.trim());
    rows.set(match[1]!, { type: match[2]!, labels });
  }
  return rows;
}

async function kernelRegistrations(t: { testdir(): string; teardown(fn: () => unknown): void }): Promise<Registry> {
  const registry = new Registry();
  createJobsMetrics(registry);
  createAIMetrics(registry);
  createTranscodeMetrics(registry);
  settlementMetrics(registry);
  redemptionMetrics(registry);
  segmentMetrics(registry);
  gatewayMetrics(registry);
  winningTicketsCounter(registry);
  orchestratorTicketMetrics(registry);
  webhookDeliveriesCounter(registry);
  segmentPixelsCounter(registry);
  ticketSenderMetrics(registry);
  paymentReceiptMetrics(registry);
  gatewayRequestMetrics(registry);
  orchestratorMetrics(registry);
  orchestratorPoolMetrics(registry, { cached: () => [], isSuspended: () => false });
  gatewayFundsMetrics(registry, new InMemorySenderInfoSource(), new Uint8Array(20));
  queueDepthMetrics(registry, 'node', { capabilityIds: () => [], queueFor: () => ({ getJobCounts: async () => ({}) }) });
  capacityMetrics(registry, { list: () => [], available: () => 0 }, { maxSessions: 0, active: 0 });
  const app = await createRootServer({ logger: pino({ level: 'silent' }), metrics: registry, bodyLimitBytes: 1024, readiness: async () => ({ ready: true, checks: {} }) });
  t.teardown(() => app.close());
  const { config } = loadConfig({ raw: {}, env: {} });
  const store = await createBlobStore(config.blobs, t.testdir(), undefined, registry);
  t.teardown(() => store.close());
  return registry;
}

t.test('every documented metric is registered with the documented type and labels, and every registered one is documented', async (t) => {
  const documented = documentedMetrics(doc);
  t.ok(documented.size > 50, `the tables parse (${documented.size} rows)`);
  const registry = await kernelRegistrations(t);
  const registered = new Map((await registry.getMetricsAsJSON()).map((m) => [m.name, m]));
  for (const [name, row] of documented) {
    const metric = registered.get(name);
    if (!t.ok(metric, `${name} is registered`)) continue;
    t.equal(metric!.type, row.type, `${name} is a ${row.type}`);
    const labels = (registry.getSingleMetric(name) as unknown as { labelNames: string[] }).labelNames;
    t.same([...labels].sort(), [...row.labels].sort(), `${name} has labels ${row.labels.join(', ') || '(none)'}`);
  }
  for (const name of registered.keys()) {
    if (/^(lpx|livepeer)_/.test(name)) t.ok(documented.has(name), `${name} is in docs/metrics.md`);
  }
});

t.test('the process metrics the doc leaves out are exactly prom-client defaults', async (t) => {
  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults, prefix: 'lpx_' });
  const names = (await defaults.getMetricsAsJSON()).map((m) => m.name);
  t.ok(names.includes('lpx_process_cpu_seconds_total'));
  const documented = documentedMetrics(doc);
  t.notOk(names.some((name) => documented.has(name)), 'no default metric is claimed as a kernel metric');
  t.match(doc, /lpx_process_cpu_seconds_total/, 'the doc names the default group');
});
