import { isCapabilityId, type CapabilityDescriptor } from '@lpx/sdk';
import { AI_CAPABILITY_IDS, LIVEPEER_CAPABILITIES, LIVEPEER_CAPABILITY_BYOC, SOFTWARE_TRANSCODE_CAPABILITY_IDS } from './capability-enum.js';
import { livepeerCapabilityToPipeline, pipelineToLivepeerCapability } from './pipeline-names.js';
import { transcodeBitsFor } from './transcode-bits.js';

/**
 * Our canonical ids ↔ go-livepeer enum ids.
 * - `video/transcode` is a bundle of bits (codecs, containers, profiles...);
 *   go-livepeer has no single "transcoding" id. Which bits is the descriptor's
 *   `transcode` constraint (the live backends' codecs, see transcode-bits.ts);
 *   the software set stands in for a descriptor that has none.
 * - `ai/<pipeline>` is exactly one id in 27..36, named by go-livepeer's slug.
 * - `byoc/<name>` is id 37 with the BYOC name carried as the constraint.
 */
export const TRANSCODE_CAPABILITY_ID = 'video/transcode';
export const AI_DOMAIN = 'ai';
export const BYOC_DOMAIN = 'byoc';

export type LivepeerMapping =
  | { readonly kind: 'transcode'; readonly ids: readonly number[] }
  | { readonly kind: 'ai'; readonly id: number; readonly pipeline: string }
  | { readonly kind: 'byoc'; readonly id: typeof LIVEPEER_CAPABILITY_BYOC; readonly name: string };

/** How a canonical id appears on the go-livepeer wire, or undefined when it has no counterpart. */
export function livepeerMappingFor(capabilityId: string): LivepeerMapping | undefined {
  if (capabilityId === TRANSCODE_CAPABILITY_ID) return { kind: 'transcode', ids: SOFTWARE_TRANSCODE_CAPABILITY_IDS };
  const slash = capabilityId.indexOf('/');
  const domain = capabilityId.slice(0, slash);
  const name = capabilityId.slice(slash + 1);
  if (slash < 0 || name === '') return undefined;
  if (domain === BYOC_DOMAIN) return { kind: 'byoc', id: LIVEPEER_CAPABILITY_BYOC, name };
  if (domain !== AI_DOMAIN) return undefined;
  const id = pipelineToLivepeerCapability(name);
  // Pipeline lookup also matches non-AI names (`h.264`); only 27..36 are pipelines.
  return id !== undefined && AI_CAPABILITY_IDS.includes(id) ? { kind: 'ai', id, pipeline: name } : undefined;
}

/**
 * The canonical id for a go-livepeer enum id. BYOC needs the name from the
 * constraint; without it (or with a name that is not a valid id segment,
 * e.g. upper-case) there is no canonical id. Id 13 and unknown ids have none.
 */
export function canonicalIdForLivepeer(id: number, byocName?: string): string | undefined {
  const info = Number.isInteger(id) ? LIVEPEER_CAPABILITIES[id] : undefined;
  switch (info?.kind) {
    case 'transcode':
      return TRANSCODE_CAPABILITY_ID;
    case 'ai': {
      const pipeline = livepeerCapabilityToPipeline(id);
      return pipeline === undefined ? undefined : `${AI_DOMAIN}/${pipeline}`;
    }
    case 'byoc': {
      const candidate = `${BYOC_DOMAIN}/${byocName ?? ''}`;
      return byocName && isCapabilityId(candidate) ? candidate : undefined;
    }
    default:
      return undefined;
  }
}

/** The enum ids a canonical id advertises as (empty when it has no go-livepeer counterpart). */
export function livepeerIdsFor(capabilityId: string): number[] {
  const mapping = livepeerMappingFor(capabilityId);
  if (mapping === undefined) return [];
  return mapping.kind === 'transcode' ? [...mapping.ids] : [mapping.id];
}

/** The enum ids one descriptor advertises as: for video/transcode, derived from its `transcode` constraint when it has one. */
export function livepeerIdsForDescriptor(descriptor: Pick<CapabilityDescriptor, 'id' | 'constraints'>): number[] {
  const transcode = descriptor.id === TRANSCODE_CAPABILITY_ID ? descriptor.constraints.transcode : undefined;
  return transcode !== undefined ? transcodeBitsFor(transcode) : livepeerIdsFor(descriptor.id);
}
