import type { DiscoveryStrategy, LoggerService, OrchestratorCandidate } from '@lpx/sdk';
import { createPublicClient, getAddress, http, type Address, type PublicClient } from 'viem';
import { redactRpcUrl, toDiscoveryError } from './chain-errors.js';
import { discoveryErrors } from './discovery-errors.js';
import { poolToCandidates, type OnchainOrchestrator, type PoolSelection, type SkippedMember } from './pool-to-candidates.js';
import { readLastInitializedRound, readTranscoderPool } from './read-transcoder-pool.js';
import { resolveDiscoveryContracts } from './resolve-contracts.js';

export interface OnchainDiscoveryOptions {
  readonly rpcUrl: string;
  readonly controller: string;
  readonly aiServiceRegistry?: string | undefined;
  readonly refreshMs: number;
  /** Per JSON-RPC request; default 10 s. */
  readonly timeoutMs?: number;
  readonly includeInactive?: boolean;
  readonly logger: Pick<LoggerService, 'warn'>;
  /** Clock for the cache age; tests pass a fake one. */
  readonly now?: () => number;
}

/**
 * go-livepeer's on-chain discovery without its SQLite cache: the registered
 * orchestrators are read from the chain, kept for `refreshMs` and re-read
 * lazily by the first call after that. A failed read is logged and the last
 * good list is served, its age left alone so the next call tries again; with
 * no good list yet, the failure is the caller's.
 */
export class OnchainDiscoveryStrategy implements DiscoveryStrategy {
  readonly name = 'onchain';
  readonly #options: OnchainDiscoveryOptions;
  readonly #client: PublicClient;
  readonly #controller: Address;
  readonly #aiServiceRegistry: Address | undefined;
  readonly #now: () => number;
  #selection: PoolSelection | undefined;
  #fetchedAt = -Infinity;
  #inflight: Promise<OrchestratorCandidate[]> | undefined;
  #loggedSkips = new Set<string>();
  #closed = false;

  constructor(options: OnchainDiscoveryOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#controller = getAddress(options.controller);
    this.#aiServiceRegistry = options.aiServiceRegistry === undefined ? undefined : getAddress(options.aiServiceRegistry);
    // No retries: a failed read falls back to the cache and the next discover tries again, so
    // retrying here would only hold callers up. Batching turns the per-orchestrator reads into few HTTP requests.
    this.#client = createPublicClient({ transport: http(options.rpcUrl, { timeout: options.timeoutMs ?? 10_000, retryCount: 0, batch: true }) });
  }

  async discover(signal: AbortSignal): Promise<OrchestratorCandidate[]> {
    signal.throwIfAborted();
    if (this.#selection && this.#now() - this.#fetchedAt < this.#options.refreshMs) return [...this.#selection.candidates];
    return [...(await untilAborted(this.refresh(), signal))];
  }

  /** One read at a time: concurrent callers share the refresh in flight. */
  refresh(): Promise<OrchestratorCandidate[]> {
    this.#inflight ??= this.#load().finally(() => (this.#inflight = undefined));
    return this.#inflight;
  }

  /** The last good list with each orchestrator's stake (wei, decimal string), for callers that weigh by stake. */
  orchestrators(): OnchainOrchestrator[] | undefined {
    return this.#selection && [...this.#selection.orchestrators];
  }

  /** After close, discover serves the cache or fails fast; a read in flight is bounded by timeoutMs. */
  close(): void {
    this.#closed = true;
  }

  async #load(): Promise<OrchestratorCandidate[]> {
    try {
      if (this.#closed) throw discoveryErrors.ONCHAIN_UNREACHABLE.create('on-chain discovery is shut down');
      const selection = await this.#read();
      this.#logSkipped(selection.skipped);
      this.#selection = selection;
      this.#fetchedAt = this.#now();
      return selection.candidates;
    } catch (error) {
      const coded = toDiscoveryError(error, this.#options.rpcUrl);
      if (!this.#selection) {
        throw discoveryErrors.NO_CANDIDATES.create(`on-chain discovery has no orchestrator list yet: ${coded.message}`, { cause: coded, details: { cause: coded.code } });
      }
      this.#options.logger.warn({ code: coded.code, rpcUrl: redactRpcUrl(this.#options.rpcUrl), kept: this.#selection.candidates.length }, `${coded.message}; keeping the last good orchestrator list`);
      return this.#selection.candidates;
    }
  }

  async #read(): Promise<PoolSelection> {
    // Resolved on every refresh, not once: protocol upgrades swap contracts behind the Controller.
    const contracts = await resolveDiscoveryContracts(this.#client, {
      controller: this.#controller,
      aiServiceRegistry: this.#aiServiceRegistry,
      needRounds: !this.#options.includeInactive,
    });
    const [members, round] = await Promise.all([
      readTranscoderPool(this.#client, contracts),
      contracts.roundsManager === undefined ? undefined : readLastInitializedRound(this.#client, contracts.roundsManager),
    ]);
    return poolToCandidates(members, round);
  }

  /** Each skip is logged when it first appears, not on every refresh, so a long-lived bad URI does not flood the log. */
  #logSkipped(skipped: readonly SkippedMember[]): void {
    const current = new Set<string>();
    for (const skip of skipped) {
      if (skip.kind === 'inactive') continue; // a normal state between rounds, not worth a log line
      const key = `${skip.kind}|${skip.address}|${skip.serviceUri}`;
      current.add(key);
      if (this.#loggedSkips.has(key)) continue;
      const code = skip.kind === 'invalid-uri' ? { code: discoveryErrors.SERVICE_URI_INVALID.code } : {};
      this.#options.logger.warn({ ...code, address: skip.address, serviceUri: skip.serviceUri }, `orchestrator ${skip.address} skipped: ${skip.reason}`);
    }
    this.#loggedSkips = current;
  }
}

/** Lets one caller stop waiting without cancelling the shared refresh other callers wait on. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
