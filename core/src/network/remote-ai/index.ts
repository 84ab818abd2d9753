// Remote AI workers (go-livepeer `-aiWorker` nodes) for an orchestrator: the
// `net.AIWorker` gRPC service they register on, the pool that dispatches jobs
// to them, and the /aiResults and file routes on the front door.

export type { AIJobData, NotifyAIJob, RegisterAIWorkerRequest } from './ai-worker-codec.js';
export { decodeNotifyAIJob, decodeRegisterAIWorkerRequest, encodeNotifyAIJob, encodeRegisterAIWorkerRequest } from './ai-worker-codec.js';
export { AI_WORKER_SERVICE, aiWorkerServiceDefinition, type AIWorkerServiceDefinition } from './ai-worker-service-definition.js';
export { createAIWorkerGrpcService, type AIWorkerGrpcService } from './ai-worker-grpc-service.js';
export type { AIResult, AIResultFile } from './ai-result.js';
export {
  DEFAULT_AI_WORKER_TIMEOUT_MS,
  RemoteAIWorkerPool,
  SECRET_INVALID_TEXT,
  WORKER_TIMEOUT_TEXT,
  type AIJob,
  type RemoteAIEvent,
  type RemoteAIWorkerPoolOptions,
} from './remote-ai-pool.js';
export { NO_COMPATIBLE_WORKERS_TEXT, NO_WORKERS_TEXT, type CapacityListener } from './worker-roster.js';
export { DEFAULT_FILE_STORE_BYTES, DEFAULT_FILE_TTL_MS, FILE_ROUTE_PREFIX, FileStore, type FileStoreOptions, type StoredFile } from './file-store.js';
export {
  AI_RESULTS_PATH,
  AI_WORKER_AUTH,
  AI_WORKER_ERROR_CONTENT_TYPE,
  DEFAULT_MAX_RESULT_BYTES,
  registerRemoteAIRoutes,
  type RemoteAIRoutesDeps,
} from './ai-results-route.js';
export { aiWorkerErrors } from './remote-ai-errors.js';
