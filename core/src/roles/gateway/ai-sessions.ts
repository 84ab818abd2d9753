/**
 * The gateway's AI sessions, as go-livepeer keeps them: one per
 * (orchestrator, `<capability>_<model>`), opened with a GetOrchestrator of
 * its own that names the job's capabilities, so the orchestrator quotes the
 * model's price in `price_info` and binds ticket params to it. The session
 * holds the auth token, the PM session and the mirror balance
 * (SegmentPayments); it is reopened when its auth token nears expiry or its
 * ticket params expired (go-livepeer's refreshSessionIfNeeded), and dropped
 * when the orchestrator failed.
 */
import type { LivepeerCapabilities } from '../../capabilities/index.js';
import { AUTH_TOKEN_REFRESH_FRACTION } from '../../gateway/pool/refresh-policy.js';
import type { OrchestratorInfo } from '../../network/index.js';
import { networkErrors } from '../../network/index.js';
import type { SegmentPayments, SegmentSession } from './segment-payments.js';

export interface AISessionsOptions {
  /** GetOrchestrator with the job's capabilities. */
  openInfo(uri: string, capabilities: LivepeerCapabilities): Promise<OrchestratorInfo>;
  readonly payments: SegmentPayments;
  readonly now?: () => number;
  /** At most this many sessions; the least recently used go first. Default 10,000. */
  readonly maxSessions?: number;
}

interface Held {
  readonly session: SegmentSession;
  readonly openedAt: number;
}

export class AISessions {
  readonly #options: AISessionsOptions;
  readonly #held = new Map<string, Held>();
  readonly #opening = new Map<string, Promise<SegmentSession>>();
  readonly #now: () => number;

  constructor(options: AISessionsOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The session with `uri` for `manifestId`, opened (or reopened when stale) with `capabilities`. */
  async session(uri: string, manifestId: string, capabilities: LivepeerCapabilities): Promise<SegmentSession> {
    const key = `${uri}\u0000${manifestId}`;
    const held = this.#held.get(key);
    if (held !== undefined && !this.#stale(held)) {
      // Map order is use order.
      this.#held.delete(key);
      this.#held.set(key, held);
      return held.session;
    }
    if (held !== undefined) this.drop(uri, manifestId);
    let opening = this.#opening.get(key);
    if (opening === undefined) {
      opening = this.#open(uri, capabilities).finally(() => this.#opening.delete(key));
      this.#opening.set(key, opening);
    }
    const session = await opening;
    if (!this.#held.has(key)) {
      this.#held.set(key, { session, openedAt: this.#now() });
      for (const [oldest] of this.#held) {
        if (this.#held.size <= (this.#options.maxSessions ?? 10_000)) break;
        if (oldest !== key) this.#forget(oldest);
      }
    }
    return this.#held.get(key)!.session;
  }

  /** The session failed or its params expired: the next request opens a fresh one. */
  drop(uri: string, manifestId: string): void {
    this.#forget(`${uri}\u0000${manifestId}`);
  }

  clear(): void {
    for (const key of [...this.#held.keys()]) this.#forget(key);
  }

  get size(): number {
    return this.#held.size;
  }

  #forget(key: string): void {
    const held = this.#held.get(key);
    if (held === undefined) return;
    this.#held.delete(key);
    this.#options.payments.close(held.session);
  }

  #stale(held: Held): boolean {
    const expiration = held.session.info.authToken?.expiration;
    if (expiration === undefined) return false;
    const expiry = Number(expiration) * 1000;
    const validity = Math.max(0, expiry - held.openedAt);
    return this.#now() >= expiry - validity * AUTH_TOKEN_REFRESH_FRACTION;
  }

  async #open(uri: string, capabilities: LivepeerCapabilities): Promise<SegmentSession> {
    const info = await this.#options.openInfo(uri, capabilities);
    if (info.transcoder === '') throw networkErrors.MALFORMED_MESSAGE.create(`orchestrator ${uri} answered GetOrchestrator without a transcoder URI`, { details: { uri } });
    return this.#options.payments.open(uri, info);
  }
}
