import { errors, type CapabilitiesService, type CapabilityDeclaration, type CapabilityDescriptor, type CapacityReservation, type RuntimeCapabilityOptions } from '@lpx/sdk';
import type { CapabilityRegistry } from './capability-registry.js';
import type { CapabilityOverrides } from './resolve-descriptor.js';

/**
 * What one plugin sees of the registry (`coreServices.capabilities` is
 * plugin-scoped). Reads see every capability — a gateway plugin must know what
 * the node offers — but reservations are the plugin's own: releasing another
 * plugin's reservation is reported as unknown.
 */
export class PluginCapabilities implements CapabilitiesService {
  readonly #registry: CapabilityRegistry;
  readonly pluginId: string;

  constructor(registry: CapabilityRegistry, pluginId: string) {
    this.#registry = registry;
    this.pluginId = pluginId;
  }

  declare(declaration: CapabilityDeclaration, overrides?: CapabilityOverrides): CapabilityDescriptor {
    return this.#registry.declare(this.pluginId, declaration, overrides);
  }

  list(): CapabilityDescriptor[] {
    return this.#registry.list();
  }

  get(id: string): CapabilityDescriptor | undefined {
    return this.#registry.get(id);
  }

  available(id: string, model?: string): number {
    return this.#registry.available(id, model);
  }

  reserve(id: string, model?: string): CapacityReservation {
    return this.#registry.reserveFor(this.pluginId, id, model);
  }

  release(reservation: CapacityReservation): void {
    this.#registry.releaseFor(this.pluginId, reservation);
  }

  register(declaration: CapabilityDeclaration, options?: RuntimeCapabilityOptions): () => void {
    return this.#registry.registerAtRuntime(this.pluginId, declaration, options);
  }

  /** Only for ids this plugin registered at run time: manifest capacity is the operator's, through config. */
  setCapacity(id: string, capacity: number): void {
    if (this.#registry.registeredAtRuntimeBy(id) !== this.pluginId) {
      throw errors.capability.UNKNOWN.create(`plugin "${this.pluginId}" did not register "${id}" at run time, so it cannot set its capacity`, { details: { capabilityId: id, pluginId: this.pluginId } });
    }
    this.#registry.setCapacity(id, capacity);
  }
}
