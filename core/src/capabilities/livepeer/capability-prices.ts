import { errors, type CapabilityDescriptor, type CapabilityPrice } from '@lpx/sdk';
import { LIVEPEER_CAPABILITY_BYOC } from './capability-enum.js';
import { canonicalIdForLivepeer, livepeerMappingFor } from './canonical-ids.js';
import type { LivepeerCapabilityPrice } from './livepeer-message.js';

const INT64_MAX = (1n << 63n) - 1n;

export interface WeiPrice {
  pricePerUnit: bigint;
  pixelsPerUnit: bigint;
}

export interface CapabilityPricesOptions {
  /** Converts a non-wei price (e.g. USD) to wei; without it such prices are an error. */
  toWei?: (price: CapabilityPrice, descriptor: CapabilityDescriptor) => WeiPrice;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * The wire's int64 pair for a price. We send the reduced ratio, which a
 * go-livepeer gateway reads back exactly (`pricePerUnit / pixelsPerUnit`).
 * go-livepeer's own O floors `capabilities_prices` to whole wei per unit, which
 * turns sub-wei prices into 0; we only floor when the ratio does not fit int64,
 * as go-livepeer does for `price_info`.
 */
export function toWirePrice(price: WeiPrice, capabilityId: string): WeiPrice {
  if (price.pricePerUnit < 0n || price.pixelsPerUnit <= 0n) {
    throw errors.capability.INVALID_DECLARATION.create(`capability "${capabilityId}" has a negative price or a non-positive pixelsPerUnit`);
  }
  const divisor = price.pricePerUnit === 0n ? price.pixelsPerUnit : gcd(price.pricePerUnit, price.pixelsPerUnit);
  let pricePerUnit = price.pricePerUnit / divisor;
  let pixelsPerUnit = price.pixelsPerUnit / divisor;
  if (pricePerUnit > INT64_MAX || pixelsPerUnit > INT64_MAX) {
    pricePerUnit /= pixelsPerUnit;
    pixelsPerUnit = 1n;
  }
  if (pricePerUnit > INT64_MAX) {
    throw errors.capability.INVALID_DECLARATION.create(`capability "${capabilityId}" price does not fit the wire's int64`, { details: { capabilityId } });
  }
  return { pricePerUnit, pixelsPerUnit };
}

function weiOf(descriptor: CapabilityDescriptor, price: CapabilityPrice, options: CapabilityPricesOptions): WeiPrice {
  const currency = (price.currency ?? 'WEI').toUpperCase();
  if (currency === 'WEI') return { pricePerUnit: BigInt(price.pricePerUnit), pixelsPerUnit: BigInt(price.pixelsPerUnit ?? '1') };
  if (options.toWei) return options.toWei(price, descriptor);
  throw errors.capability.PRICE_CURRENCY.create(`capability "${descriptor.id}" is priced in ${currency}; pass a converter to express it in wei`, {
    details: { capabilityId: descriptor.id, currency },
  });
}

/**
 * `OrchestratorInfo.capabilities_prices`: one entry per priced (AI capability,
 * model) — the model's own price, else the capability's — and one per BYOC capability (id 37, name as constraint). Transcoding is not
 * listed: its price travels in `price_info`. An AI capability without named
 * models has nothing a gateway could match, so it yields no entry.
 */
export function capabilityPrices(descriptors: readonly CapabilityDescriptor[], options: CapabilityPricesOptions = {}): LivepeerCapabilityPrice[] {
  const out: LivepeerCapabilityPrice[] = [];
  for (const descriptor of descriptors) {
    const mapping = livepeerMappingFor(descriptor.id);
    if (mapping === undefined || mapping.kind === 'transcode') continue;
    if (mapping.kind === 'byoc') {
      if (descriptor.price === undefined) continue;
      out.push({ capability: mapping.id, constraint: mapping.name, ...toWirePrice(weiOf(descriptor, descriptor.price, options), descriptor.id) });
      continue;
    }
    // A model's own price (aiModels price_per_unit, summed from executors' offers) wins over the capability's.
    for (const [modelId, model] of Object.entries(descriptor.constraints.models ?? {})) {
      const price = model.price ?? descriptor.price;
      if (price === undefined) continue;
      out.push({ capability: mapping.id, constraint: modelId, ...toWirePrice(weiOf(descriptor, price, options), descriptor.id) });
    }
  }
  return out;
}

/** A peer's advertised price, in our terms (for max-price filters and metrics). */
export interface RemoteCapabilityPrice {
  readonly capabilityId: string;
  /** Model id for AI; absent for BYOC (the name is in the id). */
  readonly model?: string;
  readonly pricePerUnit: bigint;
  readonly pixelsPerUnit: bigint;
}

/** Reads `capabilities_prices`; entries with no canonical id (unknown ids, odd BYOC names) are dropped. */
export function fromCapabilityPrices(prices: readonly LivepeerCapabilityPrice[]): RemoteCapabilityPrice[] {
  const out: RemoteCapabilityPrice[] = [];
  for (const price of prices) {
    const capabilityId = canonicalIdForLivepeer(price.capability, price.constraint);
    const isByoc = price.capability === LIVEPEER_CAPABILITY_BYOC;
    if (capabilityId === undefined || price.pixelsPerUnit <= 0n) continue;
    out.push({
      capabilityId,
      ...(isByoc || price.constraint === '' ? {} : { model: price.constraint }),
      pricePerUnit: price.pricePerUnit,
      pixelsPerUnit: price.pixelsPerUnit,
    });
  }
  return out;
}
