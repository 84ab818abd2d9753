import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';

/** Plugins add gRPC services; the kernel mounts them on its single server. */
export interface GrpcService {
  addService(definition: ServiceDefinition, implementation: UntypedServiceImplementation): void;
}

export type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
