import type { Registry } from 'prom-client';

/**
 * Reads counters the node already keeps (prom-client is the one place every
 * role records what it did), so /status shows the same numbers as /metrics
 * without a second set of books. A metric that is not registered on this
 * node (a role it does not run) reads as absent, not as zero.
 */
export async function counterTotal(registry: Registry, name: string): Promise<number | undefined> {
  const values = await counterValues(registry, name);
  return values === undefined ? undefined : values.reduce((sum, v) => sum + v.value, 0);
}

/** Sums a counter by one label (e.g. jobs by capability, redemptions by outcome). */
export async function counterByLabel(registry: Registry, name: string, label: string): Promise<Record<string, number> | undefined> {
  const values = await counterValues(registry, name);
  if (values === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const v of values) {
    const key = String(v.labels[label] ?? '');
    out[key] = (out[key] ?? 0) + v.value;
  }
  return out;
}

interface Sample {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number | undefined>>;
}

async function counterValues(registry: Registry, name: string): Promise<Sample[] | undefined> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return undefined;
  const { values } = await metric.get();
  // Histograms would contribute _bucket/_sum/_count samples; only plain samples are counted.
  return values.filter((v) => (v as { metricName?: string }).metricName === undefined || (v as { metricName?: string }).metricName === name);
}
