import { createExtensionPoint } from '../refs/extension-point.js';

/** What a selection algorithm sees of one orchestrator; all fields are data, no callbacks. */
export interface SelectionCandidate {
  readonly uri: string;
  readonly address?: string;
  /** Stake as a decimal string (wei). */
  readonly stake?: string;
  /** Price as a rational: pricePerUnit / pixelsPerUnit wei per unit. */
  readonly price?: { pricePerUnit: bigint; pixelsPerUnit: bigint };
  /** Last observed latency in ms, if any. */
  readonly latencyMs?: number;
  /** 0..1 performance score, if known. */
  readonly performance?: number;
}

export interface SelectionContext {
  readonly capabilityId: string;
  readonly model?: string;
  /** Max price the caller accepts, same rational form. */
  readonly maxPrice?: { pricePerUnit: bigint; pixelsPerUnit: bigint };
  /** Deterministic randomness for offline simulation; defaults to Math.random. */
  readonly random?: () => number;
}

/** Ranks candidates; returns them best-first (possibly fewer: filters may drop some). */
export interface SelectionAlgorithm {
  readonly name: string;
  select(candidates: readonly SelectionCandidate[], context: SelectionContext): SelectionCandidate[];
}

export interface SelectionAlgorithmsExtensionPoint {
  addAlgorithm(algorithm: SelectionAlgorithm): void;
}

export const selectionAlgorithmsExtensionPoint = createExtensionPoint<SelectionAlgorithmsExtensionPoint>({
  id: 'selection.algorithms',
});
