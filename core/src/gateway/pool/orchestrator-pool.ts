/**
 * The gateway's orchestrator pool: a concurrent GetOrchestrator fan-out to
 * every discovery candidate (go-livepeer's collect loop), a cache of the
 * replies with go-livepeer's refresh rules, suspensions with penalties, the
 * max-price filters, and the hand-off to a selection algorithm.
 */
import { setMaxListeners } from 'node:events';
import { isUsablePrice, type OrchestratorCandidate, type RationalPrice, type SelectionAlgorithm, type SelectionCandidate } from '@lpx/sdk';
import type { LivepeerCapabilities } from '../../capabilities/index.js';
import { networkErrors, type OrchestratorInfo } from '../../network/index.js';
import { toHex } from '../../payments/index.js';
import { offers, priceAbove, priceFor, viewOf, type InfoView } from './capability-price.js';
import { collect } from './fan-out.js';
import { grpcFetchInfo } from './grpc-fetch-info.js';
import { gatewayErrors } from './pool-errors.js';
import { POOL_DEFAULTS, type CachedInfo, type DiscoveryRound, type FetchInfo, type OrchestratorPoolDeps, type OrchestratorPoolOptions, type PoolEntry } from './pool-options.js';
import { checkPriceIncrease, maxPriceFor, withinMaxPrice, type MaxPrices } from './price-limits.js';
import { dueAt, refreshReason, tokenExpired, tokenExpiryMs, type RefreshReason } from './refresh-policy.js';
import { firstChoiceAmong, toSelectionCandidates } from './selection-candidates.js';
import { DEFAULT_SUSPENSION_PENALTY, Suspender, type Suspension } from './suspender.js';

interface Slot extends CachedInfo {
  readonly view: InfoView;
  /** Hex once per reply rather than once per `usable()` call. */
  readonly address: string;
  /** Which fetch produced it, so a slow older reply never overwrites a newer one. */
  readonly seq: number;
}

export interface PickOptions {
  readonly algorithm: SelectionAlgorithm;
  /** Orchestrators this job already tried. */
  readonly exclude?: ReadonlySet<string>;
  readonly model?: string;
  readonly random?: () => number;
  /** A further limit for this job (its tenant's max price), on top of the gateway's own. */
  readonly maxPrice?: RationalPrice;
}

/** What `usable` found for one (capability, model, job max price), before exclusions. */
interface Classified {
  readonly usable: readonly PoolEntry[];
  readonly suspended: readonly PoolEntry[];
  readonly offering: number;
  readonly overPrice: number;
  /** `usable` as the algorithm sees it, and the way back: built once per change, not per job. */
  readonly candidates: readonly SelectionCandidate[];
  readonly byUri: ReadonlyMap<string, PoolEntry>;
  /** The pool version it was built at; any change to replies, suspensions or rounds bumps the version. */
  readonly version: number;
  /** The earliest auth-token expiry among the cached replies: the set goes stale then without any event. */
  readonly validUntil: number;
}

/** Distinct (capability, model, max price) keys kept; tenants with their own max price add keys. */
const MAX_CLASSIFIED = 256;

export class OrchestratorPool {
  readonly #candidates: () => Promise<OrchestratorCandidate[]>;
  readonly #fetchInfo: FetchInfo;
  readonly #timeouts: { discoveryTimeoutMs: number; maxDiscoveryTimeoutMs: number };
  readonly #fetchTimeoutMs: number;
  readonly #refreshMs: number;
  readonly #limits: MaxPrices;
  readonly #options: OrchestratorPoolOptions;
  readonly #now: () => number;
  readonly #suspender = new Suspender();
  readonly #cache = new Map<string, Slot>();
  readonly #inflight = new Map<string, Promise<boolean>>();
  readonly #errors = new Map<string, unknown>();
  readonly #known = new Map<string, OrchestratorCandidate>();
  readonly #closing = new AbortController();
  #seq = 0;
  /**
   * The usable sets are kept per key and rebuilt only after something they
   * depend on changed (a reply stored or dropped, a suspension, a discovery
   * round that moves penalties on) — not on every job (ADR 0055).
   */
  #version = 0;
  readonly #classified = new Map<string, Classified>();
  /** No cached reply is due for a refresh before this time, so `refreshDue` is O(1) until then. */
  #nextDueAt = Number.POSITIVE_INFINITY;

