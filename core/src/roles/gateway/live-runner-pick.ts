/**
 * Choosing the orchestrator for a Live Runner app: its runners of the app in
 * the right mode, within the price ceiling (a runner above it is never
 * tried), one runner per orchestrator (the cheapest, free capacity first),
 * then the gateway's selection algorithm over those orchestrators as over any
 * capability, suspended orchestrators only when nobody else is left (the
 * pool's fallback).
 */
import { errors, type LiveRunnerMode, type SelectionAlgorithm } from '@lpx/sdk';
import type { PoolEntry } from '../../gateway/pool/pool-options.js';
import { firstChoice } from '../../gateway/pool/selection-candidates.js';
import { toHex } from '../../payments/index.js';
import type { LiveRunnerDirectory, LiveRunnerOffer } from './live-runner-directory.js';
import { priceTooHigh, withinCeiling, type CeilingInputs, ceilingFor } from './live-runner-price.js';

export interface PickInputs {
  readonly app: string;
  readonly mode: LiveRunnerMode;
  readonly ceilings: CeilingInputs;
  readonly exclude: ReadonlySet<string>;
  /** Leaves out runners the caller cannot use (the batch AI fallback: too few units for the request, ADR 0050). */
  readonly accept?: (runner: LiveRunnerOffer['runner']) => boolean;
}

export interface PickDeps {
  readonly directory: Pick<LiveRunnerDirectory, 'offers'>;
  readonly algorithm: SelectionAlgorithm;
  isSuspended(uri: string): boolean;
}

function better(a: LiveRunnerOffer, b: LiveRunnerOffer): boolean {
  const freeA = a.runner.capacityAvailable > 0;
  const freeB = b.runner.capacityAvailable > 0;
  if (freeA !== freeB) return freeA;
  return (a.runner.price?.price ?? 0n) < (b.runner.price?.price ?? 0n);
}

/** The next offer to try; throws RUNNER_UNKNOWN when nobody offers the app, PRICE_TOO_HIGH when price alone rules all out. */
export function pickOffer(deps: PickDeps, inputs: PickInputs): LiveRunnerOffer {
  const all = deps.directory.offers(inputs.app, inputs.mode);
  if (all.length === 0) throw errors.liveRunner.RUNNER_UNKNOWN.create(`no orchestrator in this gateway's pool offers the ${inputs.mode} app ${JSON.stringify(inputs.app)}`, { details: { app: inputs.app, mode: inputs.mode } });
  const byUri = new Map<string, LiveRunnerOffer>();
  let overPrice: LiveRunnerOffer | undefined;
  for (const offer of all) {
    const price = offer.runner.price;
    if (price !== undefined && !withinCeiling(price.price, ceilingFor(price.unit, inputs.ceilings))) {
      overPrice ??= offer;
      continue;
    }
    if (inputs.exclude.has(offer.uri) || (inputs.accept !== undefined && !inputs.accept(offer.runner))) continue;
    const held = byUri.get(offer.uri);
    if (held === undefined || better(offer, held)) byUri.set(offer.uri, offer);
  }
  const entries = [...byUri.values()].map((offer): PoolEntry & { offer: LiveRunnerOffer } => ({
    uri: offer.uri,
    info: offer.cached.info,
    address: toHex(offer.cached.info.address),
    latencyMs: offer.cached.latencyMs,
    fetchedAt: offer.cached.fetchedAt,
    penalty: deps.isSuspended(offer.uri) ? 1 : 0,
    ...(offer.runner.price !== undefined ? { price: { pricePerUnit: offer.runner.price.price, pixelsPerUnit: 1n } } : {}),
    offer,
  }));
  const open = entries.filter((e) => e.penalty === 0);
  const choice = firstChoice(open, deps.algorithm, { capabilityId: `live-runner/${inputs.app}` }) ?? entries.find((e) => e.penalty > 0);
  if (choice !== undefined) return (choice as PoolEntry & { offer: LiveRunnerOffer }).offer;
  if (byUri.size === 0 && overPrice !== undefined && all.every((o) => o.runner.price !== undefined && !withinCeiling(o.runner.price.price, ceilingFor(o.runner.price.unit, inputs.ceilings)))) {
    const price = overPrice.runner.price!;
    throw priceTooHigh(`every runner of ${inputs.app} (e.g. on ${overPrice.uri})`, price.price, price.unit, ceilingFor(price.unit, inputs.ceilings)!);
  }
  throw errors.gateway.NO_ORCHESTRATORS.create(`no orchestrator left to try for the app ${JSON.stringify(inputs.app)}`, { details: { app: inputs.app, excluded: inputs.exclude.size } });
}
