/**
 * The runners this orchestrator serves and their sessions: the state behind
 * `/discovery`, `/apps/...` and the runner callbacks. A session holds one
 * capacity slot however many requests, sockets, channels and proxies it
 * has; releasing it closes its channels, forgets its proxies and cuts every
 * connection proxied for it (its abort signal).
 */
import { errors, type LiveRunnerPrice, type LiveRunnerView, type TrickleChannel } from '@lpx/sdk';
import type { O2RChannel } from './o2r-channel.js';
import type { HeartbeatSpec, StaticSpec } from './runner-spec.js';
import { deriveSecret, randomId, secretEquals } from './secrets.js';

export interface Payer {
  readonly sender: string;
  readonly manifestId: string;
}

export interface Session {
  readonly id: string;
  readonly createdAt: number;
  /** The runner's price when it was reserved: the session keeps it. */
  readonly price: LiveRunnerPrice | undefined;
  readonly payer: Payer | undefined;
  readonly channels: Map<string, TrickleChannel>;
  /** proxy id → absolute target URL. */
  readonly proxies: Map<string, string>;
  /** Aborted on release: proxied requests and sockets listen to it. */
  readonly abort: AbortController;
  appUrl: string;
}

interface RunnerBase {
  readonly runnerId: string;
  route: string;
  readonly seed: Buffer;
  readonly sessions: Map<string, Session>;
  removed: boolean;
}

export interface StaticRunner extends RunnerBase {
  readonly kind: 'static';
  spec: StaticSpec;
  healthy: boolean;
}

export interface DynamicRunner extends RunnerBase {
  readonly kind: 'dynamic';
  spec: HeartbeatSpec;
  readonly heartbeatSecret: string;
  lastHeartbeat: number;
  o2r: O2RChannel | undefined;
}

export type Runner = StaticRunner | DynamicRunner;

export type SessionEvent = { readonly type: 'reserved' | 'released'; readonly runnerId: string; readonly sessionId: string };

export interface RunnerTableOptions {
  readonly heartbeatTtlMs: number;
  readonly now?: () => number;
  /** Public `/apps/...` URLs: the service URI. */
  readonly serviceUri: () => string;
  /** Closes a released session's trickle channels. */
  readonly removeChannel: (name: string) => Promise<void>;
  readonly onError: (error: unknown, context: string) => void;
}

export function sessionToken(runner: Runner, sessionId: string): string {
  return deriveSecret(runner.seed, `session:${sessionId}`);
}

export class RunnerTable {
  readonly #runners = new Map<string, Runner>();
  readonly #listeners = new Set<(event: SessionEvent) => void>();
  readonly now: () => number;

  constructor(private readonly options: RunnerTableOptions) {
    this.now = options.now ?? Date.now;
  }

