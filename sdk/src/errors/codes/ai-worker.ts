import { defineErrors } from '../lpx-error.js';

// Remote AI workers (go-livepeer's `-aiWorker` nodes) registering with this
// orchestrator over `net.AIWorker/RegisterAIWorker` and posting results to
// `/aiResults`.
export const aiWorkerErrors = defineErrors('AI_WORKER', {
  SECRET_INVALID: { status: 401, description: 'A remote AI worker presented the wrong orchestrator secret (or this orchestrator has none set).' },
});
