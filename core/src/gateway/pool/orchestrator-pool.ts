/**
 * The gateway's orchestrator pool: a concurrent GetOrchestrator fan-out to
 * every discovery candidate (go-livepeer's collect loop), a cache of the
 * replies with go-livepeer's refresh rules (reply-cache.ts), suspensions with penalties, the
 * max-price filters, and the hand-off to a selection algorithm.
 */
import { setMaxListeners } from 'node:events';
import { type OrchestratorCandidate, type RationalPrice, type SelectionAlgorithm } from '@lpx/sdk';
import type { LivepeerCapabilities } from '../../capabilities/index.js';
import { OrchestratorChannels, orchestratorTarget, type OrchestratorInfo } from '../../network/index.js';
import { CallLimiter } from './call-limiter.js';
import { offers } from './capability-price.js';
import { collect } from './fan-out.js';
import { grpcFetchInfo } from './grpc-fetch-info.js';
import { ClassificationCache, classify, openIn, tierFor, type Classified, type Preference } from './pool-classification.js';
import { accept, gatewayErrors, noChoice } from './pool-errors.js';
import { POOL_DEFAULTS, type CachedInfo, type DiscoveryRound, type FetchInfo, type OrchestratorPoolDeps, type OrchestratorPoolOptions } from './pool-options.js';
import type { PoolEntry } from './pool-options.js';
import { checkPriceIncrease, lowerOf, maxPriceFor, type MaxPrices } from './price-limits.js';
import { refreshReason, type RefreshReason } from './refresh-policy.js';
import { firstChoiceAmong } from './selection-candidates.js';
import { ReplyCache } from './reply-cache.js';
import { DEFAULT_SUSPENSION_PENALTY, Suspender, type Suspension } from './suspender.js';
import { UsableWaiters } from './usable-waiters.js';