  constructor(deps: OrchestratorPoolDeps, options: OrchestratorPoolOptions = {}) {
    this.#candidates = deps.candidates;
    if (deps.fetchInfo === undefined && deps.credentials === undefined) throw new TypeError('OrchestratorPool needs fetchInfo or gateway credentials');
    this.#fetchInfo = deps.fetchInfo ?? grpcFetchInfo(deps.credentials!);
    const discoveryTimeoutMs = options.discoveryTimeoutMs ?? POOL_DEFAULTS.discoveryTimeoutMs;
    const maxDiscoveryTimeoutMs = Math.max(discoveryTimeoutMs, options.maxDiscoveryTimeoutMs ?? POOL_DEFAULTS.maxDiscoveryTimeoutMs);
    this.#timeouts = { discoveryTimeoutMs, maxDiscoveryTimeoutMs };
    this.#fetchTimeoutMs = options.fetchTimeoutMs ?? maxDiscoveryTimeoutMs;
    this.#refreshMs = options.refreshMs ?? POOL_DEFAULTS.refreshMs;
    this.#limits = { ...(options.maxPrice !== undefined ? { maxPrice: options.maxPrice } : {}), maxPricePerCapability: options.maxPricePerCapability ?? {} };
    this.#options = options;
    this.#now = options.now ?? Date.now;
    // Every running call listens on the one close signal; a fan-out to hundreds is expected, not a leak.
    setMaxListeners(0, this.#closing.signal);
  }

  /**
   * One discovery round: counts as a refresh for the suspender, asks every
   * candidate at once, and returns when `wanted` (default: all) accepted
   * replies are in, everyone settled, or the collect loop's timers say stop.
   * Calls still running go on and fill the cache when they land.
   */
  async discover(options: { wanted?: number } = {}): Promise<DiscoveryRound> {
    this.#suspender.signalRefresh();
    this.#version++;
    const candidates = await this.#candidates();
    this.#known.clear();
    for (const candidate of candidates) this.#known.set(candidate.uri, candidate);
    // An orchestrator discovery no longer lists is gone from the pool, as in go-livepeer's refill.
    for (const uri of this.#cache.keys()) if (!this.#known.has(uri)) this.#cache.delete(uri);
    this.#version++;
    // Their last errors go too: with on-chain discovery orchestrators come and go, and this map would only grow.
    for (const uri of this.#errors.keys()) if (!this.#known.has(uri)) this.#errors.delete(uri);
    const calls = new Map(candidates.map((c) => [c.uri, this.#fetch(c.uri, this.#options.capabilities, false)] as const));
    const wanted = Math.min(options.wanted ?? calls.size, calls.size);
    const collected = await collect(calls, wanted, this.#timeouts);
    const latency = (uri: string): number => this.#cache.get(uri)?.latencyMs ?? Number.POSITIVE_INFINITY;
    return { ...collected, answered: [...collected.answered].sort((a, b) => latency(a) - latency(b)) };
  }

  /** Fetches one orchestrator again now (e.g. after "TicketParams expired"); rethrows the failure after suspending it. */
  async refresh(uri: string, options: { capabilities?: LivepeerCapabilities } = {}): Promise<CachedInfo> {
    const ok = await this.#fetch(uri, options.capabilities ?? this.#options.capabilities, true);
    const cached = this.#cache.get(uri);
    if (!ok || cached === undefined) throw this.#errors.get(uri) ?? gatewayErrors.NO_ORCHESTRATORS.create(`orchestrator ${uri} could not be refreshed`);
    return cached;
  }

  /** Why the cached info of `uri` is due for a refresh, or undefined when it is current (or not cached). */
  needsRefresh(uri: string): RefreshReason | undefined {
    const cached = this.#cache.get(uri);
    return cached === undefined ? undefined : refreshReason(cached, this.#now(), this.#refreshMs);
  }

  /** Refreshes every cached orchestrator that is due; failures are suspended. */
  async refreshDue(): Promise<{ refreshed: string[]; failed: string[] }> {
    const now = this.#now();
    if (now < this.#nextDueAt) return { refreshed: [], failed: [] };
    // Something is due: one scan, which also finds when the next one will be (due ones re-enter it when stored).
    const due: string[] = [];
    this.#nextDueAt = Number.POSITIVE_INFINITY;
    for (const slot of this.#cache.values()) {
      if (refreshReason(slot, now, this.#refreshMs) !== undefined) due.push(slot.uri);
      else this.#nextDueAt = Math.min(this.#nextDueAt, dueAt(slot, this.#refreshMs));
    }
    const results = await Promise.all(due.map((uri) => this.#fetch(uri, this.#options.capabilities, false)));
    return { refreshed: due.filter((_, i) => results[i]), failed: due.filter((_, i) => !results[i]) };
  }

  /** Non-suspended orchestrators offering the capability (and model) within the max price, fastest first. */
  usable(capabilityId: string, model?: string): readonly PoolEntry[] {
    return this.#classify(capabilityId, model).usable;
  }

  /**
   * The algorithm's first choice among usable entries not in `exclude`. With
   * none left, go-livepeer's fallback: the suspended ones, lowest penalty first.
   * Throws GATEWAY_PRICE_TOO_HIGH when price alone rules everyone out,
   * GATEWAY_NO_ORCHESTRATORS otherwise.
   */
  pick(capabilityId: string, options: PickOptions): PoolEntry {
    const found = this.#classify(capabilityId, options.model, options.maxPrice);
    const open = (entry: { uri: string }): boolean => !(options.exclude?.has(entry.uri) ?? false);
    const maxPrice = lowerOf(maxPriceFor(this.#limits, capabilityId, options.model), options.maxPrice);
    // A first attempt excludes no one: the algorithm gets the prepared candidates as they are.
    const excluding = options.exclude !== undefined && options.exclude.size > 0;
    const choice =
      firstChoiceAmong(excluding ? found.candidates.filter(open) : found.candidates, found.byUri, options.algorithm, {
        capabilityId,
        ...(options.model !== undefined ? { model: options.model } : {}),
        ...(maxPrice !== undefined ? { maxPrice } : {}),
        ...(options.random !== undefined ? { random: options.random } : {}),
      }) ?? found.suspended.find(open);
    if (choice !== undefined) return choice;
    const what = options.model === undefined ? capabilityId : `${capabilityId} (model ${options.model})`;
    const details = {
      capabilityId,
      ...(options.model !== undefined ? { model: options.model } : {}),
      cached: this.#cache.size,
      offering: found.offering,
      overPrice: found.overPrice,
      suspended: found.suspended.length,
      excluded: options.exclude?.size ?? 0,
    };
    if (found.offering > 0 && found.overPrice === found.offering) {
      throw gatewayErrors.PRICE_TOO_HIGH.create(`all ${found.offering} orchestrators offering ${what} ask more than the max price`, { details });
    }
    throw gatewayErrors.NO_ORCHESTRATORS.create(`no orchestrator available for ${what}`, { details });
  }

  /** Whether any orchestrator in the pool offers the capability, whatever its price or suspension. */
  offers(capabilityId: string): boolean {
    for (const slot of this.#cache.values()) if (offers(slot.view, capabilityId)) return true;
    return false;
  }

  suspend(uri: string, reason: string, penalty: number = this.#options.suspensionPenalty ?? DEFAULT_SUSPENSION_PENALTY): Suspension {
    this.#version++;
    this.#options.onSuspend?.(uri, reason);
    return this.#suspender.suspend(uri, reason, penalty);
  }

  isSuspended(uri: string): boolean {
    return this.#suspender.isSuspended(uri);
  }

  suspension(uri: string): Suspension | undefined {
    return this.#suspender.suspension(uri);
  }

  /** Discovery rounds so far (the suspender's refresh count). */
  get rounds(): number {
    return this.#suspender.count;
  }

  /** Refuses a refreshed price more than twice the session's first one (GATEWAY_PRICE_INCREASED); returns the new price. */
  checkPriceIncrease(...args: Parameters<typeof checkPriceIncrease>): ReturnType<typeof checkPriceIncrease> {
    return checkPriceIncrease(...args);
  }

  get(uri: string): CachedInfo | undefined {
    return this.#cache.get(uri);
  }

  /** Every cached orchestrator whose auth token is still good, whatever it offers (Live Runner apps are not capabilities). */
  cached(): CachedInfo[] {
    const now = this.#now();
    return [...this.#cache.values()].filter((slot) => !tokenExpired(slot, now));
  }

  /** The last failure of `uri`'s GetOrchestrator, if its last call failed. */
  lastError(uri: string): unknown {
    return this.#errors.get(uri);
  }

  get size(): number {
    return this.#cache.size;
  }

  /** Resolves when no GetOrchestrator is running (late replies have landed). */
  async settled(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.all(this.#inflight.values());
  }

  /** Abandons running calls; their outcomes are ignored (no suspensions from shutting down). */
  close(): void {
    this.#closing.abort(new Error('orchestrator pool closed'));
  }

  #fetch(uri: string, capabilities: LivepeerCapabilities | undefined, force: boolean): Promise<boolean> {
    const running = this.#inflight.get(uri);
    if (running !== undefined && !force) return running;
    const seq = ++this.#seq;
    const started = performance.now();
    const call = this.#fetchInfo(uri, { ...(capabilities !== undefined ? { capabilities } : {}), timeoutMs: this.#fetchTimeoutMs, signal: this.#closing.signal })
      .then(accept)
      .then(
        (info) => this.#store(uri, info, performance.now() - started, seq),
        (error: unknown) => this.#fail(uri, error, seq),
      )
      .finally(() => {
        if (this.#inflight.get(uri) === call) this.#inflight.delete(uri);
      });
    this.#inflight.set(uri, call);
    return call;
  }

  #store(uri: string, info: OrchestratorInfo, latencyMs: number, seq: number): boolean {
    if (this.#closing.signal.aborted) return false;
    const current = this.#cache.get(uri);
    if (current !== undefined && current.seq > seq) return true;
    const candidate = this.#known.get(uri);
    const slot: Slot = { uri, info, view: viewOf(info), address: toHex(info.address), fetchedAt: this.#now(), latencyMs, seq, ...(candidate !== undefined ? { candidate } : {}) };
    this.#cache.set(uri, slot);
    this.#version++;
    this.#nextDueAt = Math.min(this.#nextDueAt, dueAt(slot, this.#refreshMs));
    this.#errors.delete(uri);
    return true;
  }

  #fail(uri: string, error: unknown, seq: number): boolean {
    if (this.#closing.signal.aborted) return false;
    this.#errors.set(uri, error);
    // A failed refresh removes the session in go-livepeer; a newer good reply stays.
    const current = this.#cache.get(uri);
    if (current === undefined || current.seq < seq) this.#cache.delete(uri);
    this.#version++;
    this.suspend(uri, error instanceof Error ? error.message : String(error));
    return false;
  }

  #classify(capabilityId: string, model: string | undefined, jobMax?: RationalPrice): Classified {
    const now = this.#now();
    const key = `${capabilityId}\u0000${model ?? ''}\u0000${jobMax === undefined ? '' : `${jobMax.pricePerUnit}/${jobMax.pixelsPerUnit}`}`;
    const kept = this.#classified.get(key);
    if (kept !== undefined && kept.version === this.#version && now < kept.validUntil) return kept;
    if (this.#classified.size >= MAX_CLASSIFIED) this.#classified.clear();
    const built = this.#build(capabilityId, model, jobMax, now);
    this.#classified.set(key, built);
    return built;
  }

  /** One pass over the cache: what `usable` and `pick` read until the next change. */
  #build(capabilityId: string, model: string | undefined, jobMax: RationalPrice | undefined, now: number): Classified {
    const max = lowerOf(maxPriceFor(this.#limits, capabilityId, model), jobMax);
    let validUntil = Number.POSITIVE_INFINITY;
    const usable: PoolEntry[] = [];
    const suspended: PoolEntry[] = [];
    let offering = 0;
    let overPrice = 0;
    for (const slot of this.#cache.values()) {
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
      const stake = this.#options.stakeOf?.(address, slot.uri);
      const penalty = this.#suspender.penalty(slot.uri);
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
    const byUri = new Map(usable.map((entry) => [entry.uri, entry] as const));
    return { usable, suspended, offering, overPrice, candidates: Object.freeze(toSelectionCandidates(usable)), byUri, version: this.#version, validUntil };
  }
}

/** The stricter of two optional limits. */
function lowerOf(a: RationalPrice | undefined, b: RationalPrice | undefined): RationalPrice | undefined {
  if (a === undefined || !isUsablePrice(b) || b.pricePerUnit <= 0n) return a ?? (isUsablePrice(b) && b.pricePerUnit > 0n ? b : undefined);
  return priceAbove(a, b) ? b : a;
}

/** go-livepeer accepts a reply only with a service URI to send work to. */
function accept(info: OrchestratorInfo): OrchestratorInfo {
  if (info.transcoder === '') throw networkErrors.MALFORMED_MESSAGE.create('OrchestratorInfo has no transcoder URI');
  return info;
}
