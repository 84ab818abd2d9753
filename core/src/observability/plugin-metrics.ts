import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CounterMetric, GaugeMetric, HistogramMetric, MetricOptions, MetricsService } from '@lpx/sdk';

/** Prefixes every metric with `lpx_<plugin>_` so plugins cannot collide with each other or the kernel. */
export function createPluginMetrics(pluginId: string, registry: Registry): MetricsService {
  const prefix = `lpx_${pluginId.replace(/-/g, '_')}_`;
  const base = <L extends string>(options: MetricOptions<L>) => ({
    name: `${prefix}${options.name}`,
    help: options.help,
    labelNames: (options.labelNames ?? []) as L[],
    registers: [registry],
  });
  return {
    prefix,
    counter<L extends string>(options: MetricOptions<L>): CounterMetric<L> {
      const metric = new Counter<L>(base(options));
      return { inc: (labels = {}, value = 1) => metric.inc(labels as never, value) };
    },
    gauge<L extends string>(options: MetricOptions<L>): GaugeMetric<L> {
      const metric = new Gauge<L>(base(options));
      return {
        set: (labels, value) => metric.set(labels as never, value),
        inc: (labels = {}, value = 1) => metric.inc(labels as never, value),
        dec: (labels = {}, value = 1) => metric.dec(labels as never, value),
      };
    },
    histogram<L extends string>(options: MetricOptions<L> & { buckets?: number[] }): HistogramMetric<L> {
      const metric = new Histogram<L>({ ...base(options), ...(options.buckets ? { buckets: options.buckets } : {}) });
      return { observe: (labels, value) => metric.observe(labels as never, value) };
    },
  };
}