export interface PickOptions {
  readonly algorithm: SelectionAlgorithm;
  /** Orchestrators this job already tried. */
  readonly exclude?: ReadonlySet<string>;
  readonly model?: string;
  readonly random?: () => number;
  /** A further limit for this job (its tenant's max price), on top of the gateway's own. */
  readonly maxPrice?: RationalPrice;
  /** Pick among these while any is open (not excluded); the subset is kept with the usable set. */
  readonly prefer?: Preference;
}

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
  readonly #cache: ReplyCache;
  readonly #inflight = new Map<string, Promise<boolean>>();
  readonly #known = new Map<string, OrchestratorCandidate>();
  readonly #closing = new AbortController();
  #seq = 0;
  /**
   * The usable sets are kept per key and rebuilt only after something they
   * depend on changed (a reply stored or dropped, a suspension, a discovery
   * round that moves penalties on) — not on every job (ADR 0055).
   */
  #version = 0;
  readonly #classified = new ClassificationCache();
  /** One channel per orchestrator, reused across rounds (ADR 0062); only the default gRPC fetch uses them. */
  readonly #channels = new OrchestratorChannels();
  readonly #limiter: CallLimiter;
  /** The round running now: a second `discover()` joins it instead of asking everyone again. */
  #round: Promise<DiscoveryRound> | undefined;
  readonly #waiters = new UsableWaiters();

  constructor(deps: OrchestratorPoolDeps, options: OrchestratorPoolOptions = {}) {
    this.#candidates = deps.candidates;
    if (deps.fetchInfo === undefined && deps.credentials === undefined) throw new TypeError('OrchestratorPool needs fetchInfo or gateway credentials');
    this.#fetchInfo = deps.fetchInfo ?? grpcFetchInfo(deps.credentials!, this.#channels);
    this.#limiter = new CallLimiter(options.discoveryConcurrency ?? POOL_DEFAULTS.discoveryConcurrency);
    const discoveryTimeoutMs = options.discoveryTimeoutMs ?? POOL_DEFAULTS.discoveryTimeoutMs;
    const maxDiscoveryTimeoutMs = Math.max(discoveryTimeoutMs, options.maxDiscoveryTimeoutMs ?? POOL_DEFAULTS.maxDiscoveryTimeoutMs);
    this.#timeouts = { discoveryTimeoutMs, maxDiscoveryTimeoutMs };
    this.#fetchTimeoutMs = options.fetchTimeoutMs ?? maxDiscoveryTimeoutMs;
    this.#refreshMs = options.refreshMs ?? POOL_DEFAULTS.refreshMs;
    this.#cache = new ReplyCache(this.#refreshMs);
    this.#limits = { ...(options.maxPrice !== undefined ? { maxPrice: options.maxPrice } : {}), maxPricePerCapability: options.maxPricePerCapability ?? {} };
    this.#options = options;
    this.#now = options.now ?? Date.now;
    // Every running call listens on the one close signal; a fan-out to hundreds is expected, not a leak.
    setMaxListeners(0, this.#closing.signal);
  }

  /**
   * One discovery round: counts as a refresh for the suspender, asks every
   * candidate (at most `discoveryConcurrency` at once), and returns when
   * `wanted` (default: all) accepted replies are in, everyone settled, or the
   * collect loop's timers say stop. Calls still running go on and fill the
   * cache when they land. A call while a round runs joins that round.
   */
  discover(options: { wanted?: number } = {}): Promise<DiscoveryRound> {
    this.#round ??= this.#discover(options).finally(() => {
      this.#round = undefined;
    });
    return this.#round;
  }

  /**
   * Resolves as soon as the pool has a usable orchestrator for the capability
   * (and model) — at once when it has one, else on the first reply that is
   * one while a round (started here, or joined) runs, else when that round ends.
   */
  async untilUsable(capabilityId: string, model?: string): Promise<void> {
    if (this.usable(capabilityId, model).length > 0) return;
    // A round that ends with nothing usable still releases its waiters: the caller's pick then says why.
    await this.#waiters.wait({ capabilityId, model }, this.discover());
  }

  async #discover(options: { wanted?: number }): Promise<DiscoveryRound> {
    this.#suspender.signalRefresh();
    this.#version++;
    const candidates = await this.#candidates();
    this.#known.clear();
    for (const candidate of candidates) this.#known.set(candidate.uri, candidate);
    // An orchestrator discovery no longer lists is gone from the pool, as in go-livepeer's refill; so are its channel and last error.
    for (const uri of this.#cache.retain(this.#known)) this.#dropChannel(uri);
    this.#version++;
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
    if (!ok || cached === undefined) throw this.#cache.lastError(uri) ?? gatewayErrors.NO_ORCHESTRATORS.create(`orchestrator ${uri} could not be refreshed`);
    return cached;
  }

  /** Why the cached info of `uri` is due for a refresh, or undefined when it is current (or not cached). */
  needsRefresh(uri: string): RefreshReason | undefined {
    const cached = this.#cache.get(uri);
    return cached === undefined ? undefined : refreshReason(cached, this.#now(), this.#refreshMs);
  }

  /** Refreshes every cached orchestrator that is due; failures are suspended. */
  async refreshDue(): Promise<{ refreshed: string[]; failed: string[] }> {
    const due = this.#cache.due(this.#now());
    if (due === undefined) return { refreshed: [], failed: [] };
    const results = await Promise.all(due.map((uri) => this.#fetch(uri, this.#options.capabilities, false)));
    return { refreshed: due.filter((_, i) => results[i]), failed: due.filter((_, i) => !results[i]) };
  }

  /** Non-suspended orchestrators offering the capability (and model) within the max price, fastest first. */
  usable(capabilityId: string, model?: string): readonly PoolEntry[] {
    return this.#classify(capabilityId, model).usable;
  }

  /** The usable entries `preference` picks out, kept with the usable set (not filtered per call). */
  preferred(capabilityId: string, preference: Preference, options: { model?: string; maxPrice?: RationalPrice } = {}): ReadonlyMap<string, PoolEntry> {
    return tierFor(this.#classify(capabilityId, options.model, options.maxPrice), preference).byUri;
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
    // The preferred tier while any of it is open, else everyone usable; both are kept frozen lists, and the
    // few exclusions go to the algorithm (its firstExcluding) rather than through a filter of the whole list.
    const preferred = options.prefer === undefined ? undefined : tierFor(found, options.prefer);
    const tier = preferred !== undefined && openIn(preferred, options.exclude) > 0 ? preferred : found;
    const choice =
      firstChoiceAmong(tier.candidates, tier.byUri, options.algorithm, {
        capabilityId,
        ...(options.model !== undefined ? { model: options.model } : {}),
        ...(maxPrice !== undefined ? { maxPrice } : {}),
        ...(options.random !== undefined ? { random: options.random } : {}),
        ...(options.exclude !== undefined ? { exclude: options.exclude } : {}),
      }) ?? found.suspended.find(open);
    if (choice !== undefined) return choice;
    throw noChoice(capabilityId, options, found, this.#cache.size);
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
    return this.#cache.fresh(this.#now());
  }

  /** The last failure of `uri`'s GetOrchestrator, if its last call failed. */
  lastError(uri: string): unknown {
    return this.#cache.lastError(uri);
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
    this.#channels.close();
  }

  /** Channels kept to orchestrators now, and created so far (reuse shows as `opened` not growing across rounds). */
  get channels(): { readonly open: number; readonly opened: number } {
    return { open: this.#channels.size, opened: this.#channels.opened };
  }

  #dropChannel(uri: string): void {
    try {
      this.#channels.drop(orchestratorTarget(uri));
    } catch {
      // Not a URL: no channel was ever made for it.
    }
  }

  #fetch(uri: string, capabilities: LivepeerCapabilities | undefined, force: boolean): Promise<boolean> {
    const running = this.#inflight.get(uri);
    if (running !== undefined && !force) return running;
    const seq = ++this.#seq;
    let started = 0;
    // The limiter bounds calls running at once; the timeout and the latency count from when the call runs.
    const call = this.#limiter
      .run(() => {
        started = performance.now();
        if (this.#closing.signal.aborted) return Promise.reject(this.#closing.signal.reason as Error);
        return this.#fetchInfo(uri, { ...(capabilities !== undefined ? { capabilities } : {}), timeoutMs: this.#fetchTimeoutMs, signal: this.#closing.signal }).then(accept);
      })
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
    const slot = this.#cache.store(uri, info, latencyMs, seq, this.#now(), this.#known.get(uri));
    // An older reply than the one kept: the call still counts as answered.
    if (slot === undefined) return true;
    this.#version++;
    if (this.#waiters.size > 0) {
      const now = this.#now();
      this.#waiters.wake((w) => classify([slot], this.#inputs(w.capabilityId, w.model, undefined, now)).usable.length > 0);
    }
    return true;
  }

  #fail(uri: string, error: unknown, seq: number): boolean {
    if (this.#closing.signal.aborted) return false;
    // A failed refresh removes the session in go-livepeer; a newer good reply stays.
    this.#cache.fail(uri, error, seq);
    this.#version++;
    this.suspend(uri, error instanceof Error ? error.message : String(error));
    return false;
  }

  #classify(capabilityId: string, model: string | undefined, jobMax?: RationalPrice): Classified {
    const now = this.#now();
    return this.#classified.get(capabilityId, model, jobMax, this.#version, now, () => classify(this.#cache.values(), this.#inputs(capabilityId, model, jobMax, now)));
  }

  #inputs(capabilityId: string, model: string | undefined, jobMax: RationalPrice | undefined, now: number): Parameters<typeof classify>[1] {
    return {
      capabilityId,
      model,
      max: lowerOf(maxPriceFor(this.#limits, capabilityId, model), jobMax),
      now,
      version: this.#version,
      stakeOf: this.#options.stakeOf,
      penalty: (uri) => this.#suspender.penalty(uri),
    };
  }
}
