/**
 * One Live Runner host on the orchestrator: the runner table, static and
 * dynamic registration, session payments and the proxy template, and the
 * `live-runner.registry` service other plugins (the BYOC bridge) use.
 */
import { errors, type LiveRunnerRegistry, type OrchestratorWireService, type StaticLiveRunner, type TrickleService } from '@lpx/sdk';
import { DynamicRunners } from './registry/dynamic-runners.js';
import { parseProxyTemplate, type ProxyTemplate } from './registry/proxy-template.js';
import { RunnerTable, sessionToken, type Runner, type Session } from './registry/runner-table.js';
import { randomId } from './registry/secrets.js';
import { StaticRunners } from './registry/static-runners.js';
import { httpUrl } from './registry/runner-spec.js';
import { SessionPayments } from './payments/session-payments.js';

export interface LiveRunnerSettings {
  readonly dynamic: boolean;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTtlMs: number;
  readonly healthIntervalMs: number;
  readonly healthTimeoutMs: number;
  readonly paymentIntervalMs: number;
  readonly o2rIntervalMs: number;
  readonly proxyUrl?: string;
}

export interface LiveRunnerNodeDeps {
  readonly wire: OrchestratorWireService;
  readonly trickle: TrickleService;
  readonly settings: LiveRunnerSettings;
  readonly onError: (error: unknown, context: string) => void;
}

export class LiveRunnerNode {
  readonly table: RunnerTable;
  readonly statics: StaticRunners;
  readonly dynamics: DynamicRunners;
  readonly payments: SessionPayments;
  readonly template: ProxyTemplate;
  readonly #started: Promise<void>;
  #markStarted!: () => void;

  constructor(readonly deps: LiveRunnerNodeDeps) {
    const { wire, settings, trickle, onError } = deps;
    this.#started = new Promise((resolve) => (this.#markStarted = resolve));
    this.template = parseProxyTemplate(settings.proxyUrl, () => wire.serviceUri());
    this.table = new RunnerTable({ heartbeatTtlMs: settings.heartbeatTtlMs, serviceUri: () => this.serviceUri(), removeChannel: (name) => trickle.remove(name), onError });
    const paid = () => wire.payments.enabled;
    this.statics = new StaticRunners(this.table, { healthIntervalMs: settings.healthIntervalMs, healthTimeoutMs: settings.healthTimeoutMs, paid, onError });
    this.dynamics = new DynamicRunners(this.table, {
      heartbeatIntervalMs: settings.heartbeatIntervalMs,
      heartbeatTtlMs: settings.heartbeatTtlMs,
      o2rIntervalMs: settings.o2rIntervalMs,
      paid,
      secretConfigured: () => settings.dynamic && wire.secretConfigured,
      secretMatches: (candidate) => wire.secretMatches(candidate),
      internalUri: () => this.internalUri(),
      trickle,
      onError,
    });
    this.payments = new SessionPayments({ wire: wire.payments, table: this.table, intervalMs: settings.paymentIntervalMs, serviceUri: () => this.serviceUri(), onError });
  }

  serviceUri(): string {
    return this.deps.wire.serviceUri() ?? '';
  }

  internalUri(): string {
    return this.deps.wire.internalUri() ?? this.serviceUri();
  }

  start(): void {
    this.statics.start();
    this.dynamics.start();
    this.#markStarted();
  }

  stop(): void {
    this.statics.stop();
    this.dynamics.stop();
    this.payments.stopAll();
    for (const runner of this.table.all()) this.table.remove(runner, 'node stopping');
  }

  /** The four headers every proxied request carries. */
  injected(runner: Runner, session: Session): Record<string, string> {
    return {
      'Livepeer-Runner-Route': runner.route,
      'Livepeer-Session-Id': session.id,
      'Livepeer-Session-Token': sessionToken(runner, session.id),
      'Livepeer-Session-Control': `${this.internalUri()}/runner/${encodeURIComponent(runner.route)}/session/${encodeURIComponent(session.id)}`,
    };
  }

  /** A session-scoped public proxy URL to the runner's URL or to `targetUrl` on the runner's host. */
  createProxy(runner: Runner, session: Session, targetUrl: string | undefined): { proxy_id: string; url: string } {
    let target = runner.spec.runnerUrl;
    if (targetUrl !== undefined && targetUrl.trim() !== '') {
      const invalid = (why: string) => errors.liveRunner.PROXY_TARGET_INVALID.create(why, { details: { session: session.id } });
      let url: URL;
      try {
        url = httpUrl(targetUrl, 'target_url');
      } catch {
        throw invalid('target_url must be an absolute http or https URL');
      }
      if (targetUrl.includes('#')) throw invalid('target_url must not include a fragment');
      if (url.hostname.toLowerCase() !== new URL(runner.spec.runnerUrl).hostname.toLowerCase()) throw invalid('target_url hostname must match registered runner_url hostname');
      target = url.toString();
    }
    let proxyId = randomId(16);
    while (session.proxies.has(proxyId)) proxyId = randomId(16);
    session.proxies.set(proxyId, target);
    return { proxy_id: proxyId, url: this.template.url(proxyId) };
  }

  /** The random part of a session channel's name. */
  newChannelSecret(): string {
    return randomId(10);
  }

  /** Runner lookup for callbacks: by route, then by id. */
  callbackRunner(routeOrId: string): string {
    const runner = this.table.byRoute(routeOrId) ?? this.table.byId(routeOrId);
    return runner?.route ?? routeOrId;
  }

  registry(): LiveRunnerRegistry {
    const node = this;
    return {
      get enabled() {
        return node.deps.wire.enabled;
      },
      async registerStatic(runners: readonly StaticLiveRunner[]) {
        await node.#started;
        const registered = await node.statics.register(runners);
        return registered.map((runner) => node.table.view(runner));
      },
      async removeStatic(label: string) {
        node.statics.remove(label);
      },
      list: () => node.table.all().map((runner) => node.table.view(runner)),
      onSession: (listener) => node.table.onSession(listener),
    };
  }
}

