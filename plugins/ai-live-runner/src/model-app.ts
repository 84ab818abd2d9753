/**
 * One batch AI model the orchestrator serves, as a single-shot Live Runner
 * app (ADR 0050):
 * - app = `<pipeline>/<model_id>` (go-livepeer's `pipeline/model` app
 *   convention, e.g. `text-to-image/stabilityai/sd-turbo`), label = `ai/` +
 *   the app, routed by runner id (model ids hold `/`);
 * - metadata = JSON naming the API (`ai-runner`: the body and answer of
 *   go-livepeer's `POST /<pipeline>`), pipeline, model, billing unit, the
 *   units one call may use and the batch price they come from;
 * - price = `fixed`: the model's batch price (pricePerUnit wei per
 *   pixelsPerUnit units, ADR 0033) × maxUnits, exact — a product that is not
 *   a whole number of wei is refused, never rounded; no price on an offchain
 *   node, and a paid node cannot sell a free model (Live Runner prices are
 *   positive), so a zero-priced model is left out there.
 */
import type { CapabilityDescriptor, StaticLiveRunner } from '@lpx/sdk';

export interface ModelOffer {
  readonly pipeline: string;
  readonly modelId: string;
  readonly unit: string;
  readonly capacity: number;
  readonly warm: boolean;
  readonly price?: { readonly pricePerUnit: string; readonly pixelsPerUnit: string };
  readonly runnerVersion?: string;
}

export type AppPlan = { readonly ok: true; readonly runner: StaticLiveRunner; readonly maxUnits?: bigint } | { readonly ok: false; readonly reason: string };

/** Live Runner metadata is public text of at most 1 KiB (go-livepeer's limit). */
const MAX_METADATA_BYTES = 1024;

export function appName(pipeline: string, modelId: string): string {
  return `${pipeline}/${modelId}`;
}

export function labelFor(pipeline: string, modelId: string): string {
  return `ai/${appName(pipeline, modelId)}`;
}

/** The models of every `ai/<pipeline>` capability with room now, with the model's price or the capability's. */
export function modelOffers(descriptors: readonly CapabilityDescriptor[]): ModelOffer[] {
  const out: ModelOffer[] = [];
  for (const d of descriptors) {
    if (!d.id.startsWith('ai/')) continue;
    const pipeline = d.id.slice('ai/'.length);
    for (const [modelId, model] of Object.entries(d.constraints.models ?? {})) {
      const capacity = model.capacity ?? 0;
      if (capacity < 1) continue;
      const price = model.price ?? d.price;
      out.push({
        pipeline,
        modelId,
        unit: d.workUnit,
        capacity,
        warm: model.warm === true,
        ...(price !== undefined ? { price: { pricePerUnit: price.pricePerUnit, pixelsPerUnit: price.pixelsPerUnit ?? '1' } } : {}),
        ...(model.runnerVersion !== undefined ? { runnerVersion: model.runnerVersion } : {}),
      });
    }
  }
  return out;
}

/** Wei for `units` at pricePerUnit/pixelsPerUnit, or undefined when it is not a whole number. */
export function fixedPrice(price: { pricePerUnit: string; pixelsPerUnit: string }, units: bigint): bigint | undefined {
  const numerator = BigInt(price.pricePerUnit) * units;
  const den = BigInt(price.pixelsPerUnit);
  return numerator % den === 0n ? numerator / den : undefined;
}

export function planApp(offer: ModelOffer, options: { readonly paid: boolean; readonly maxUnits: bigint | undefined; readonly runnerUrl: string }): AppPlan {
  const app = appName(offer.pipeline, offer.modelId);
  let wei: bigint | undefined;
  if (options.paid) {
    if (options.maxUnits === undefined) return { ok: false, reason: `no maxUnits for ${offer.pipeline}: a fixed price needs the units one call may use (plugins.ai-live-runner.config.maxUnits)` };
    const perUnit = offer.price ?? { pricePerUnit: '0', pixelsPerUnit: '1' };
    wei = fixedPrice(perUnit, options.maxUnits);
    if (wei === undefined) return { ok: false, reason: `${perUnit.pricePerUnit}/${perUnit.pixelsPerUnit} wei per ${offer.unit} × ${options.maxUnits} units is not a whole number of wei` };
    if (wei === 0n) return { ok: false, reason: `${app} is free, and a paid node's Live Runner apps must have a positive price` };
  }
  const metadata = JSON.stringify({
    api: 'ai-runner',
    pipeline: offer.pipeline,
    model_id: offer.modelId,
    unit: offer.unit,
    warm: offer.warm,
    ...(options.maxUnits !== undefined ? { max_units: options.maxUnits.toString() } : {}),
    ...(offer.price !== undefined ? { price_per_unit: offer.price.pricePerUnit, pixels_per_unit: offer.price.pixelsPerUnit } : {}),
  });
  if (Buffer.byteLength(metadata, 'utf8') > MAX_METADATA_BYTES) return { ok: false, reason: `the metadata of ${app} would be over ${MAX_METADATA_BYTES} bytes (model id too long)` };
  return {
    ok: true,
    ...(options.maxUnits !== undefined ? { maxUnits: options.maxUnits } : {}),
    runner: {
      label: labelFor(offer.pipeline, offer.modelId),
      routing: 'runner-id',
      runnerUrl: options.runnerUrl,
      healthUrl: `${options.runnerUrl}/health`,
      app,
      ...(offer.runnerVersion !== undefined ? { version: offer.runnerVersion } : {}),
      metadata,
      mode: 'single-shot',
      capacity: offer.capacity,
      ...(wei !== undefined ? { price: { price: wei.toString(), unit: 'fixed' as const } } : {}),
    },
  };
}
