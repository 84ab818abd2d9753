/**
 * go-livepeer's constants and texts on the remote AI worker protocol. Workers
 * and gateways read these texts (a go-livepeer worker stops reconnecting on
 * exactly `invalid secret`), so they are the contract, not decoration.
 */

/** protoVerAIWorker: the Authorization a worker puts on /aiResults. */
export const AI_WORKER_AUTH = 'Livepeer-AI-Worker-1.0';
/** aiWorkerErrorMimeType: a result that is the worker's error text. */
export const AI_WORKER_ERROR_CONTENT_TYPE = 'livepeer/ai-worker-error';
export const AI_RESULTS_PATH = '/aiResults';
/** Where workers download job inputs (go-livepeer's `input_url`). */
export const INPUT_ROUTE_PREFIX = '/ai-worker/files';
/** aiWorkerRequestTimeout. */
export const DEFAULT_AI_WORKER_TIMEOUT_MS = 15 * 60_000;

export const WIRE_TEXT = {
  /** errSecret. */
  secretInvalid: 'invalid secret',
  /** ErrRemoteWorkerTimeout. */
  timeout: 'Remote worker took too long',
  /** ErrNoWorkersAvailable. */
  noWorkers: 'no workers available',
  /** ErrNoCompatibleWorkersAvailable. */
  noCompatibleWorkers: 'no workers can process job requested',
  taskIdInvalid: 'Invalid Task ID',
  unauthorized: 'Unauthorized',
} as const;
