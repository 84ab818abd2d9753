import type { CapabilityDescriptor } from '@lpx/sdk';

export type CapacityChangeReason = 'reserve' | 'release' | 'set-capacity';

/** Sent whenever free capacity moves, so the network layer can re-advertise. */
export interface CapacityChange {
  readonly capabilityId: string;
  readonly model?: string;
  readonly reason: CapacityChangeReason;
  /** Free units of the capability after the change. */
  readonly available: number;
  readonly inUse: number;
  readonly capacity: number;
}

export interface CapabilityRegistryEvents {
  /** Once, when boot publishes the final set of capabilities. */
  published: [descriptors: readonly CapabilityDescriptor[]];
  capacity: [change: CapacityChange];
}
