import { defineErrors } from '../lpx-error.js';

/** AI pipelines: requests, runners, executors and the AI wire. Areas add codes here (one list, docs generated). */
export const aiErrors = defineErrors('AI', {
  PIPELINE_UNKNOWN: { status: 404, description: 'The request names an AI pipeline this node does not serve (no pipeline plugin loaded for it).' },
  PIPELINE_DUPLICATE: { status: 500, description: 'Two plugins added the same AI pipeline.' },
  EXECUTOR_DUPLICATE: { status: 500, description: 'Two plugins added an AI executor with the same name.' },
  MODEL_UNKNOWN: { status: 400, description: 'The request names a model no runner here (or no orchestrator in the pool) serves for the pipeline.' },
  REQUEST_INVALID: { status: 400, description: 'An AI request is malformed: a missing or mistyped field, an unknown field, or an image/audio file that cannot be decoded. The detail names the field.' },
  LIMIT_EXCEEDED: { status: 413, description: 'An AI request is over a configured limit (body bytes, prompt characters, image side, audio length, max_tokens); the detail names the limit.' },
  NO_CAPACITY: { status: 503, description: 'Every runner for the pipeline and model is busy and none can be started (go-livepeer text: `insufficient capacity`).' },
  RUNNER_UNAVAILABLE: { status: 503, description: 'A runner could not be started or never became healthy (image missing, container exited, /health ERROR or LOADING too long).' },
  RUNNER_FAILED: { status: 500, description: 'A runner answered an error or died mid-request; nothing was charged for the request.' },
  RUNNER_TIMEOUT: { status: 504, description: 'A runner did not answer within the request timeout; it is restarted and nothing was charged.' },
  RESULT_INVALID: { status: 502, description: 'A runner or orchestrator answered something that is not the pipeline\'s response shape.' },
  CANCELLED: { status: 499, description: 'The caller went away or the node is shutting down; the request was stopped and not charged.' },
  CONFIG_INVALID: { status: 400, description: 'An aiModels entry is unusable (unknown pipeline, a model both warm and cold, url with capacity 0, a bad price); the detail names the entry.' },
  ORCHESTRATOR_REFUSED: { status: 502, description: "An orchestrator answered a batch AI request with a non-200 status (402 payment, 403 segment credentials, 400 request or payment refused, 503 `insufficient capacity`, 500 failed); the detail has its status and text (`remoteMessage`). The gateway tries another orchestrator by go-livepeer's rules." },
  MEDIA_UNAVAILABLE: { status: 502, description: 'An AI result names a media URL the gateway could not fetch (unreachable, not http(s) or data:, over the size limit); the gateway tries another orchestrator.' },
  JOB_UNKNOWN: { status: 404, description: 'An async AI job id that this gateway does not know (or whose result expired).' },
  OPENAI_UNSUPPORTED: { status: 400, description: 'A request to the OpenAI-compatible API asks for something the Livepeer pipelines cannot do (tools, several chat choices, logprobs, an image size or audio format not offered...); `param` names it (ADR 0035).' },
  OPENAI_ENDPOINT_UNSUPPORTED: { status: 404, description: 'An OpenAI API endpoint the gateway does not serve (embeddings, completions, moderations, image edits...); ADR 0035 lists what maps to a Livepeer pipeline.' },
  OPENAI_MODEL_NOT_FOUND: { status: 404, description: "The OpenAI-compatible API was asked for a model no orchestrator in the gateway's pool offers for that endpoint's pipeline; GET /v1/models lists those that are." },
  UNITS_NOT_COVERED: { status: 400, description: "A batch AI request sent to a Live Runner app (ai-live-runner, ADR 0050) needs more billing units than the app's fixed price covers (`max_units` in its discovery metadata); send a smaller request (fewer images, smaller size, fewer tokens)." },
  OPENAI_AUDIO_CONVERSION_FAILED: { status: 500, description: "The gateway could not convert the speech a runner produced (WAV) to the asked response_format with ffmpeg; nothing else was wrong with the request." },
});
