/**
 * Executors' offers summed per (pipeline, model): what one worker process
 * offers, and what every live worker of an orchestrator offers together.
 * Capacities add up; a model is warm when any runner for it is; when two
 * executors price one model differently the higher price wins, so a node
 * never charges less than an operator asked anywhere (docs/adr/0031).
 */
import type { AIModelOffer, AIPipelineName } from '@lpx/sdk';

export interface ModelPrice {
  readonly pricePerUnit: string;
  readonly pixelsPerUnit: string;
}

export interface ModelSummary {
  readonly pipeline: AIPipelineName;
  readonly modelId: string;
  readonly capacity: number;
  readonly warm: boolean;
  readonly runnerVersion?: string;
  readonly price?: ModelPrice;
  /** Executor names offering it (on every worker that does). */
  readonly executors: readonly string[];
  /** Worker processes offering it. */
  readonly workers: number;
}

/** p1 > p2 as rationals (wei per unit), exact. */
function pricier(a: ModelPrice, b: ModelPrice): boolean {
  return BigInt(a.pricePerUnit) * BigInt(b.pixelsPerUnit) > BigInt(b.pricePerUnit) * BigInt(a.pixelsPerUnit);
}

const UINT = /^(0|[1-9][0-9]*)$/;
const POSITIVE = /^[1-9][0-9]*$/;

/** An offer's price as the registry stores it, or undefined when it is absent or not two decimal integers. */
export function offerPrice(offer: AIModelOffer): ModelPrice | undefined {
  const price = offer.price;
  if (price === undefined || !UINT.test(String(price.pricePerUnit)) || !POSITIVE.test(String(price.pixelsPerUnit))) return undefined;
  return { pricePerUnit: String(price.pricePerUnit), pixelsPerUnit: String(price.pixelsPerUnit) };
}

/** A sane offer: heartbeats come from other processes and plugins, so nothing is taken on trust. */
export function isOffer(value: unknown): value is AIModelOffer {
  const offer = value as Partial<AIModelOffer> | null;
  return (
    offer !== null &&
    typeof offer === 'object' &&
    typeof offer.pipeline === 'string' &&
    typeof offer.modelId === 'string' &&
    offer.modelId.length > 0 &&
    Number.isSafeInteger(offer.capacity) &&
    (offer.capacity ?? -1) >= 0
  );
}

/** Offers grouped by worker id → executor name → offers. */
export type OffersByWorker = ReadonlyMap<string, Readonly<Record<string, readonly AIModelOffer[]>>>;

export function summarizeOffers(byWorker: OffersByWorker): ModelSummary[] {
  const table = new Map<string, { summary: Omit<ModelSummary, 'executors' | 'workers'>; executors: Set<string>; workers: Set<string> }>();
  for (const [workerId, executors] of byWorker) {
    for (const [executor, offers] of Object.entries(executors)) {
      for (const offer of offers) {
        if (!isOffer(offer)) continue;
        const key = `${offer.pipeline}\u0000${offer.modelId}`;
        const price = offerPrice(offer);
        const entry = table.get(key);
        if (entry === undefined) {
          table.set(key, {
            summary: {
              pipeline: offer.pipeline,
              modelId: offer.modelId,
              capacity: offer.capacity,
              warm: offer.warm === true,
              ...(offer.runnerVersion ? { runnerVersion: offer.runnerVersion } : {}),
              ...(price ? { price } : {}),
            },
            executors: new Set([executor]),
            workers: new Set([workerId]),
          });
          continue;
        }
        const s = entry.summary;
        entry.summary = {
          ...s,
          capacity: s.capacity + offer.capacity,
          warm: s.warm || offer.warm === true,
          ...(s.runnerVersion === undefined && offer.runnerVersion ? { runnerVersion: offer.runnerVersion } : {}),
          ...(price !== undefined && (s.price === undefined || pricier(price, s.price)) ? { price } : {}),
        };
        entry.executors.add(executor);
        entry.workers.add(workerId);
      }
    }
  }
  return [...table.values()]
    .map(({ summary, executors, workers }) => ({ ...summary, executors: [...executors].sort(), workers: workers.size }))
    .sort((a, b) => a.pipeline.localeCompare(b.pipeline) || a.modelId.localeCompare(b.modelId));
}
