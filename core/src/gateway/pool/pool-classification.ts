/**
 * The pool's classification of its cached replies for one (capability, model,
 * job max price): usable and suspended entries, counts for the error
 * messages, and the frozen candidate list selection algorithms key their kept
 * work on (ADR 0055). Kept per key and rebuilt only when the pool's version
 * moves or the earliest auth-token expiry passes; preferred tiers (e.g. warm
 * AI orchestrators) are kept with it, built on first use.
 */
import type { RationalPrice, SelectionCandidate } from '@lpx/sdk';
import { offers, priceFor, type InfoView } from './capability-price.js';
import type { CachedInfo, PoolEntry } from './pool-options.js';
import { withinMaxPrice } from './price-limits.js';
import { tokenExpired, tokenExpiryMs } from './refresh-policy.js';
import { toSelectionCandidates } from './selection-candidates.js';
import { BoundedMemo } from '../../memo/bounded-memo.js';

export interface Slot extends CachedInfo {
  readonly view: InfoView;
  /** Hex once per reply rather than once per `usable()` call. */
  readonly address: string;
  /** Which fetch produced it, so a slow older reply never overwrites a newer one. */
  readonly seq: number;
}

/** A subset of the usable entries a caller prefers while any of them is open (go-livepeer: warm AI orchestrators before cold ones). */
export interface Preference {
  /** Names the test: tiers are kept per classified set and key. */
  readonly key: string;
  test(entry: PoolEntry): boolean;
}

export interface Tier {
  readonly candidates: readonly SelectionCandidate[];
  readonly byUri: ReadonlyMap<string, PoolEntry>;
}

/** What `usable` found for one (capability, model, job max price), before exclusions. */
export interface Classified extends Tier {
  readonly usable: readonly PoolEntry[];
  readonly suspended: readonly PoolEntry[];
  readonly offering: number;
  readonly overPrice: number;
  /** The pool version it was built at; any change to replies, suspensions or rounds bumps the version. */
  readonly version: number;
  /** The earliest auth-token expiry among the cached replies: the set goes stale then without any event. */
  readonly validUntil: number;
  /** Preferred subsets by `Preference.key`, built on first use. */
  readonly tiers: Map<string, Tier>;
}

export interface ClassifyInputs {
  readonly capabilityId: string;
  readonly model: string | undefined;
  /** The stricter of the gateway's and the job's limits. */
  readonly max: RationalPrice | undefined;
  readonly now: number;
  readonly version: number;
  readonly stakeOf: ((address: string, uri: string) => string | undefined) | undefined;
  readonly penalty: (uri: string) => number;
}

/** Distinct (capability, model, max price) keys kept; tenants with their own max price add keys. */
const MAX_CLASSIFIED = 256;

export class ClassificationCache {
  readonly #kept = new BoundedMemo<string, Classified>(MAX_CLASSIFIED);

  get(capabilityId: string, model: string | undefined, jobMax: RationalPrice | undefined, version: number, now: number, build: () => Classified): Classified {
    const key = `${capabilityId}\u0000${model ?? ''}\u0000${jobMax === undefined ? '' : `${jobMax.pricePerUnit}/${jobMax.pixelsPerUnit}`}`;
    const kept = this.#kept.get(key);
    if (kept !== undefined && kept.version === version && now < kept.validUntil) return kept;
    return this.#kept.set(key, build());
  }
}

/** One pass over the cache: what `usable` and `pick` read until the next change. */
export function classify(slots: Iterable<Slot>, inputs: ClassifyInputs): Classified {
  const { capabilityId, model, max, now } = inputs;
  let validUntil = Number.POSITIVE_INFINITY;
  const usable: PoolEntry[] = [];
  const suspended: PoolEntry[] = [];
  let offering = 0;
  let overPrice = 0;
  for (const slot of slots) {
    const expiry = tokenExpiryMs(slot);
    if (expiry !== undefined && expiry > now) validUntil = Math.min(validUntil, expiry);
    if (tokenExpired(slot, now) || !offers(slot.view, capabilityId, model)) continue;
    offering++;
    const price = priceFor(slot.info, slot.view, capabilityId, model);
    if (!withinMaxPrice(price, max)) {
      overPrice++;
      continue;
    }
    const address = slot.address;
    const stake = inputs.stakeOf?.(address, slot.uri);
    const penalty = inputs.penalty(slot.uri);
    const entry: PoolEntry = {
      uri: slot.uri,
      info: slot.info,
      address,
      latencyMs: slot.latencyMs,
      fetchedAt: slot.fetchedAt,
      penalty,
      ...(price !== undefined ? { price } : {}),
      ...(stake !== undefined ? { stake } : {}),
    };
    (penalty > 0 ? suspended : usable).push(entry);
  }
  usable.sort((a, b) => a.latencyMs - b.latencyMs);
  suspended.sort((a, b) => a.penalty - b.penalty || a.latencyMs - b.latencyMs);
  return { ...tierOf(usable), usable, suspended, offering, overPrice, version: inputs.version, validUntil, tiers: new Map() };
}

/** The preferred subset of a classified set, kept with it. */
export function tierFor(classified: Classified, preference: Preference): Tier {
  let tier = classified.tiers.get(preference.key);
  if (tier === undefined) {
    tier = tierOf(classified.usable.filter((entry) => preference.test(entry)));
    classified.tiers.set(preference.key, tier);
  }
  return tier;
}

/** Frozen: selection algorithms keep per-list work (prefix sums, orderings) keyed on this very array. */
function tierOf(entries: readonly PoolEntry[]): Tier {
  return { candidates: Object.freeze(toSelectionCandidates(entries)), byUri: new Map(entries.map((entry) => [entry.uri, entry] as const)) };
}

/** How many of `tier` are not excluded: O(|exclude|). */
export function openIn(tier: Tier, exclude: ReadonlySet<string> | undefined): number {
  if (exclude === undefined) return tier.candidates.length;
  let excluded = 0;
  for (const uri of exclude) if (tier.byUri.has(uri)) excluded++;
  return tier.candidates.length - excluded;
}
