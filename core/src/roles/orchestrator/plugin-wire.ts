/**
 * `coreServices.orchestratorWire`: what plugins mount on the orchestrator's
 * front door (go-livepeer's worker protocols at go-livepeer's paths). Calls
 * are recorded per plugin during init and applied by the orchestrator role
 * when it builds its door and gRPC edge; each plugin's HTTP side runs in its
 * own encapsulated fastify context at the root of the door. Paths the kernel
 * serves there are refused, eagerly for `route()` and through an onRoute hook
 * for whatever a `register()`ed plugin declares. On a node without the
 * orchestrator role nothing is ever applied and `enabled` is false.
 */
import type { FastifyInstance, FastifyPluginAsync, RouteOptions } from 'fastify';
import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { errors, type ByocJobWire, type OrchestratorWireService, type WireAIReply, type WireAIRequest, type WirePayments } from '@lpx/sdk';
import type { GrpcEdge } from '../../grpc/grpc-edge.js';
import { secretMatches } from '../../http/secret-match.js';
import { unstartedByocJobWire } from './byoc-job-verify.js';

/**
 * Front-door paths the kernel serves (paid work, BYOC jobs, signed rendition
 * links). `/capability/*` (go-livepeer's external worker registration) is
 * left to the hosting plugin (byoc-host, docs/adr/0041-byoc-hosting.md).
 */
export const RESERVED_WIRE_PATHS: readonly string[] = ['/segment', '/payment', '/process', '/v1', '/openapi.json'];
/** gRPC services the kernel serves on the door. */
export const RESERVED_GRPC_SERVICES: readonly string[] = ['net.Orchestrator'];

type Recorded =
  | { readonly kind: 'route'; readonly options: RouteOptions }
  | { readonly kind: 'register'; readonly plugin: FastifyPluginAsync };

interface PluginRecords {
  readonly http: Recorded[];
  readonly grpc: { readonly definition: ServiceDefinition; readonly implementation: UntypedServiceImplementation }[];
}

export interface WireOpened {
  readonly serviceUri: string;
  readonly address: string;
}

export interface PluginWireOptions {
  /** The node runs the orchestrator role. */
  readonly enabled: boolean;
  /** orchestrator.secret; read per check so a test can change config objects freely. */
  readonly secret: () => string | undefined;
  /** orchestrator.runnerAddr (go-livepeer's -liveRunnerAddr): where runners and workers reach this node. */
  readonly runnerAddr?: () => string | undefined;
}

/** What plugins get before the role has started (and on nodes without it): no challenges, nothing credited. */
const UNSTARTED_PAYMENTS: WirePayments = {
  enabled: false,
  challenge: () => Promise.reject(errors.payments.NOT_CONFIGURED.create('the orchestrator role has not started: no payment challenges yet')),
  accept: () => Promise.reject(errors.payments.NOT_CONFIGURED.create('the orchestrator role has not started: no payments accepted yet')),
  debit: () => Promise.resolve('0'),
  balance: () => Promise.resolve(undefined),
};

function reservedPath(url: string): string | undefined {
  const path = url.split('?', 1)[0]!;
  return RESERVED_WIRE_PATHS.find((reserved) => path === reserved || path.startsWith(`${reserved}/`));
}

function refusePath(pluginId: string, url: string): void {
  const reserved = reservedPath(url);
  if (reserved === undefined) return;
  throw errors.http.ROOT_ROUTE_RESERVED.create(`plugin ${pluginId} asked for ${url} on the orchestrator's front door; ${reserved} belongs to the kernel`, {
    details: { plugin: pluginId, url },
  });
}

/** Kernel side of the wire: one per node, a facade per plugin, applied once by the orchestrator role. */
export class PluginWire {
  readonly #options: PluginWireOptions;
  readonly #records = new Map<string, PluginRecords>();
  #applied = false;
  #opened: WireOpened | undefined;
  #payments: WirePayments = UNSTARTED_PAYMENTS;
  #serveAI: ((request: WireAIRequest) => Promise<WireAIReply>) | undefined;
  // One delegating object for every plugin: they keep it from init, the role fills it at start.
  readonly #paymentsFacade: WirePayments;
  #byocJobs: ByocJobWire = unstartedByocJobWire();
  readonly #byocJobsFacade: ByocJobWire;

