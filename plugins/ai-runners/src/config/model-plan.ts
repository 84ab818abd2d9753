import { errors, type AIPipelineName } from '@lpx/sdk';
import type { AIModelEntry } from './ai-model-entry.js';
import { reduce, type ExactRational } from './exact-price.js';

export interface ExternalRunner {
  readonly url: string;
  readonly token?: string;
  readonly capacity: number;
}

/** A price as the offer carries it: integers, wei per pixelsPerUnit units. */
export interface OfferPrice {
  readonly pricePerUnit: string;
  readonly pixelsPerUnit: string;
}

/** Everything the config says about one (pipeline, model): the unit the executor manages and offers. */
export interface ModelPlan {
  readonly key: string;
  readonly pipeline: AIPipelineName;
  readonly modelId: string;
  readonly warm: boolean;
  /** Managed containers: warm ones kept running; cold ones the most advertised at once. 0 = external only. */
  readonly managed: number;
  readonly externals: readonly ExternalRunner[];
  /** Env for managed containers (go-livepeer applies flags to warm containers only). */
  readonly optimizationFlags: Readonly<Record<string, string>>;
  readonly price?: OfferPrice;
  /** Per-gateway prices (aiModels `gateway`), keyed by lower-case address. */
  readonly gatewayPrices: Readonly<Record<string, OfferPrice>>;
}

export function modelKey(pipeline: string, modelId: string): string {
  return `${pipeline}\u0000${modelId}`;
}

/**
 * A fractional wei price becomes an integer pair with the same ratio:
 * (n/d) wei per p units = n wei per d·p units, so the offer stays exact.
 */
export function toOfferPrice(price: { readonly pricePerUnit: ExactRational; readonly pixelsPerUnit: bigint }): OfferPrice {
  const ratio = reduce(price.pricePerUnit.num, price.pricePerUnit.den * price.pixelsPerUnit);
  // Keep the operator's pixelsPerUnit when it already divides evenly, so offers read as configured.
  const scale = price.pixelsPerUnit % ratio.den === 0n ? price.pixelsPerUnit / ratio.den : 1n;
  return { pricePerUnit: (ratio.num * scale).toString(), pixelsPerUnit: (ratio.den * scale).toString() };
}

function samePrice(a: OfferPrice, b: OfferPrice): boolean {
  return BigInt(a.pricePerUnit) * BigInt(b.pixelsPerUnit) === BigInt(b.pricePerUnit) * BigInt(a.pixelsPerUnit);
}

/** Groups entries per (pipeline, model), refusing what go-livepeer refuses and what would be ambiguous. */
export function planModels(entries: readonly AIModelEntry[]): ModelPlan[] {
  const plans = new Map<string, { first: AIModelEntry; warm: boolean; managed: number; externals: ExternalRunner[]; flags: Record<string, string>; price?: OfferPrice; gatewayPrices: Record<string, OfferPrice> }>();
  for (const entry of entries) {
    const key = modelKey(entry.pipeline, entry.modelId);
    const label = `aiModels[${entry.index}] (${entry.pipeline} ${entry.modelId})`;
    let plan = plans.get(key);
    if (!plan) {
      plan = { first: entry, warm: entry.warm, managed: 0, externals: [], flags: {}, gatewayPrices: {} };
      plans.set(key, plan);
    } else if (plan.warm !== entry.warm) {
      throw errors.ai.CONFIG_INVALID.create(`${label}: model ${entry.modelId} is both warm and cold (aiModels[${plan.first.index}] says warm: ${plan.warm}); a worker keeps a model one way`, { details: { index: entry.index, other: plan.first.index } });
    }
    if (entry.url !== undefined) {
      if (plan.externals.some((e) => e.url === entry.url)) throw errors.ai.CONFIG_INVALID.create(`${label}: url ${entry.url} is listed twice for this model`, { details: { index: entry.index } });
      plan.externals.push({ url: entry.url, capacity: entry.capacity, ...(entry.token !== undefined ? { token: entry.token } : {}) });
    } else {
      plan.managed += entry.capacity;
      if (entry.warm) Object.assign(plan.flags, entry.optimizationFlags);
    }
    if (entry.price) {
      const price = toOfferPrice(entry.price);
      const gateway = entry.gateway.toLowerCase();
      const existing = gateway === 'default' ? plan.price : plan.gatewayPrices[gateway];
      if (existing && !samePrice(existing, price)) {
        throw errors.ai.CONFIG_INVALID.create(`${label}: a second, different price for gateway ${entry.gateway}`, { details: { index: entry.index } });
      }
      if (gateway === 'default') plan.price = price;
      else plan.gatewayPrices[gateway] = price;
    }
  }
  return [...plans.entries()].map(([key, p]) => ({
    key,
    pipeline: p.first.pipeline,
    modelId: p.first.modelId,
    warm: p.warm,
    managed: p.managed,
    externals: p.externals,
    optimizationFlags: p.flags,
    ...(p.price ? { price: p.price } : {}),
    gatewayPrices: p.gatewayPrices,
  }));
}
