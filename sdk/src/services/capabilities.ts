import type { CapabilityDescriptor } from '../capabilities/descriptor.js';

export interface CapacityReservation {
  readonly id: string;
  readonly capabilityId: string;
  readonly model?: string;
}

/** The node's runtime capability registry (not the plugin registry). */
export interface CapabilitiesService {
  list(): CapabilityDescriptor[];
  get(id: string): CapabilityDescriptor | undefined;
  /** Free units for a capability (or one of its models). */
  available(id: string, model?: string): number;
  /** Takes one unit of capacity; throws LPX_ERR_CAPABILITY_NO_CAPACITY when full. */
  reserve(id: string, model?: string): CapacityReservation;
  /** Gives the unit back; releasing twice throws LPX_ERR_CAPABILITY_RESERVATION_UNKNOWN. */
  release(reservation: CapacityReservation): void;
}