  constructor(options: PluginWireOptions) {
    this.#options = options;
    const wire = this;
    this.#paymentsFacade = {
      get enabled() {
        return wire.#payments.enabled;
      },
      challenge: (input) => this.#payments.challenge(input),
      accept: (headers, options) => this.#payments.accept(headers, options),
      debit: (input) => this.#payments.debit(input),
      balance: (input) => this.#payments.balance(input),
    };
    this.#byocJobsFacade = {
      verify: (header) => this.#byocJobs.verify(header),
      priceFor: (capability, sender) => this.#byocJobs.priceFor(capability, sender),
      pay: (input) => this.#byocJobs.pay(input),
    };
  }

  get enabled(): boolean {
    return this.#options.enabled;
  }

  /** Plugins that asked for something (tests and boot logs). */
  get pluginIds(): readonly string[] {
    return [...this.#records.keys()];
  }

  facadeFor(pluginId: string): OrchestratorWireService {
    const records = (): PluginRecords => {
      if (this.#applied) throw errors.plugin.REGISTER_INVALID.create(`plugin ${pluginId}: orchestrator wire routes and services must be added during init`);
      let entry = this.#records.get(pluginId);
      if (entry === undefined) {
        entry = { http: [], grpc: [] };
        this.#records.set(pluginId, entry);
      }
      return entry;
    };
    const wire = this;
    return {
      get enabled() {
        return wire.enabled;
      },
      route: (options) => {
        refusePath(pluginId, options.url);
        records().http.push({ kind: 'route', options });
      },
      register: (plugin) => {
        if ((plugin as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')]) {
          throw errors.plugin.ENCAPSULATION.create(`plugin ${pluginId} registered a fastify-plugin wrapped function on the orchestrator wire; that would escape its own context`);
        }
        records().http.push({ kind: 'register', plugin });
      },
      addGrpcService: (definition, implementation) => {
        for (const method of Object.values(definition)) {
          const service = method.path.split('/')[1] ?? '';
          if (RESERVED_GRPC_SERVICES.includes(service)) {
            throw errors.http.ROOT_ROUTE_RESERVED.create(`plugin ${pluginId} asked for gRPC ${method.path} on the orchestrator's front door; ${service} belongs to the kernel`, {
              details: { plugin: pluginId, path: method.path },
            });
          }
        }
        records().grpc.push({ definition, implementation });
      },
      get secretConfigured() {
        const secret = wire.#options.secret();
        return secret !== undefined && secret !== '';
      },
      secretMatches: (candidate) => secretMatches(candidate, this.#options.secret()),
      serviceUri: () => this.#opened?.serviceUri,
      address: () => this.#opened?.address,
      payments: this.#paymentsFacade,
      byocJobs: this.#byocJobsFacade,
      serveAI: (request) => {
        if (this.#serveAI === undefined) return Promise.reject(errors.ai.PIPELINE_UNKNOWN.create(`this node serves no AI pipelines on its orchestrator role (asked for ${request.pipeline})`));
        return this.#serveAI(request);
      },
      internalUri: () => {
        if (this.#opened === undefined) return undefined;
        return this.#options.runnerAddr?.() ?? this.#opened.serviceUri;
      },
    };
  }

  /** Adds every recorded gRPC service to the role's edge; called once, before the edge binds. */
  applyGrpc(grpc: GrpcEdge): void {
    this.#applied = true;
    for (const [pluginId, records] of this.#records) {
      for (const service of records.grpc) grpc.facadeFor(`plugin.${pluginId}`).addService(service.definition, service.implementation);
    }
  }

  /**
   * Mounts every plugin's HTTP records on the door, one encapsulated root
   * context per plugin; called once, before the door listens. Later facade
   * calls are refused.
   */
  applyHttp(app: FastifyInstance): void {
    this.#applied = true;
    for (const [pluginId, records] of this.#records) {
      if (records.http.length === 0) continue;
      const http = [...records.http];
      app.register(async (scope) => {
        // Routes declared inside a registered plugin are checked too, when fastify builds them.
        scope.addHook('onRoute', (route) => refusePath(pluginId, route.url));
        for (const record of http) {
          if (record.kind === 'route') scope.route(record.options);
          else await scope.register(record.plugin);
        }
      });
    }
  }

  /** The role's payments (wire-payments.ts); set before the door listens. */
  setPayments(payments: WirePayments): void {
    this.#payments = payments;
  }

  /** The role's BYOC job wire (byoc-job-wire.ts); set before the door listens. */
  setByocJobs(byocJobs: ByocJobWire): void {
    this.#byocJobs = byocJobs;
  }

  /** The orchestrator's AI runs (ai-serve.ts) for plugins that took the payment themselves; set when AI routes are mounted. */
  setAI(serve: (request: WireAIRequest) => Promise<WireAIReply>): void {
    this.#serveAI = serve;
  }

  /** The role listens: serviceUri()/address() answer from now on. */
  opened(opened: WireOpened): void {
    this.#opened = opened;
  }
}
