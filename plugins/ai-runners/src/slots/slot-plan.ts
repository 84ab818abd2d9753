/**
 * GPU slots, as go-livepeer lays them out: one per GPU id, `emulated-0` when
 * no GPU is configured, and `colocated-<i>-<gpu>` when several containers
 * share a GPU. Each slot hosts at most one managed container.
 */
export interface Slot {
  /** go-livepeer's slot name: `0`, `emulated-0`, `colocated-1-0`. */
  readonly id: string;
  /** The device requested for the slot's container; absent: none (emulated, or the GPU is unavailable). */
  readonly device?: string;
}

export interface GpuAvailability {
  readonly id: string;
  readonly available: boolean;
  readonly reason?: string;
}

/**
 * Builds the slots. A configured GPU that the probe found unusable keeps its
 * slot without a device request (the runner runs on the CPU), so capacity
 * matches the config and the log line says why.
 */
export function planSlots(gpus: readonly GpuAvailability[], containersPerGpu: number): Slot[] {
  const base: Slot[] = gpus.length === 0 ? [{ id: 'emulated-0' }] : gpus.map((g) => (g.available ? { id: g.id, device: g.id } : { id: g.id }));
  if (containersPerGpu <= 1) return base;
  const slots: Slot[] = [];
  for (let i = 0; i < containersPerGpu; i++) {
    for (const slot of base) slots.push({ id: `colocated-${i}-${slot.id}`, ...(slot.device !== undefined ? { device: slot.device } : {}) });
  }
  return slots;
}
