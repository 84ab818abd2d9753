/**
 * The models the gateway's pool offers (for `GET /v1/models` and operators):
 * per (pipeline, model), how many usable orchestrators list it, whether any
 * has it warm, and the lowest price one advertises for it in
 * `capabilities_prices`. Read from the pool's cached OrchestratorInfo, no
 * network calls.
 */
import { AI_PIPELINE_LIVEPEER_CAPABILITY, AI_PIPELINES, aiCapabilityId, priceAtMost, type AIGatewayModel, type RationalPrice } from '@lpx/sdk';
import { fromCapabilityPrices } from '../../capabilities/index.js';
import type { PoolEntry } from '../../gateway/pool/pool-options.js';
import { showPrice } from './ai-price.js';

export function aiModelsOf(usable: (capabilityId: string) => readonly PoolEntry[]): AIGatewayModel[] {
  const out: AIGatewayModel[] = [];
  for (const pipeline of AI_PIPELINES) {
    const capability = AI_PIPELINE_LIVEPEER_CAPABILITY[pipeline];
    const capabilityId = aiCapabilityId(pipeline);
    const models = new Map<string, { orchestrators: number; warm: boolean; lowest?: RationalPrice }>();
    for (const entry of usable(capabilityId)) {
      const listed = entry.info.capabilities?.constraints.perCapability[capability]?.models ?? {};
      const prices = fromCapabilityPrices(entry.info.capabilitiesPrices).filter((p) => p.capabilityId === capabilityId);
      for (const [modelId, constraint] of Object.entries(listed)) {
        const seen = models.get(modelId) ?? { orchestrators: 0, warm: false };
        seen.orchestrators++;
        seen.warm ||= constraint.warm;
        const own = prices.find((p) => p.model === modelId);
        const price = own !== undefined ? { pricePerUnit: own.pricePerUnit, pixelsPerUnit: own.pixelsPerUnit } : undefined;
        if (price !== undefined && (seen.lowest === undefined || priceAtMost(price, seen.lowest))) seen.lowest = price;
        models.set(modelId, seen);
      }
    }
    for (const [modelId, seen] of [...models].sort(([a], [b]) => a.localeCompare(b))) {
      out.push({ pipeline, modelId, orchestrators: seen.orchestrators, warm: seen.warm, ...(seen.lowest !== undefined ? { lowestPrice: showPrice(seen.lowest) } : {}) });
    }
  }
  return out;
}
