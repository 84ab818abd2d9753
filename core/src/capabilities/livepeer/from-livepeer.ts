import { capabilityIdsIn, hasCapabilityBit } from './bitstring.js';
import { LIVEPEER_CAPABILITIES, LIVEPEER_CAPABILITY_BYOC } from './capability-enum.js';
import { canonicalIdForLivepeer, TRANSCODE_CAPABILITY_ID } from './canonical-ids.js';
import type { LivepeerCapabilitiesInput, LivepeerModelConstraint } from './livepeer-message.js';

/** One capability of a peer, in our terms. */
export interface RemoteCapability {
  readonly id: string;
  /** The enum ids behind it (all transcode bits the peer set, or one AI/BYOC id). */
  readonly livepeerIds: readonly number[];
  readonly capacity: number;
  readonly models: Readonly<Record<string, LivepeerModelConstraint>>;
}

export interface LivepeerCapabilityView {
  readonly version: string;
  readonly minVersion: string;
  /** Every set bit, ascending. */
  readonly livepeerIds: readonly number[];
  readonly mandatoryIds: readonly number[];
  /** Per enum id; filled with 1 per set bit when the peer sent none (go-livepeer's rule for old peers). */
  readonly capacities: Readonly<Record<number, number>>;
  readonly capabilities: readonly RemoteCapability[];
  /** Set bits with no canonical id: 13 (deprecated) and ids we do not know yet. */
  readonly unmappedIds: readonly number[];
}

function completeModel(model: Partial<LivepeerModelConstraint>): LivepeerModelConstraint {
  return { warm: model.warm ?? false, capacity: model.capacity ?? 0, runnerVersion: model.runnerVersion ?? '', capacityInUse: model.capacityInUse ?? 0 };
}

/**
 * A peer's `Capabilities` → our view. Caveat that no mapping can remove:
 * every go-livepeer O (AI-only ones too) sets the Default transcoding bits, so
 * `video/transcode` shows up whenever H.264 (bit 0) is set, whether or not the
 * peer really runs a transcoder.
 */
export function fromLivepeerCapabilities(message: LivepeerCapabilitiesInput): LivepeerCapabilityView {
  const bitstring = message.bitstring ?? [];
  const livepeerIds = capabilityIdsIn(bitstring);
  const sent = message.capacities ?? {};
  const capacities: Record<number, number> = {};
  if (Object.keys(sent).length === 0) for (const id of livepeerIds) capacities[id] = 1;
  else for (const [id, capacity] of Object.entries(sent)) capacities[Number(id)] = capacity;

  const perCapability = message.constraints?.perCapability ?? {};
  const modelsOf = (id: number): Record<string, LivepeerModelConstraint> => {
    const out: Record<string, LivepeerModelConstraint> = {};
    for (const [modelId, model] of Object.entries(perCapability[id]?.models ?? {})) out[modelId] = completeModel(model);
    return out;
  };

  const capabilities: RemoteCapability[] = [];
  const unmappedIds: number[] = [];
  const transcodeIds = livepeerIds.filter((id) => LIVEPEER_CAPABILITIES[id]?.kind === 'transcode');
  if (hasCapabilityBit(bitstring, 0)) {
    capabilities.push({ id: TRANSCODE_CAPABILITY_ID, livepeerIds: transcodeIds, capacity: capacities[0] ?? 0, models: {} });
  }
  for (const id of livepeerIds) {
    const kind = LIVEPEER_CAPABILITIES[id]?.kind;
    if (kind === 'transcode') continue;
    if (kind === 'ai') {
      const canonical = canonicalIdForLivepeer(id);
      if (canonical) capabilities.push({ id: canonical, livepeerIds: [id], capacity: capacities[id] ?? 0, models: modelsOf(id) });
      continue;
    }
    if (kind === 'byoc') {
      // BYOC names ride in the constraint map; a bare bit 37 names nothing.
      for (const [name, model] of Object.entries(modelsOf(LIVEPEER_CAPABILITY_BYOC))) {
        const canonical = canonicalIdForLivepeer(id, name);
        if (canonical) capabilities.push({ id: canonical, livepeerIds: [id], capacity: model.capacity, models: {} });
      }
      continue;
    }
    unmappedIds.push(id);
  }

  return {
    version: message.version ?? '',
    minVersion: message.constraints?.minVersion ?? '',
    livepeerIds,
    mandatoryIds: capabilityIdsIn(message.mandatories ?? []),
    capacities,
    capabilities,
    unmappedIds,
  };
}
