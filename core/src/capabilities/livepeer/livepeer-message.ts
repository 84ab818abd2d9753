import type { CapabilityBitstring } from './bitstring.js';

/**
 * go-livepeer's `net.Capabilities` as a plain object. Field names follow the
 * proto; the protobuf codec (elsewhere) maps them 1:1. uint64 words are
 * `bigint`; uint32 values are `number`. Map keys are enum ids.
 */
export interface LivepeerModelConstraint {
  warm: boolean;
  capacity: number;
  runnerVersion: string;
  /** Only live pipelines fill this in go-livepeer; 0 otherwise. */
  capacityInUse: number;
}

export interface LivepeerCapabilityConstraints {
  models: Record<string, LivepeerModelConstraint>;
}

export interface LivepeerConstraints {
  minVersion: string;
  perCapability: Record<number, LivepeerCapabilityConstraints>;
}

export interface LivepeerCapabilities {
  bitstring: CapabilityBitstring;
  mandatories: CapabilityBitstring;
  capacities: Record<number, number>;
  version: string;
  constraints: LivepeerConstraints;
}

/** As received from a peer: anything may be missing (proto3 defaults, old nodes). */
export interface LivepeerCapabilitiesInput {
  bitstring?: readonly bigint[];
  mandatories?: readonly bigint[];
  capacities?: Readonly<Record<number, number>>;
  version?: string;
  constraints?: {
    minVersion?: string;
    perCapability?: Readonly<Record<number, { models?: Readonly<Record<string, Partial<LivepeerModelConstraint>>> } | undefined>>;
  };
}

/** `net.PriceInfo` as used in `capabilities_prices` (int64 fields as bigint). */
export interface LivepeerCapabilityPrice {
  capability: number;
  /** Model id for AI, capability name for BYOC. */
  constraint: string;
  pricePerUnit: bigint;
  pixelsPerUnit: bigint;
}

export function emptyLivepeerCapabilities(version = ''): LivepeerCapabilities {
  return { bitstring: [], mandatories: [], capacities: {}, version, constraints: { minVersion: '', perCapability: {} } };
}
