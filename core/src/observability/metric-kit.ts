/**
 * Get-or-create helpers for the kernel's prom-client metrics (a metric is
 * reused when its Registry already has it: several roles or hosts may share a
 * Registry), and the base labels go-livepeer puts on its `livepeer_*` metrics.
 */
import { hostname } from 'node:os';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { Rational } from '../payments/math/rational.js';

export function counterOf<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames: [...labelNames], registers: [registry] });
}

export function gaugeOf<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[], collect?: (this: Gauge<L>) => void | Promise<void>): Gauge<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Gauge<L>;
  return new Gauge({ name, help, labelNames: [...labelNames], registers: [registry], ...(collect ? { collect } : {}) });
}

export function histogramOf<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Histogram<L>;
  return new Histogram({ name, help, labelNames: [...labelNames], buckets, registers: [registry] });
}

/** go-livepeer's node_type tag values (monitor: orch, bctr, rdmr). */
export type LivepeerNodeType = 'orch' | 'bctr' | 'rdmr';

/** go-livepeer's base tags: node_type and node_id (the host name, go-livepeer's default node id). */
export const LIVEPEER_BASE_LABELS = ['node_type', 'node_id'] as const;
export type LivepeerBaseLabel = (typeof LIVEPEER_BASE_LABELS)[number];

export function livepeerBase(nodeType: LivepeerNodeType): Record<LivepeerBaseLabel, string> {
  return { node_type: nodeType, node_id: hostname() };
}

export const WEI_PER_GWEI = 1_000_000_000n;

/**
 * Turns exact wei totals into whole-gwei counter increments. prom-client
 * stores float64: exact up to 2^53, ~9 million ETH in gwei but only ~0.009 ETH
 * in wei. Each key's sub-gwei remainder is carried, so the counter is always
 * floor(total wei / 1e9) of what this process saw; money math never reads it.
 */
export class GweiCarry {
  readonly #totals = new Map<string, Rational>();

  /** The whole gwei to add for `key` after `wei` more (a Rational: ticket EVs are fractions of a wei). */
  add(key: string, wei: bigint | Rational): number {
    const before = this.#totals.get(key) ?? Rational.ZERO;
    const after = before.add(typeof wei === 'bigint' ? Rational.of(wei) : wei);
    this.#totals.set(key, after);
    return Number(after.floor() / WEI_PER_GWEI - before.floor() / WEI_PER_GWEI);
  }
}

/** floor(wei / 1e9) as a gauge value (exact up to 2^53 gwei). */
export function weiToGwei(wei: bigint): number {
  return Number(wei / WEI_PER_GWEI);
}
