/**
 * Which price an orchestrator quotes in `OrchestratorInfo.price_info`, from the
 * capability registry's declared prices, following go-livepeer:
 * - no capabilities in the request → the base (transcoding) price, per gateway
 *   when the operator set one;
 * - capabilities in the request → the sum of the prices of every requested
 *   (capability, model) pair, or the transcoding price when that sum is 0.
 * go-livepeer's auto-adjust (× (1 + 1/txCostMultiplier), 3 decimals) is not
 * applied here; it belongs with the payments config (see ADR 0011).
 */
import type { CapabilityDescriptor } from '@lpx/sdk';
import {
  capabilityPrices,
  TRANSCODE_CAPABILITY_ID,
  toWirePrice,
  type CapabilityPricesOptions,
  type LivepeerCapabilities,
} from '../../capabilities/index.js';
import { addressKey, Rational, type Address, type PriceInfo } from '../../payments/index.js';

export interface OrchestratorPricing {
  basePrice(gateway: Address): PriceInfo;
  priceForCapabilities(gateway: Address, capabilities: LivepeerCapabilities): PriceInfo;
}

export interface CapabilityPricingOptions extends CapabilityPricesOptions {
  /** Base price overrides keyed by gateway address (go-livepeer's -pricePerGateway). */
  readonly perGateway?: ReadonlyMap<string, PriceInfo>;
}

const FREE: PriceInfo = { pricePerUnit: 0n, pixelsPerUnit: 1n };

function toPriceInfo(price: Rational): PriceInfo {
  const wire = toWirePrice({ pricePerUnit: price.num, pixelsPerUnit: price.den }, 'price_info');
  return { pricePerUnit: wire.pricePerUnit, pixelsPerUnit: wire.pixelsPerUnit };
}

export function capabilityPricing(descriptors: () => readonly CapabilityDescriptor[], options: CapabilityPricingOptions = {}): OrchestratorPricing {
  const transcodePrice = (): PriceInfo | undefined => {
    const price = descriptors().find((d) => d.id === TRANSCODE_CAPABILITY_ID)?.price;
    if (price === undefined) return undefined;
    return toPriceInfo(Rational.of(BigInt(price.pricePerUnit), BigInt(price.pixelsPerUnit ?? '1')));
  };
  const base = (gateway: Address): PriceInfo => options.perGateway?.get(addressKey(gateway)) ?? transcodePrice() ?? FREE;

  return {
    basePrice: base,
    priceForCapabilities(gateway, capabilities) {
      const table = new Map<string, Rational>();
      for (const p of capabilityPrices(descriptors(), options)) table.set(`${p.capability}/${p.constraint}`, Rational.of(p.pricePerUnit, p.pixelsPerUnit));
      let sum = Rational.ZERO;
      // go-livepeer walks the requested capacities and prices those that name models.
      for (const key of Object.keys(capabilities.capacities)) {
        const models = capabilities.constraints.perCapability[Number(key)]?.models ?? {};
        for (const modelId of Object.keys(models)) sum = sum.add(table.get(`${key}/${modelId}`) ?? Rational.ZERO);
      }
      if (sum.isZero()) return options.perGateway?.get(addressKey(gateway)) ?? transcodePrice() ?? FREE;
      return toPriceInfo(sum);
    },
  };
}
