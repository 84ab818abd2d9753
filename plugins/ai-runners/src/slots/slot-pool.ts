import type { Slot } from './slot-plan.js';

/** Where a managed runner is in its life; only `idle` ones are lent or evicted. */
export type RunnerState = 'starting' | 'loading' | 'idle' | 'borrowed' | 'stopping';

export interface PooledRunner {
  /** Ours, stable for the runner's life (the container id arrives later). */
  readonly key: string;
  readonly slotId: string;
  readonly modelKey: string;
  /** Warm runners are pinned: never evicted, re-warmed when they die. */
  readonly warm: boolean;
  state: RunnerState;
}

export type Allocation =
  | { readonly kind: 'free'; readonly slot: Slot; readonly runner: PooledRunner }
  | { readonly kind: 'evict'; readonly slot: Slot; readonly runner: PooledRunner; readonly evicted: PooledRunner }
  | { readonly kind: 'none' };

/**
 * Which slot runs which model, as pure bookkeeping (no I/O): go-livepeer's
 * DockerManager decisions — take an idle runner of the model, else a free
 * slot, else evict an idle runner that is not warm, else no capacity.
 */
export class SlotPool {
  readonly slots: readonly Slot[];
  readonly #runners = new Map<string, PooledRunner>();
  #seq = 0;

  constructor(slots: readonly Slot[]) {
    this.slots = slots;
  }

  get runners(): readonly PooledRunner[] {
    return [...this.#runners.values()];
  }

  get(key: string): PooledRunner | undefined {
    return this.#runners.get(key);
  }

  runnerOn(slotId: string): PooledRunner | undefined {
    for (const r of this.#runners.values()) if (r.slotId === slotId) return r;
    return undefined;
  }

  /** An idle runner of the model, now borrowed. */
  borrowIdle(modelKey: string): PooledRunner | undefined {
    for (const r of this.#runners.values()) {
      if (r.modelKey === modelKey && r.state === 'idle') {
        r.state = 'borrowed';
        return r;
      }
    }
    return undefined;
  }

  /** Reserves a slot for a new runner of the model (state `starting`), evicting an idle cold runner if it must. */
  allocate(modelKey: string, warm: boolean): Allocation {
    const free = this.slots.find((s) => !this.runnerOn(s.id));
    if (free) return { kind: 'free', slot: free, runner: this.#add(free, modelKey, warm) };
    for (const candidate of this.#runners.values()) {
      if (candidate.state === 'idle' && !candidate.warm) {
        candidate.state = 'stopping';
        this.#runners.delete(candidate.key);
        const slot = this.slots.find((s) => s.id === candidate.slotId)!;
        return { kind: 'evict', slot, runner: this.#add(slot, modelKey, warm), evicted: candidate };
      }
    }
    return { kind: 'none' };
  }

  /** Puts a runner found at start (adoption) on its slot; false if the slot is unknown or taken. */
  adopt(slotId: string, modelKey: string, warm: boolean, state: RunnerState): PooledRunner | undefined {
    const slot = this.slots.find((s) => s.id === slotId);
    if (!slot || this.runnerOn(slotId)) return undefined;
    const runner = this.#add(slot, modelKey, warm);
    runner.state = state;
    return runner;
  }

  setState(key: string, state: RunnerState): void {
    const r = this.#runners.get(key);
    if (r) r.state = state;
  }

  /** Frees the runner's slot. */
  remove(key: string): PooledRunner | undefined {
    const r = this.#runners.get(key);
    this.#runners.delete(key);
    return r;
  }

  /** Slots a cold model could get: free ones and those holding an idle or busy runner that is not warm. */
  unpinnedSlots(): number {
    return this.slots.filter((s) => !this.runnerOn(s.id)?.warm).length;
  }

  count(modelKey: string, states: readonly RunnerState[]): number {
    let n = 0;
    for (const r of this.#runners.values()) if (r.modelKey === modelKey && states.includes(r.state)) n++;
    return n;
  }

  /** go-livepeer's metrics: containers in use and idle (per model or all), GPUs with no container. */
  usage(modelKey?: string): { inUse: number; idle: number; slotsIdle: number } {
    let inUse = 0;
    let idle = 0;
    for (const r of this.#runners.values()) {
      if (modelKey !== undefined && r.modelKey !== modelKey) continue;
      if (r.state === 'idle') idle++;
      else if (r.state !== 'stopping') inUse++;
    }
    const slotsIdle = this.slots.filter((s) => !this.runnerOn(s.id)).length;
    return { inUse, idle, slotsIdle };
  }

  #add(slot: Slot, modelKey: string, warm: boolean): PooledRunner {
    const runner: PooledRunner = { key: `r${++this.#seq}`, slotId: slot.id, modelKey, warm, state: 'starting' };
    this.#runners.set(runner.key, runner);
    return runner;
  }
}
