// The Grafana example queries only metrics lpx exports: every metric name in
// its PromQL is a row of docs/metrics.md (which core/test/observability/metrics-doc.test.ts
// ties to the registrations).
import t from 'tap';
import { readFileSync } from 'node:fs';

const dashboard = JSON.parse(readFileSync(new URL('../../examples/grafana/lpx-dashboard.json', import.meta.url), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
const doc = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
const documented = new Set([...doc.matchAll(/^\| `((?:lpx|livepeer)_[a-z0-9_]+)` \|/gm)].map((m) => m[1]!));

/** Metric names in a PromQL expression; histogram series suffixes map back to the histogram. */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b((?:lpx|livepeer)_[a-z0-9_]+)/g)].map((m) => m[1]!.replace(/_(bucket|sum|count)$/, ''));
}

t.ok(dashboard.panels.length > 10, 'the dashboard has panels');
const used = new Set<string>();
for (const panel of dashboard.panels) {
  t.ok(panel.targets.length > 0, `${panel.title} queries something`);
  for (const target of panel.targets) {
    const names = metricNames(target.expr);
    t.ok(names.length > 0, `${panel.title}: ${target.expr} names a metric`);
    for (const name of names) {
      used.add(name);
      t.ok(documented.has(name), `${panel.title}: ${name} is in docs/metrics.md`);
    }
  }
}
for (const wanted of ['livepeer_ticket_value_sent', 'livepeer_ticket_value_recv', 'livepeer_value_redeemed', 'lpx_gateway_requests_total', 'lpx_queue_jobs']) t.ok(used.has(wanted), `the dashboard shows ${wanted}`);
