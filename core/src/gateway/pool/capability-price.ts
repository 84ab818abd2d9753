/**
 * What an orchestrator charges for one capability (and model), read from its
 * OrchestratorInfo, and whether it offers that capability at all. Prices stay
 * exact bigint rationals end to end; nothing here goes through floats.
 */
import { priceAtMost, type RationalPrice } from '@lpx/sdk';
import {
  BYOC_DOMAIN,
  fromCapabilityPrices,
  fromLivepeerCapabilities,
  TRANSCODE_CAPABILITY_ID,
  type LivepeerCapabilityView,
  type RemoteCapabilityPrice,
} from '../../capabilities/index.js';
import type { OrchestratorInfo } from '../../network/index.js';

/** Derived once per fetched info, so `usable()` does no protobuf-shaped work per call. */
export interface InfoView {
  /** Undefined when the orchestrator sent no capabilities (an old, transcode-only node). */
  readonly capabilities: LivepeerCapabilityView | undefined;
  readonly prices: readonly RemoteCapabilityPrice[];
}

export function viewOf(info: OrchestratorInfo): InfoView {
  return {
    capabilities: info.capabilities === undefined ? undefined : fromLivepeerCapabilities(info.capabilities),
    prices: fromCapabilityPrices(info.capabilitiesPrices),
  };
}

/**
 * go-livepeer accepts a reply without capabilities only for legacy
 * (transcode-only) jobs; otherwise the capability, and the model when one is
 * asked for, must be advertised. BYOC capabilities are external to the
 * capability bitstring: orchestrators announce them through their entry in
 * `capabilities_prices` (id 37, the name as constraint), so that counts too.
 */
export function offers(view: InfoView, capabilityId: string, model?: string): boolean {
  if (capabilityId.startsWith(`${BYOC_DOMAIN}/`) && view.prices.some((p) => p.capabilityId === capabilityId)) return true;
  if (view.capabilities === undefined) return capabilityId === TRANSCODE_CAPABILITY_ID;
  const capability = view.capabilities.capabilities.find((c) => c.id === capabilityId);
  if (capability === undefined) return false;
  return model === undefined || Object.keys(capability.models).length === 0 || capability.models[model] !== undefined;
}

/** a > b, exactly; denominators are positive for every usable price. */
export function priceAbove(a: RationalPrice, b: RationalPrice): boolean {
  return !priceAtMost(a, b);
}

/**
 * The price for (capability, model):
 * - the `capabilities_prices` entry for that capability and model (BYOC: the capability alone);
 * - for an AI capability asked without a model, the highest of its model prices, so a
 *   max-price check never underestimates what a job could cost;
 * - otherwise `price_info`: the transcoding price of a full reply, or the job's price when
 *   the info was fetched with the job's capabilities (then the price list is empty).
 * Undefined when the orchestrator sent no usable price (an offchain node charges nothing).
 */
export function priceFor(info: OrchestratorInfo, view: InfoView, capabilityId: string, model?: string): RationalPrice | undefined {
  if (capabilityId !== TRANSCODE_CAPABILITY_ID) {
    const listed = view.prices.filter((p) => p.capabilityId === capabilityId);
    const exact = listed.find((p) => p.model === model);
    if (exact !== undefined) return rational(exact);
    if (model === undefined && listed.length > 0) {
      return listed.map(rational).reduce((highest, p) => (priceAbove(p, highest) ? p : highest));
    }
  }
  const base = info.priceInfo;
  return base !== undefined && base.pixelsPerUnit > 0n ? { pricePerUnit: base.pricePerUnit, pixelsPerUnit: base.pixelsPerUnit } : undefined;
}

function rational(price: RemoteCapabilityPrice): RationalPrice {
  return { pricePerUnit: price.pricePerUnit, pixelsPerUnit: price.pixelsPerUnit };
}
