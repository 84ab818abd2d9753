import { defineErrors } from '../lpx-error.js';

export const jobsErrors = defineErrors('JOBS', {
  NO_PROCESSOR: { status: 503, description: 'No processor is bound for the capability.' },
  PROCESSOR_DUPLICATE: { status: 500, description: 'A processor is already bound for the capability in this process.' },
  FAILED: { status: 502, description: 'The job failed after all its attempts; the message carries the processor error.' },
  TIMEOUT: { status: 504, description: 'Waiting for a job result timed out; the job stays in its queue.' },
  NOT_FOUND: { status: 404, description: 'No job with this id exists in the queue.' },
  INVALID_OPTIONS: { status: 400, description: 'Submit options are invalid (attempts, backoff, priority).' },
  CANCELLED: { status: 499, description: 'The synchronous caller hung up before its answer; its route job was cancelled (removed if still queued, its orchestrator request aborted), with no retry.' },
  CLOSED: { status: 503, description: 'The jobs service is shutting down and accepts no new jobs.' },
});
