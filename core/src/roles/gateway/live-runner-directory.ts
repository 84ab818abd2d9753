/**
 * Which orchestrators in the gateway's pool run which Live Runner apps: their
 * `GET /discovery`, fetched for every orchestrator the pool holds, cached and
 * refreshed on the pool's period (go-livepeer's remote signer caches it the
 * same way). An orchestrator that answers 404 has no apps; one that fails
 * keeps its last good list until the next round (discovery webhooks keep the
 * last good list too, #4027). Malformed runners are logged and left out.
 */
import type { LpxError } from '@lpx/sdk';
import type { CachedInfo } from '../../gateway/pool/pool-options.js';
import { fetchDiscovery, type DiscoveredRunner, type ParsedDiscovery } from '../../network/live-runner/index.js';

export interface LiveRunnerDirectoryOptions {
  /** The pool's orchestrators (refreshed by the pool itself). */
  orchestrators(): readonly CachedInfo[];
  /** Whether this gateway pays (a paid gateway ignores unpriced runners). */
  readonly paid: boolean;
  readonly refreshMs: number;
  readonly timeoutMs: number;
  readonly fetch?: (serviceUri: string, options: { paid: boolean; timeoutMs: number }) => Promise<ParsedDiscovery>;
  readonly now?: () => number;
  onRefused?(uri: string, refused: readonly LpxError[]): void;
  onFailed?(uri: string, error: unknown): void;
}

export interface LiveRunnerOffer {
  /** The pool's key for the orchestrator (suspensions, selection). */
  readonly uri: string;
  readonly cached: CachedInfo;
  readonly runner: DiscoveredRunner;
}

interface Held {
  readonly runners: readonly DiscoveredRunner[];
  readonly fetchedAt: number;
}

export class LiveRunnerDirectory {
  readonly #o: LiveRunnerDirectoryOptions;
  readonly #now: () => number;
  readonly #held = new Map<string, Held>();
  #refreshing: Promise<void> | undefined;

  constructor(options: LiveRunnerDirectoryOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** Fetches /discovery of every orchestrator whose list is missing or older than refreshMs (`force`: all). */
  refresh(force = false): Promise<void> {
    this.#refreshing ??= this.#refresh(force).finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async #refresh(force: boolean): Promise<void> {
    const now = this.#now();
    const orchestrators = this.#o.orchestrators();
    const known = new Set(orchestrators.map((o) => o.uri));
    // Orchestrators the pool dropped take their apps with them.
    for (const uri of this.#held.keys()) if (!known.has(uri)) this.#held.delete(uri);
    const due = orchestrators.filter((o) => force || now - (this.#held.get(o.uri)?.fetchedAt ?? -Infinity) >= this.#o.refreshMs);
    const fetch = this.#o.fetch ?? fetchDiscovery;
    await Promise.all(
      due.map(async (o) => {
        try {
          const parsed = await fetch(o.info.transcoder || o.uri, { paid: this.#o.paid, timeoutMs: this.#o.timeoutMs });
          if (parsed.refused.length > 0) this.#o.onRefused?.(o.uri, parsed.refused);
          this.#held.set(o.uri, { runners: parsed.runners, fetchedAt: this.#now() });
        } catch (error) {
          this.#o.onFailed?.(o.uri, error);
        }
      }),
    );
  }

  /** Runners of `app` (any mode unless given) on orchestrators the pool still holds. */
  offers(app: string, mode?: DiscoveredRunner['mode']): LiveRunnerOffer[] {
    const offers: LiveRunnerOffer[] = [];
    for (const cached of this.#o.orchestrators()) {
      for (const runner of this.#held.get(cached.uri)?.runners ?? []) {
        if (runner.app === app && (mode === undefined || runner.mode === mode)) offers.push({ uri: cached.uri, cached, runner });
      }
    }
    return offers;
  }

  /** Every app on offer, with how many runners and orchestrators offer it. */
  apps(): { app: string; modes: string[]; runners: number; orchestrators: number }[] {
    const byApp = new Map<string, { modes: Set<string>; runners: number; orchestrators: Set<string> }>();
    for (const cached of this.#o.orchestrators()) {
      for (const runner of this.#held.get(cached.uri)?.runners ?? []) {
        const entry = byApp.get(runner.app) ?? { modes: new Set(), runners: 0, orchestrators: new Set() };
        entry.modes.add(runner.mode);
        entry.runners++;
        entry.orchestrators.add(cached.uri);
        byApp.set(runner.app, entry);
      }
    }
    return [...byApp].map(([app, e]) => ({ app, modes: [...e.modes].sort(), runners: e.runners, orchestrators: e.orchestrators.size })).sort((a, b) => a.app.localeCompare(b.app));
  }
}
