import { isLpxError, type DiscoveryStrategy, type LoggerService, type OrchestratorCandidate } from '@lpx/sdk';
import { discoveryErrors } from './discovery-errors.js';
import { fetchWebhookBody } from './fetch-webhook.js';
import { parseWebhookBody } from './parse-webhook-body.js';

export interface WebhookDiscoveryOptions {
  readonly url: string;
  readonly refreshMs: number;
  readonly timeoutMs: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly logger: Pick<LoggerService, 'warn' | 'error'>;
  /** Clock for the cache age; tests pass a fake one. */
  readonly now?: () => number;
}

/**
 * go-livepeer's webhookPool: the answer is reused for `refreshMs` and
 * refreshed lazily by the first call after that. A failed refresh is logged
 * and the last good list is served; its timestamp is left alone so the next
 * call tries again. With no good list yet, the failure is the caller's.
 */
export class WebhookDiscoveryStrategy implements DiscoveryStrategy {
  readonly name = 'webhook';
  readonly #options: WebhookDiscoveryOptions;
  readonly #now: () => number;
  readonly #shutdown = new AbortController();
  #candidates: OrchestratorCandidate[] | undefined;
  #lastBody: string | undefined;
  #fetchedAt = -Infinity;
  #inflight: Promise<OrchestratorCandidate[]> | undefined;

  constructor(options: WebhookDiscoveryOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async discover(signal: AbortSignal): Promise<OrchestratorCandidate[]> {
    signal.throwIfAborted();
    if (this.#candidates && this.#now() - this.#fetchedAt < this.#options.refreshMs) return [...this.#candidates];
    return [...(await untilAborted(this.refresh(), signal))];
  }

  /** One request at a time: concurrent callers share the refresh in flight. */
  refresh(): Promise<OrchestratorCandidate[]> {
    this.#inflight ??= this.#load().finally(() => (this.#inflight = undefined));
    return this.#inflight;
  }

  /** Aborts a request in flight; later calls serve the cache or fail fast. */
  close(): void {
    this.#shutdown.abort();
  }

  async #load(): Promise<OrchestratorCandidate[]> {
    try {
      const body = await fetchWebhookBody(this.#options.url, { timeoutMs: this.#options.timeoutMs, headers: this.#options.headers ?? {}, signal: this.#shutdown.signal });
      // go-livepeer hashes the body and keeps the pool when it is unchanged; comparing the text does the same.
      if (body !== this.#lastBody || !this.#candidates) this.#accept(body);
      this.#fetchedAt = this.#now();
      return this.#candidates!;
    } catch (error) {
      const coded = isLpxError(error) ? error : discoveryErrors.WEBHOOK_UNREACHABLE.create(`discovery webhook ${this.#options.url}: ${String(error)}`, { cause: error });
      if (!this.#candidates) {
        throw discoveryErrors.NO_CANDIDATES.create(`discovery webhook has no orchestrator list yet: ${coded.message}`, { cause: coded, details: { cause: coded.code } });
      }
      this.#options.logger.warn({ code: coded.code, url: this.#options.url, kept: this.#candidates.length }, `${coded.message}; keeping the last good orchestrator list`);
      return this.#candidates;
    }
  }

  #accept(body: string): void {
    const { candidates, skipped } = parseWebhookBody(body);
    for (const { address, reason } of skipped) {
      const error = discoveryErrors.INVALID_ADDRESS.create(`discovery webhook address "${address}" skipped: ${reason}`);
      this.#options.logger.error({ code: error.code, address }, error.message);
    }
    this.#candidates = candidates;
    this.#lastBody = body;
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
