import { EventEmitter } from 'node:events';
import { errors, RUNTIME_CAPABILITY_PREFIXES, type CapabilitiesService, type CapabilityRequest, type RuntimeCapabilityOptions, type CapabilityDeclaration, type CapabilityDescriptor, type CapacityReservation, type ModelConstraint } from '@lpx/sdk';
import { CapacityLedger, type CapacityLimits } from './capacity-ledger.js';
import { mergeDeclarations, type ProvidedDeclaration } from './merge-declarations.js';
import { PluginCapabilities } from './plugin-capabilities.js';
import type { CapabilityRegistryEvents, CapacityChangeReason } from './registry-events.js';
import { resolveDescriptor, type CapabilityOverrides } from './resolve-descriptor.js';

interface Entry {
  providers: ProvidedDeclaration[];
  /** The providers' declarations merged into one (equal to the only one when single). */
  declaration: CapabilityDeclaration;
  overrides: CapabilityOverrides | undefined;
  descriptor: CapabilityDescriptor;
  /** Set for capabilities registered at run time: they can be removed, and may check requests first. */
  runtime?: { readonly token: symbol; readonly options: RuntimeCapabilityOptions };
}

function limitsOf(descriptor: CapabilityDescriptor): CapacityLimits {
  const models: Record<string, number | undefined> = {};
  for (const [modelId, model] of Object.entries(descriptor.constraints.models ?? {})) models[modelId] = model.capacity;
  return { capacity: descriptor.capacity, models };
}

/**
 * The node's runtime capability registry. Plugins declare during boot; boot
 * then publishes and locks it, after which only capacity moves (reservations
 * and capacity changes from workers coming and going), each emitting a
 * `capacity` event.
 */
export class CapabilityRegistry extends EventEmitter<CapabilityRegistryEvents> implements CapabilitiesService {
  readonly #entries = new Map<string, Entry>();
  readonly #ledger = new CapacityLedger();
  #locked = false;

