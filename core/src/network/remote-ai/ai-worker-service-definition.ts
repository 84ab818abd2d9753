/**
 * `net.AIWorker` as a grpc-js service definition over our own codecs. The one
 * method is server-streaming: the worker's registration call stays open and
 * every job is a message pushed down it, so the call's lifetime *is* the
 * worker's membership in the pool.
 */
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { decodeNotifyAIJob, decodeRegisterAIWorkerRequest, encodeNotifyAIJob, encodeRegisterAIWorkerRequest, type NotifyAIJob, type RegisterAIWorkerRequest } from './ai-worker-codec.js';

export const AI_WORKER_SERVICE = 'net.AIWorker';

export interface AIWorkerServiceDefinition extends ServiceDefinition {
  readonly RegisterAIWorker: MethodDefinition<RegisterAIWorkerRequest, NotifyAIJob>;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

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
