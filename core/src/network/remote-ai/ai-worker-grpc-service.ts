/**
 * The orchestrator's `net.AIWorker` service: each RegisterAIWorker call is a
 * worker joining the pool, and the call ending (worker gone, or the pool
 * dropping it) is the worker leaving. Returned as a definition plus an
 * implementation for the node's grpc-js server to mount.
 */
import type { ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { toGrpcRefusal } from '../grpc/grpc-refusal.js';
import type { NotifyAIJob, RegisterAIWorkerRequest } from './ai-worker-codec.js';
import { aiWorkerServiceDefinition, type AIWorkerServiceDefinition } from './ai-worker-service-definition.js';
import type { RemoteAIWorkerPool } from './remote-ai-pool.js';

export interface AIWorkerGrpcService {
  readonly definition: AIWorkerServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

export function createAIWorkerGrpcService(pool: RemoteAIWorkerPool): AIWorkerGrpcService {
  const registerAIWorker = (call: ServerWritableStream<RegisterAIWorkerRequest, NotifyAIJob>): void => {
    const addr = call.getPeer();
    let worker;
    try {
      worker = pool.register(call.request, call, addr);
    } catch (error) {
      // go-livepeer returns errSecret from the handler: status UNKNOWN, text `invalid secret`, which the worker treats as fatal.
      call.emit('error', toGrpcRefusal(error));
      return;
    }
    if (worker === undefined) {
      call.end();
      return;
    }
    const registered = worker;
    const gone = (): void => pool.remove(registered, 'disconnected');
    call.on('cancelled', gone);
    call.on('close', gone);
    call.on('error', gone);
  };
  return { definition: aiWorkerServiceDefinition, implementation: { RegisterAIWorker: registerAIWorker } };
}
