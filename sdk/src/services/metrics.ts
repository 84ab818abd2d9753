export interface CounterMetric<L extends string = string> {
  inc(labels?: Partial<Record<L, string>>, value?: number): void;
}
export interface GaugeMetric<L extends string = string> {
  set(labels: Partial<Record<L, string>>, value: number): void;
  inc(labels?: Partial<Record<L, string>>, value?: number): void;
  dec(labels?: Partial<Record<L, string>>, value?: number): void;
}
export interface HistogramMetric<L extends string = string> {
  observe(labels: Partial<Record<L, string>>, value: number): void;
}

export interface MetricOptions<L extends string> {
  /** Short name; the kernel prefixes it with `lpx_<plugin id>_`. */
  name: string;
  help: string;
  labelNames?: readonly L[];
}

/** prom-client behind a per-plugin prefix, exposed on the node's /metrics. */
export interface MetricsService {
  readonly prefix: string;
  counter<L extends string = string>(options: MetricOptions<L>): CounterMetric<L>;
  gauge<L extends string = string>(options: MetricOptions<L>): GaugeMetric<L>;
  histogram<L extends string = string>(options: MetricOptions<L> & { buckets?: number[] }): HistogramMetric<L>;
}
