import type { Server, ServerCredentials, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { errors, type GrpcService } from '@lpx/sdk';

interface MountedService {
  pluginId: string;
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

/**
 * One @grpc/grpc-js server for the node. Plugins add services through a
 * facade during init; the kernel binds once, after every init, and only if
 * something was added (a node with no gRPC services opens no port). grpc-js
 * (≈ 13 MB resident) is imported only then: a node with no gRPC service never
 * loads it (ADR 0063).
 */
export class GrpcEdge {
  readonly #services: MountedService[] = [];
  #server: Server | undefined;
  #port: number | undefined;

  facadeFor(pluginId: string): GrpcService {
    return {
      addService: (definition, implementation) => {
        if (this.#server) throw errors.plugin.REGISTER_INVALID.create(`plugin ${pluginId}: gRPC services must be added during init`);
        this.#services.push({ pluginId, definition, implementation });
      },
    };
  }

  get port(): number | undefined {
    return this.#port;
  }

  async start(host: string, port: number, credentials?: ServerCredentials): Promise<number | undefined> {
    if (this.#services.length === 0) return undefined;
    const grpc = await import('@grpc/grpc-js');
    const server = new grpc.Server();
    const bindWith = credentials ?? grpc.ServerCredentials.createInsecure();
    for (const service of this.#services) server.addService(service.definition, service.implementation);
    this.#server = server;
    this.#port = await new Promise<number>((resolvePort, reject) => {
      server.bindAsync(`${host}:${port}`, bindWith, (error, boundPort) => {
        if (error) reject(errors.http.LISTEN.create(`gRPC edge cannot bind ${host}:${port}: ${error.message}`, { cause: error }));
        else resolvePort(boundPort);
      });
    });
    return this.#port;
  }

  async stop(graceMs: number): Promise<void> {
    const server = this.#server;
    if (!server) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        done();
      }, graceMs);
      server.tryShutdown(() => {
        clearTimeout(timer);
        done();
      });
    });
  }
}