  all(): readonly Runner[] {
    return [...this.#runners.values()];
  }

  add(runner: Runner): void {
    this.#runners.set(runner.runnerId, runner);
  }

  byId(runnerId: string): Runner | undefined {
    return this.#runners.get(runnerId);
  }

  /** A runner by its public route: the label of a label-routed static runner, else the runner id. */
  byRoute(route: string): Runner | undefined {
    for (const runner of this.#runners.values()) if (runner.route === route && !runner.removed) return runner;
    return undefined;
  }

  expired(runner: Runner): boolean {
    return runner.kind === 'dynamic' && this.now() - runner.lastHeartbeat > this.options.heartbeatTtlMs;
  }

  ready(runner: Runner): boolean {
    if (runner.removed || this.expired(runner)) return false;
    return runner.kind === 'static' ? runner.healthy : runner.spec.status === '' || runner.spec.status === 'ready';
  }

  /** A ready runner by route, or go-livepeer's 404 `runner not found`. */
  readyRunner(route: string): Runner {
    const runner = this.byRoute(route);
    if (runner === undefined || !this.ready(runner)) throw errors.liveRunner.RUNNER_UNKNOWN.create('runner not found', { details: { runner: route } });
    return runner;
  }

  session(route: string, sessionId: string): { runner: Runner; session: Session } {
    const runner = this.readyRunner(route);
    const session = runner.sessions.get(sessionId);
    if (session === undefined) throw errors.liveRunner.SESSION_UNKNOWN.create('runner session not found', { details: { runner: route, session: sessionId } });
    return { runner, session };
  }

  /** Throws 401 unless `token` is the session's callback token. */
  checkToken(route: string, sessionId: string, token: string | undefined): { runner: Runner; session: Session } {
    const found = this.session(route, sessionId);
    const expected = sessionToken(found.runner, sessionId);
    if (!secretEquals(token, expected)) throw errors.liveRunner.UNAUTHORIZED.create('invalid authorization');
    return found;
  }

  /** Capacity and id checks of a reservation, without taking the slot (payments are checked in between). */
  admissible(runner: Runner, sessionId: string | undefined): void {
    if (!this.ready(runner)) throw errors.liveRunner.RUNNER_UNKNOWN.create('runner not found', { details: { runner: runner.route } });
    if (sessionId !== undefined && runner.sessions.has(sessionId)) throw errors.liveRunner.SESSION_CONFLICT.create('session already exists', { details: { session: sessionId } });
    if (runner.sessions.size >= runner.spec.capacity) throw errors.liveRunner.NO_CAPACITY.create('no capacity available for runner', { details: { runner: runner.route, capacity: runner.spec.capacity } });
  }

  reserve(runner: Runner, options: { readonly sessionId?: string; readonly payer?: Payer } = {}): Session {
    this.admissible(runner, options.sessionId);
    let id = options.sessionId;
    while (id === undefined || runner.sessions.has(id)) id = `session_${randomId(5)}`;
    const session: Session = {
      id,
      createdAt: this.now(),
      price: runner.spec.price,
      payer: options.payer,
      channels: new Map(),
      proxies: new Map(),
      abort: new AbortController(),
      appUrl: `${this.options.serviceUri()}/apps/${encodeURIComponent(runner.route)}/session/${encodeURIComponent(id)}/app`,
    };
    runner.sessions.set(id, session);
    this.#emit(runner, { type: 'reserved', runnerId: runner.runnerId, sessionId: id });
    return session;
  }

  /** Releases a session; false when it was not (or no longer) there. */
  release(runner: Runner, sessionId: string, reason: string): boolean {
    const session = runner.sessions.get(sessionId);
    if (session === undefined) return false;
    runner.sessions.delete(sessionId);
    session.abort.abort(new Error(`live runner session ${sessionId} released: ${reason}`));
    for (const channel of session.channels.values()) this.options.removeChannel(channel.name).catch((error: unknown) => this.options.onError(error, 'closing a session channel'));
    session.channels.clear();
    session.proxies.clear();
    this.#emit(runner, { type: 'released', runnerId: runner.runnerId, sessionId });
    return true;
  }

  /** Drops a runner and releases its sessions. */
  remove(runner: Runner, reason: string): void {
    runner.removed = true;
    for (const sessionId of [...runner.sessions.keys()]) this.release(runner, sessionId, reason);
    if (runner.kind === 'dynamic') runner.o2r?.close().catch((error: unknown) => this.options.onError(error, 'closing an o2r channel'));
    if (this.#runners.get(runner.runnerId) === runner) this.#runners.delete(runner.runnerId);
  }

  /** Session ids by creation time (go-livepeer's heartbeat reply). */
  sessionIds(runner: Runner): string[] {
    return [...runner.sessions.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map((s) => s.id);
  }

  /** The session that owns a proxy id. */
  proxy(proxyId: string): { runner: Runner; session: Session; target: string } | undefined {
    for (const runner of this.#runners.values()) {
      if (!this.ready(runner)) continue;
      for (const session of runner.sessions.values()) {
        const target = session.proxies.get(proxyId);
        if (target !== undefined) return { runner, session, target };
      }
    }
    return undefined;
  }

  view(runner: Runner): LiveRunnerView {
    return {
      runnerId: runner.runnerId,
      route: runner.route,
      app: runner.spec.app,
      mode: runner.spec.mode,
      kind: runner.kind,
      ready: this.ready(runner),
      capacity: runner.spec.capacity,
      capacityUsed: runner.sessions.size,
      ...(runner.spec.price !== undefined ? { price: runner.spec.price } : {}),
    };
  }

  onSession(listener: (event: SessionEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(runner: Runner, event: SessionEvent): void {
    if (runner.kind === 'dynamic') runner.o2r?.sessionEvent(event.type, event.sessionId);
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.onError(error, 'a session listener threw');
      }
    }
  }
}
