/**
 * `net.AIWorker` for the orchestrator's gRPC server: each RegisterAIWorker
 * call is a worker joining the pool, and the call ending (worker gone, or the
 * pool dropping it) is the worker leaving. The one method is
 * server-streaming, so the call's lifetime *is* the worker's membership.
 */
import type { MethodDefinition, ServerWritableStream, ServiceDefinition, ServiceError, UntypedServiceImplementation } from '@grpc/grpc-js';
import { grpcRefusal } from '@lpx/sdk/wire-kit';
import type { RemoteAIWorkerPool } from '../pool/remote-ai-pool.js';
import { decodeNotifyAIJob, decodeRegisterAIWorkerRequest, encodeNotifyAIJob, encodeRegisterAIWorkerRequest, type NotifyAIJob, type RegisterAIWorkerRequest } from '../wire/ai-worker-messages.js';

export const AI_WORKER_SERVICE = 'net.AIWorker';

export interface AIWorkerServiceDefinition extends ServiceDefinition {
  readonly RegisterAIWorker: MethodDefinition<RegisterAIWorkerRequest, NotifyAIJob>;
}

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export const aiWorkerServiceDefinition: AIWorkerServiceDefinition = {
  RegisterAIWorker: {
    path: `/${AI_WORKER_SERVICE}/RegisterAIWorker`,
    requestStream: false,
    responseStream: true,
    originalName: 'RegisterAIWorker',
    requestSerialize: (value) => asBuffer(encodeRegisterAIWorkerRequest(value)),
    requestDeserialize: (bytes) => decodeRegisterAIWorkerRequest(bytes),
    responseSerialize: (value) => asBuffer(encodeNotifyAIJob(value)),
    responseDeserialize: (bytes) => decodeNotifyAIJob(bytes),
  },
};

type RegisterCall = ServerWritableStream<RegisterAIWorkerRequest, NotifyAIJob>;

function peerOf(call: RegisterCall): string {
  // Behind the front door the grpc-js peer is loopback; the proxy passes the real one on.
  const forwarded = call.metadata.get('x-forwarded-for')[0];
  return typeof forwarded === 'string' && forwarded !== '' ? forwarded : call.getPeer();
}

export function createAIWorkerGrpcService(pool: RemoteAIWorkerPool): { definition: AIWorkerServiceDefinition; implementation: UntypedServiceImplementation } {
  const registerAIWorker = (call: RegisterCall): void => {
    let worker;
    try {
      worker = pool.register(call.request, call, peerOf(call));
    } catch (error) {
      // go-livepeer returns errSecret from the handler: status UNKNOWN, text `invalid secret`, which the worker treats as fatal.
      call.emit('error', grpcRefusal(error) as ServiceError);
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
