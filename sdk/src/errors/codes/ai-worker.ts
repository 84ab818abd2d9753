import { defineErrors } from '../lpx-error.js';

// Remote AI workers (go-livepeer's `-aiWorker` nodes) registering with this
// orchestrator over `net.AIWorker/RegisterAIWorker` and posting results to
// `/aiResults` (plugin ai-remote-worker). What reaches an AI caller is mapped
// to errors.ai.* with this code kept as `details.workerCode`.
export const aiWorkerErrors = defineErrors('AI_WORKER', {
  SECRET_INVALID: { status: 401, description: 'A remote AI worker presented the wrong orchestrator secret (or this orchestrator has none set).' },
  AUTH_TYPE_INVALID: { status: 401, description: 'A POST to /aiResults did not carry `Authorization: Livepeer-AI-Worker-1.0`.' },
  VERSION_INCOMPATIBLE: {
    status: 400,
    description: "A remote AI worker's version is below the configured minimum; like go-livepeer, its stream is closed without registering it.",
  },
  NO_WORKERS: { status: 503, description: 'No remote AI worker is registered (go-livepeer text: `no workers available`).' },
  NO_COMPATIBLE_WORKERS: {
    status: 503,
    description: 'No registered remote AI worker has free capacity for the pipeline and model (go-livepeer text: `no workers can process job requested`).',
  },
  TIMEOUT: { status: 504, description: 'A remote AI worker did not post its result in time; it is dropped and the job is not retried (go-livepeer text: `Remote worker took too long`).' },
  WORKER_ERROR: { status: 500, description: "A remote AI worker answered with `livepeer/ai-worker-error`; the message is the worker's text." },
  WORKER_LOST: { status: 502, description: 'A remote AI worker disconnected or could not be sent the job; the job is retried on another worker.' },
  RESULT_INVALID: { status: 500, description: 'A remote AI worker posted a result that cannot be used (bad multipart, bad JSON, a referenced file missing).' },
  RESULT_TOO_LARGE: { status: 413, description: 'A remote AI worker posted a result bigger than the configured limit.' },
  RESULT_CONTENT_TYPE: { status: 415, description: 'A POST to /aiResults had a missing, malformed or unsupported Content-Type.' },
  TASK_ID_INVALID: { status: 400, description: 'A POST to /aiResults had a TaskId header that is not an integer (go-livepeer text: `Invalid Task ID`).' },
  TASK_UNKNOWN: {
    status: 404,
    description: 'A remote AI worker posted a result for a task that is not pending (finished, timed out or cancelled); answered `OK` like go-livepeer and dropped.',
  },
  FILE_NOT_FOUND: { status: 404, description: 'A stored AI input or output file was requested that does not exist or has expired.' },
  REQUEST_INVALID: { status: 400, description: 'A `net.AIWorker` message (a registration) is not a valid protobuf message.' },
  CANCELLED: { status: 500, description: 'An AI job was abandoned by its caller (aborted) before a remote worker answered.' },
  POOL_CLOSED: { status: 503, description: 'The remote AI worker pool is shut down.' },
});
