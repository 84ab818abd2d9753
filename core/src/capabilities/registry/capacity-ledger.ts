import { randomUUID } from 'node:crypto';
import { errors, type CapacityReservation } from '@lpx/sdk';

/** Capacity of a capability and, optionally, per-model limits inside it. */
export interface CapacityLimits {
  capacity: number;
  /** modelId → limit; undefined limit = bounded only by the capability. */
  models: Record<string, number | undefined>;
}

interface Counter {
  limits: CapacityLimits;
  inUse: number;
  modelInUse: Map<string, number>;
}

interface Held {
  readonly reservation: CapacityReservation;
  /** Plugin that took it (undefined = the kernel); only it may give it back. */
  readonly owner: string | undefined;
}

/**
 * Counts units in use and hands out reservations. Every operation is
 * synchronous, so check-and-take cannot interleave within one process: that
 * is what makes it safe under concurrent requests. Cross-process admission is
 * the job queue's business, not this ledger's.
 */
export class CapacityLedger {
  readonly #counters = new Map<string, Counter>();
  readonly #held = new Map<string, Held>();
  /** Reservations of a removed capability: releasing them only forgets them (a re-registered id starts from zero). */
  readonly #orphaned = new Set<string>();

  define(capabilityId: string, limits: CapacityLimits): void {
    const existing = this.#counters.get(capabilityId);
    this.#counters.set(capabilityId, { limits, inUse: existing?.inUse ?? 0, modelInUse: existing?.modelInUse ?? new Map() });
  }

  /** Forgets a capability (run-time capabilities come and go); its outstanding reservations stay releasable. */
  remove(capabilityId: string): void {
    this.#counters.delete(capabilityId);
    for (const [id, held] of this.#held) if (held.reservation.capabilityId === capabilityId) this.#orphaned.add(id);
  }

  has(capabilityId: string): boolean {
    return this.#counters.has(capabilityId);
  }

  inUse(capabilityId: string, model?: string): number {
    const counter = this.#counters.get(capabilityId);
    if (!counter) return 0;
    return model === undefined ? counter.inUse : (counter.modelInUse.get(model) ?? 0);
  }

  /** Free units, never below 0 (capacity may have been lowered under what is in use). */
  available(capabilityId: string, model?: string): number {
    const counter = this.#counters.get(capabilityId);
    if (!counter) return 0;
    const free = Math.max(0, counter.limits.capacity - counter.inUse);
    if (model === undefined) return free;
    if (!(model in counter.limits.models)) return 0;
    const limit = counter.limits.models[model];
    return limit === undefined ? free : Math.min(free, Math.max(0, limit - (counter.modelInUse.get(model) ?? 0)));
  }

  reserve(capabilityId: string, model: string | undefined, owner: string | undefined): CapacityReservation {
    const counter = this.#counters.get(capabilityId);
    if (!counter) throw errors.capability.UNKNOWN.create(`no capability "${capabilityId}" is registered`, { details: { capabilityId } });
    if (model !== undefined && !(model in counter.limits.models)) {
      throw errors.capability.UNKNOWN.create(`capability "${capabilityId}" does not serve model "${model}"`, { details: { capabilityId, model } });
    }
    if (this.available(capabilityId, model) < 1) {
      throw errors.capability.NO_CAPACITY.create(`capability "${capabilityId}"${model === undefined ? '' : ` model "${model}"`} is at capacity`, {
        details: { capabilityId, model, inUse: this.inUse(capabilityId, model) },
      });
    }
    counter.inUse += 1;
    if (model !== undefined) counter.modelInUse.set(model, (counter.modelInUse.get(model) ?? 0) + 1);
    const reservation: CapacityReservation = Object.freeze({ id: randomUUID(), capabilityId, ...(model === undefined ? {} : { model }) });
    this.#held.set(reservation.id, { reservation, owner });
    return reservation;
  }

  release(reservation: CapacityReservation, owner: string | undefined): void {
    const held = this.#held.get(reservation.id);
    // Another plugin's reservation is reported as unknown: plugins must not see each other's holds.
    if (!held || (owner !== undefined && held.owner !== owner)) {
      throw errors.capability.RESERVATION_UNKNOWN.create(`reservation "${reservation.id}" for "${reservation.capabilityId}" is not held (released twice?)`, {
        details: { reservationId: reservation.id, capabilityId: reservation.capabilityId },
      });
    }
    this.#held.delete(reservation.id);
    if (this.#orphaned.delete(reservation.id)) return;
    const { capabilityId, model } = held.reservation;
    const counter = this.#counters.get(capabilityId);
    if (!counter) return;
    counter.inUse -= 1;
    if (model !== undefined) counter.modelInUse.set(model, (counter.modelInUse.get(model) ?? 1) - 1);
  }
}
