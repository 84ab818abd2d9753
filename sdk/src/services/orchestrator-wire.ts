import type { FastifyPluginAsync, RouteOptions } from 'fastify';
import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';

/**
 * The orchestrator's public port (go-livepeer's -serviceAddr: one TLS port
 * for gRPC and HTTP) as plugins see it. Plugins that serve go-livepeer's
 * worker protocols (remote transcoders' `net.Transcoder` and
 * `/transcodeResults`, remote AI workers...) mount them here, at the paths
 * go-livepeer uses, instead of under `/plugins/<id>` on the HTTP edge.
 *
 * Calls made during init are recorded and applied when the orchestrator
 * role opens its door; on a node without the orchestrator role they are
 * kept and never mounted (`enabled` says which).
 */
export interface OrchestratorWireService {
  /** The node runs the orchestrator role. */
  readonly enabled: boolean;
  /** An HTTP route at the root of the front door. Paths the kernel serves (`/segment`, `/payment`, `/process/*`) are refused. */
  route(options: RouteOptions): void;
  /** A fastify plugin in its own encapsulated context at the root of the front door. */
  register(plugin: FastifyPluginAsync): void;
  /** A gRPC service on the front door's gRPC server (next to `net.Orchestrator`). */
  addGrpcService(definition: ServiceDefinition, implementation: UntypedServiceImplementation): void;
  /** Whether `orchestrator.secret` is set: remote workers can only register when it is. */
  readonly secretConfigured: boolean;
  /** Constant-time check of a secret a remote worker presented; false when no secret is configured. */
  secretMatches(candidate: string | undefined): boolean;
  /** `https://host:port` once the door listens; undefined before and on nodes without the role. */
  serviceUri(): string | undefined;
  /** The node account's address (0x…), once the role has opened it. */
  address(): string | undefined;
}
