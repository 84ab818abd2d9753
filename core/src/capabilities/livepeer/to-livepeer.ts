import type { CapabilityDescriptor } from '@lpx/sdk';
import { setCapabilityBit } from './bitstring.js';
import { DEFAULT_CAPABILITY_IDS, LIVEPEER_CAPABILITY_BYOC } from './capability-enum.js';
import { livepeerIdsForDescriptor, livepeerMappingFor } from './canonical-ids.js';
import { emptyLivepeerCapabilities, type LivepeerCapabilities, type LivepeerModelConstraint } from './livepeer-message.js';

/** Live counts, usually the CapabilityRegistry itself. */
export interface CapacityUsage {
  available(capabilityId: string, model?: string): number;
  inUse(capabilityId: string, model?: string): number;
}

export interface ToLivepeerOptions {
  /** Advertised as `constraints.minVersion` (go-livepeer: the O's own version when it manages remote AI workers). */
  minVersion?: string;
  /**
   * Live counts. go-livepeer advertises a model's *free* capacity (it shrinks
   * while requests are in flight); without usage we advertise the configured one.
   */
  usage?: CapacityUsage;
  /** Transcoding bits to advertise instead of those derived from the descriptor (its `transcode` constraint, else the software set). */
  transcodeIds?: readonly number[];
  /**
   * Also set bit 37 with one model entry per BYOC name. go-livepeer Os do not
   * (BYOC appears only in `capabilities_prices`), so this is off by default.
   */
  advertiseByoc?: boolean;
}

function free(descriptor: CapabilityDescriptor, usage: CapacityUsage | undefined, model?: string): number {
  if (usage) return usage.available(descriptor.id, model);
  if (model === undefined) return descriptor.capacity;
  return descriptor.constraints.models?.[model]?.capacity ?? descriptor.capacity;
}

/**
 * Our descriptors → go-livepeer's `Capabilities` for `OrchestratorInfo` /
 * worker registration. Like every go-livepeer O and worker, we always set the
 * Default bits (jobs always carry AuthToken, and AI jobs carry the whole
 * Default set), with capacity 1 as `NewCapabilities` does. Descriptors with no
 * go-livepeer counterpart are left out. Mandatories stay empty, as go-livepeer
 * Os send them.
 */
export function toLivepeerCapabilities(
  descriptors: readonly CapabilityDescriptor[],
  nodeVersion: string,
  options: ToLivepeerOptions = {},
): LivepeerCapabilities {
  const message = emptyLivepeerCapabilities(nodeVersion);
  message.constraints.minVersion = options.minVersion ?? '';
  const advertise = (id: number, capacity: number): void => {
    setCapabilityBit(message.bitstring, id);
    message.capacities[id] = capacity;
  };
  for (const id of DEFAULT_CAPABILITY_IDS) advertise(id, 1);

  for (const descriptor of descriptors) {
    const mapping = livepeerMappingFor(descriptor.id);
    if (mapping === undefined) continue;
    switch (mapping.kind) {
      case 'transcode': {
        const capacity = free(descriptor, options.usage);
        for (const id of options.transcodeIds ?? livepeerIdsForDescriptor(descriptor)) advertise(id, capacity);
        break;
      }
      case 'ai': {
        const models = descriptor.constraints.models;
        // An AI capability whose models all left (no worker offers them) is not advertised, as a go-livepeer O without them.
        if (models !== undefined && Object.keys(models).length === 0) break;
        advertise(mapping.id, free(descriptor, options.usage));
        if (models === undefined) break;
        const out: Record<string, LivepeerModelConstraint> = {};
        for (const [modelId, model] of Object.entries(models)) {
          out[modelId] = {
            warm: model.warm,
            capacity: free(descriptor, options.usage, modelId),
            runnerVersion: model.runnerVersion ?? '',
            // go-livepeer only reports in-use containers for live pipelines.
            capacityInUse: descriptor.mode === 'live' ? (options.usage?.inUse(descriptor.id, modelId) ?? 0) : 0,
          };
        }
        message.constraints.perCapability[mapping.id] = { models: out };
        break;
      }
      case 'byoc': {
        if (!options.advertiseByoc) break;
        const capacity = free(descriptor, options.usage);
        const byoc = (message.constraints.perCapability[LIVEPEER_CAPABILITY_BYOC] ??= { models: {} });
        byoc.models[mapping.name] = { warm: true, capacity, runnerVersion: '', capacityInUse: options.usage?.inUse(descriptor.id) ?? 0 };
        advertise(LIVEPEER_CAPABILITY_BYOC, (message.capacities[LIVEPEER_CAPABILITY_BYOC] ?? 0) + capacity);
        break;
      }
    }
  }
  return message;
}