  /** Adds (or, for disjoint models, merges) a declaration; returns the resulting descriptor. */
  declare(pluginId: string, declaration: CapabilityDeclaration, overrides?: CapabilityOverrides): CapabilityDescriptor {
    if (this.#locked) {
      throw errors.capability.LOCKED.create(`plugin "${pluginId}" declared "${declaration.id}" after the capability registry was published`, {
        details: { pluginId, capabilityId: declaration.id },
      });
    }
    const provided: ProvidedDeclaration = { pluginId, declaration };
    const existing = this.#entries.get(declaration.id);
    // Resolve the single declaration first so a bad id or field is reported as such, not as a clash.
    resolveDescriptor(pluginId, declaration, overrides);
    const first = existing?.providers[0];
    const merged = existing ? mergeDeclarations({ pluginId: first?.pluginId ?? pluginId, declaration: existing.declaration }, provided) : declaration;
    const effectiveOverrides = overrides ?? existing?.overrides;
    const descriptor = resolveDescriptor(first?.pluginId ?? pluginId, merged, effectiveOverrides);
    this.#entries.set(declaration.id, {
      providers: [...(existing?.providers ?? []), provided],
      declaration: merged,
      overrides: effectiveOverrides,
      descriptor,
    });
    this.#ledger.define(descriptor.id, limitsOf(descriptor));
    return descriptor;
  }

  /**
   * Adds a capability at run time (before or after lock), for ids under
   * RUNTIME_CAPABILITY_PREFIXES: BYOC apps and external workers come and go
   * while the node runs. The same provider re-registering replaces its entry
   * (go-livepeer: re-registering a name replaces it); another provider's id,
   * or a manifest-declared one, is a duplicate. Returns the remover.
   */
  registerAtRuntime(pluginId: string, declaration: CapabilityDeclaration, options: RuntimeCapabilityOptions = {}): () => void {
    if (!RUNTIME_CAPABILITY_PREFIXES.some((prefix) => declaration.id.startsWith(prefix))) {
      throw errors.capability.INVALID_DECLARATION.create(
        `plugin "${pluginId}" registered "${declaration.id}" at run time; only ${RUNTIME_CAPABILITY_PREFIXES.map((p) => `${p}*`).join(' and ')} ids can be (declare the rest in the manifest)`,
        { details: { pluginId, capabilityId: declaration.id } },
      );
    }
    const existing = this.#entries.get(declaration.id);
    if (existing !== undefined && (existing.runtime === undefined || existing.descriptor.providedBy !== pluginId)) {
      throw errors.capability.DUPLICATE.create(`capability "${declaration.id}" is already provided by plugin "${existing.descriptor.providedBy}"; plugin "${pluginId}" cannot register it`, {
        details: { capabilityId: declaration.id, pluginIds: [existing.descriptor.providedBy, pluginId] },
      });
    }
    const descriptor = resolveDescriptor(pluginId, declaration, undefined);
    const token = Symbol(declaration.id);
    this.#entries.set(declaration.id, { providers: [{ pluginId, declaration }], declaration, overrides: undefined, descriptor, runtime: { token, options } });
    this.#ledger.define(descriptor.id, limitsOf(descriptor));
    this.#emitCapacity(descriptor.id, undefined, 'set-capacity');
    return () => {
      if (this.#entries.get(declaration.id)?.runtime?.token !== token) return;
      this.#entries.delete(declaration.id);
      this.#ledger.remove(declaration.id);
      this.#emitCapacity(declaration.id, undefined, 'set-capacity');
    };
  }

  /** The CapabilitiesService form: registered by the kernel itself. */
  register(declaration: CapabilityDeclaration, options?: RuntimeCapabilityOptions): () => void {
    return this.registerAtRuntime('kernel', declaration, options);
  }

  /** Whether a plugin registered this id at run time (it may then bind the id's job processor). */
  registeredAtRuntimeBy(id: string): string | undefined {
    const entry = this.#entries.get(id);
    return entry?.runtime === undefined ? undefined : entry.descriptor.providedBy;
  }

  /**
   * Runs a run-time capability's request check, if it has one; throws what
   * the check threw. Capabilities without one accept every request.
   */
  async validateRequest(id: string, request: CapabilityRequest): Promise<void> {
    await this.#entries.get(id)?.runtime?.options.validate?.(request);
  }

  /** Freezes the set of manifest-declared capabilities; later declarations fail with LPX_ERR_CAPABILITY_LOCKED (run-time registration stays open). */
  lock(): void {
    this.#locked = true;
  }

  get locked(): boolean {
    return this.#locked;
  }

  /** End of boot: lock, then tell listeners (discovery/advertisement) the final set. */
  publish(): readonly CapabilityDescriptor[] {
    this.lock();
    const descriptors = Object.freeze(this.list());
    this.emit('published', descriptors);
    return descriptors;
  }

  list(): CapabilityDescriptor[] {
    return [...this.#entries.values()].map((entry) => entry.descriptor).sort((a, b) => a.id.localeCompare(b.id));
  }

  get(id: string): CapabilityDescriptor | undefined {
    return this.#entries.get(id)?.descriptor;
  }

  /** Which plugin serves a capability (and model, when plugins split models between them). */
  providerOf(id: string, model?: string): string | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (model === undefined) return entry.descriptor.providedBy;
    return entry.providers.find((p) => p.declaration.constraints?.models?.[model] !== undefined)?.pluginId ?? entry.descriptor.providedBy;
  }

  /** Free units; 0 for an unknown capability or a model it does not serve. */
  available(id: string, model?: string): number {
    return this.#ledger.available(id, model);
  }

  inUse(id: string, model?: string): number {
    return this.#ledger.inUse(id, model);
  }

  reserve(id: string, model?: string): CapacityReservation {
    return this.reserveFor(undefined, id, model);
  }

  release(reservation: CapacityReservation): void {
    this.releaseFor(undefined, reservation);
  }

  /** @internal used by plugin views so a plugin can only release what it reserved. */
  reserveFor(owner: string | undefined, id: string, model?: string): CapacityReservation {
    const reservation = this.#ledger.reserve(id, model, owner);
    this.#emitCapacity(id, model, 'reserve');
    return reservation;
  }

  /** @internal */
  releaseFor(owner: string | undefined, reservation: CapacityReservation): void {
    this.#ledger.release(reservation, owner);
    this.#emitCapacity(reservation.capabilityId, reservation.model, 'release');
  }

  /**
   * Changes capacity at runtime (a remote worker connected or left, a runner
   * container became warm). Allowed after lock: only the set of ids is frozen.
   * Lowering below what is in use is allowed; new reservations wait until
   * releases bring usage under the new limit.
   */
  setCapacity(id: string, capacity: number, model?: string): CapabilityDescriptor {
    const entry = this.#entries.get(id);
    if (!entry) throw errors.capability.UNKNOWN.create(`no capability "${id}" is registered`, { details: { capabilityId: id } });
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw errors.capability.INVALID_DECLARATION.create(`capacity for "${id}" must be a non-negative integer, got ${capacity}`, { details: { capabilityId: id } });
    }
    const models = entry.descriptor.constraints.models;
    let descriptor: CapabilityDescriptor;
    if (model === undefined) {
      descriptor = Object.freeze({ ...entry.descriptor, capacity });
    } else {
      const current = models?.[model];
      if (!models || !current) throw errors.capability.UNKNOWN.create(`capability "${id}" does not serve model "${model}"`, { details: { capabilityId: id, model } });
      const constraints = Object.freeze({ ...entry.descriptor.constraints, models: Object.freeze({ ...models, [model]: Object.freeze({ ...current, capacity }) }) });
      descriptor = Object.freeze({ ...entry.descriptor, constraints });
    }
    entry.descriptor = descriptor;
    this.#ledger.define(id, limitsOf(descriptor));
    this.#emitCapacity(id, model, 'set-capacity');
    return descriptor;
  }

  /**
   * Replaces a capability's models and its capacity at runtime: AI models
   * come and go with the worker processes that offer them (core/src/ai).
   * Reservations held for a model that left stay counted until released.
   */
  setModels(id: string, models: Readonly<Record<string, ModelConstraint>>, capacity: number): CapabilityDescriptor {
    const entry = this.#entries.get(id);
    if (!entry) throw errors.capability.UNKNOWN.create(`no capability "${id}" is registered`, { details: { capabilityId: id } });
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw errors.capability.INVALID_DECLARATION.create(`capacity for "${id}" must be a non-negative integer, got ${capacity}`, { details: { capabilityId: id } });
    }
    const frozen = Object.freeze(Object.fromEntries(Object.entries(models).map(([modelId, model]) => [modelId, Object.freeze({ ...model })])));
    const constraints = Object.freeze({ ...entry.descriptor.constraints, models: frozen });
    entry.descriptor = Object.freeze({ ...entry.descriptor, capacity, constraints });
    this.#ledger.define(id, limitsOf(entry.descriptor));
    this.#emitCapacity(id, undefined, 'set-capacity');
    return entry.descriptor;
  }

  /**
   * Replaces one non-model constraint at runtime (video/transcode's codecs
   * follow the transcode workers that are alive). Models stay fixed: they
   * carry capacity, which moves through setCapacity.
   */
  setConstraint<K extends Exclude<keyof CapabilityDescriptor['constraints'], 'models'>>(id: string, key: K, value: CapabilityDescriptor['constraints'][K]): CapabilityDescriptor {
    const entry = this.#entries.get(id);
    if (!entry) throw errors.capability.UNKNOWN.create(`no capability "${id}" is registered`, { details: { capabilityId: id } });
    const constraints = { ...entry.descriptor.constraints };
    if (value === undefined) delete constraints[key];
    else constraints[key] = value;
    entry.descriptor = Object.freeze({ ...entry.descriptor, constraints: Object.freeze(constraints) });
    return entry.descriptor;
  }

  /** A view bound to one plugin: its declarations carry its id, its reservations are its own. */
  forPlugin(pluginId: string): PluginCapabilities {
    return new PluginCapabilities(this, pluginId);
  }

  #emitCapacity(capabilityId: string, model: string | undefined, reason: CapacityChangeReason): void {
    const descriptor = this.#entries.get(capabilityId)?.descriptor;
    this.emit('capacity', {
      capabilityId,
      ...(model === undefined ? {} : { model }),
      reason,
      available: this.#ledger.available(capabilityId),
      inUse: this.#ledger.inUse(capabilityId),
      capacity: descriptor?.capacity ?? 0,
    });
  }
}
