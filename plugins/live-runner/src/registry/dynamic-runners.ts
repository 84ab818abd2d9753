/**
 * Dynamic runners (go-livepeer's `POST /runners/heartbeat`): the first
 * heartbeat carries the orchestrator secret and gets a derived heartbeat
 * secret, the o2r channel and the timings; later ones carry the heartbeat
 * secret. A runner silent for longer than the TTL is dropped with its
 * sessions; its next heartbeat gets 404 and it re-registers.
 */
import { errors, type TrickleService } from '@lpx/sdk';
import { O2RChannel } from './o2r-channel.js';
import { heartbeatSpec } from './runner-spec.js';
import type { DynamicRunner, RunnerTable } from './runner-table.js';
import { deriveSecret, newSeed, randomId, secretEquals } from './secrets.js';

const RUNNER_ID = /^[A-Za-z0-9._~-]{1,64}$/;

export interface DynamicRunnersOptions {
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTtlMs: number;
  readonly o2rIntervalMs: number;
  readonly paid: () => boolean;
  readonly secretConfigured: () => boolean;
  readonly secretMatches: (candidate: string | undefined) => boolean;
  /** Where runners reach the node (runnerAddr, else the service URI). */
  readonly internalUri: () => string;
  readonly trickle: TrickleService;
  readonly onError: (error: unknown, context: string) => void;
}

/** Go's time.Duration.String() for whole milliseconds: `5s`, `20s`, `1.5s`, `500ms`, `1m0s`. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}

export class DynamicRunners {
  #timer: NodeJS.Timeout | undefined;
  /**
   * Runners dropped for silence, by id: their old heartbeat secret still gets
   * 404 (the runner SDKs' cue to register again) after the sweep removed them,
   * instead of the 401 a stranger gets. Kept for ten TTLs.
   */
  readonly #expired = new Map<string, { readonly secret: string; readonly at: number }>();

  constructor(
    private readonly table: RunnerTable,
    private readonly options: DynamicRunnersOptions,
  ) {}

  async heartbeat(body: unknown, auth: string | undefined): Promise<Record<string, unknown>> {
    const proposed = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['runner_id'] : undefined;
    const runnerId = typeof proposed === 'string' && proposed.trim() !== '' ? proposed.trim() : `runner_${randomId(5)}`;
    // It is a URL path segment and part of the o2r channel name (trickle names: A-Z a-z 0-9 . _ ~ -).
    if (!RUNNER_ID.test(runnerId)) throw errors.liveRunner.HEARTBEAT_INVALID.create('runner_id may only contain 1-64 alphanumerics, dots, underscores, tildes or hyphens', { details: { runnerId } });
    const spec = heartbeatSpec(body, runnerId, this.options.paid());
    const existing = this.table.byId(runnerId);
    if (existing !== undefined && existing.kind === 'static') throw errors.liveRunner.HEARTBEAT_INVALID.create('static runner cannot heartbeat', { details: { runnerId } });
    if (existing !== undefined && this.table.expired(existing)) this.#expire(existing);
    const tombstone = this.#expired.get(runnerId);
    // An expired runner's heartbeat: go-livepeer's 404, so it registers again with the orchestrator secret.
    if (tombstone !== undefined && secretEquals(auth, tombstone.secret)) throw errors.liveRunner.RUNNER_UNKNOWN.create('runner not found', { details: { runnerId } });
    if (existing !== undefined && !existing.removed) {
      if (!secretEquals(auth, existing.heartbeatSecret)) throw errors.liveRunner.UNAUTHORIZED.create('invalid heartbeat authorization', { details: { runnerId } });
      existing.spec = spec;
      existing.lastHeartbeat = this.table.now();
      return this.#reply(existing, false);
    }

    if (!this.options.secretConfigured()) throw errors.liveRunner.DISABLED.create('dynamic live runner registration is disabled');
    if (!this.options.secretMatches(auth)) throw errors.liveRunner.UNAUTHORIZED.create('invalid registration authorization');
    const seed = newSeed();
    const o2rName = `${runnerId}-${deriveSecret(seed, 'trickle:o2r').slice(0, 16)}-o2r`;
    const o2r = await O2RChannel.open(this.options.trickle, o2rName, this.options.o2rIntervalMs, (error) => this.options.onError(error, 'o2r write'));
    const runner: DynamicRunner = {
      kind: 'dynamic',
      runnerId,
      route: runnerId,
      seed,
      sessions: new Map(),
      removed: false,
      spec,
      heartbeatSecret: deriveSecret(seed, 'heartbeat'),
      lastHeartbeat: this.table.now(),
      o2r,
    };
    this.#expired.delete(runnerId);
    this.table.add(runner);
    return this.#reply(runner, true);
  }

  #reply(runner: DynamicRunner, first: boolean): Record<string, unknown> {
    return {
      runner_id: runner.runnerId,
      orchestrator: this.options.internalUri(),
      heartbeat_interval: goDuration(this.options.heartbeatIntervalMs),
      heartbeat_ttl: goDuration(this.options.heartbeatTtlMs),
      ...(first ? { heartbeat_secret: runner.heartbeatSecret } : {}),
      ...(first && runner.o2r !== undefined
        ? { o2r: { name: 'o2r', channel_name: runner.o2r.channel.name, url: runner.o2r.channel.internalUrl, mime_type: 'application/json' } }
        : {}),
      session_ids: this.table.sessionIds(runner),
    };
  }

  unregister(runnerId: string, auth: string | undefined): void {
    const runner = this.table.byId(runnerId);
    if (runner === undefined || runner.removed) throw errors.liveRunner.RUNNER_UNKNOWN.create('runner not found', { details: { runnerId } });
    if (runner.kind === 'static') throw errors.liveRunner.HEARTBEAT_INVALID.create('static runner cannot unregister with heartbeat credentials', { details: { runnerId } });
    if (!secretEquals(auth, runner.heartbeatSecret)) throw errors.liveRunner.UNAUTHORIZED.create('invalid authorization', { details: { runnerId } });
    this.table.remove(runner, 'unregistered');
  }

  /** Drops every dynamic runner past its TTL (and releases its sessions). */
  sweep(): void {
    for (const runner of this.table.all()) {
      if (runner.kind === 'dynamic' && this.table.expired(runner)) this.#expire(runner);
    }
    const horizon = this.table.now() - 10 * this.options.heartbeatTtlMs;
    for (const [id, tombstone] of this.#expired) if (tombstone.at < horizon) this.#expired.delete(id);
  }

  #expire(runner: DynamicRunner): void {
    this.table.remove(runner, 'heartbeat expired');
    this.#expired.set(runner.runnerId, { secret: runner.heartbeatSecret, at: this.table.now() });
  }

  start(): void {
    this.#timer = setInterval(() => this.sweep(), Math.max(50, Math.min(this.options.heartbeatIntervalMs, this.options.heartbeatTtlMs / 2)));
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
