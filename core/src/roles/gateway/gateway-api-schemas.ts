/**
 * Route schemas of the gateway's jobs API (docs/operators.md "Gateway API",
 * docs/adr/0058). The handlers check capability ids, timeouts, webhooks and
 * keys themselves with coded errors, so params and querystrings stay untyped
 * for the validator: documenting them refuses nothing new.
 */
import { anyJson, jsonResponse, problemResponses } from '../../http/openapi/index.js';

const jobs = { tags: ['gateway jobs'] };

const jobParams = {
  domain: { type: 'string', description: 'Capability domain, e.g. `byoc`, `ai`.' },
  name: { type: 'string', description: 'Capability name, e.g. `echo`, `text-to-image`.' },
};

const auth = {
  type: 'object',
  properties: { authorization: { description: '`Bearer <api key>` when the gateway has tenants (gateway.tenants).' } },
};

const refusals = problemResponses({
  400: 'Not a capability id, bad timeoutMs or webhook (LPX_ERR_CAPABILITY_INVALID_ID, LPX_ERR_HTTP_BAD_REQUEST, LPX_ERR_GATEWAY_WEBHOOK_*).',
  401: 'Missing or unknown API key.',
  403: 'The tenant may not use this capability.',
  402: "The tenant's budget is spent (Retry-After).",
});

export const submitJobRouteSchema = {
  ...jobs,
  summary: 'Submit a job to a capability: answer in the response (sync) or 202 with a status URL (async)',
  description: 'Sync by default: the orchestrator\'s output, or its event stream relayed line by line (text/event-stream), with `Lpx-Orchestrator`. `?async=true` or `Prefer: respond-async` answers 202 at once.',
  params: { type: 'object', additionalProperties: true, properties: jobParams },
  querystring: {
    type: 'object',
    properties: {
      async: { description: '`true`: answer 202 and run the job in the background.' },
      timeoutMs: { description: 'Sync wait in ms (integer, 1 to the gateway maximum).' },
      webhook: { description: 'URL the job outcome is posted to (also the Lpx-Webhook header).' },
    },
  },
  headers: auth,
  body: anyJson,
  response: {
    200: { description: "The capability's output (JSON), or its event stream (text/event-stream).", content: { 'application/json': { schema: anyJson }, 'text/event-stream': { schema: { type: 'string' } } } },
    202: jsonResponse('Queued; poll `status`.', { type: 'object', additionalProperties: true, properties: { id: { type: 'string' }, capability: { type: 'string' }, status: { type: 'string', description: 'The status URL (also Location).' } } }),
    ...refusals,
    ...problemResponses({ 404: 'This gateway does not route the capability (LPX_ERR_GATEWAY_UNKNOWN_CAPABILITY).', 502: 'Every attempt failed (LPX_ERR_JOBS_FAILED).', 504: 'No answer within timeoutMs; the job stays queued (LPX_ERR_JOBS_TIMEOUT).' }),
  },
};

export const jobStatusRouteSchema = {
  ...jobs,
  summary: "An async job's status",
  params: { type: 'object', additionalProperties: true, properties: { ...jobParams, id: { type: 'string', description: 'The id the 202 answered.' } } },
  headers: auth,
  response: {
    200: jsonResponse('The job: state, progress, attempts, result, and `error` (code, status, detail) when it failed with a code.', {
      type: 'object',
      additionalProperties: true,
      properties: {
        id: { type: 'string' },
        capabilityId: { type: 'string' },
        state: { type: 'string' },
        attemptsMade: { type: 'integer' },
        createdAt: { type: 'integer' },
        finishedAt: { type: 'integer' },
        progress: anyJson,
        failedReason: { type: 'string' },
        result: anyJson,
        error: { type: 'object', additionalProperties: true, properties: { code: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' } } },
      },
    }),
    ...refusals,
    ...problemResponses({ 404: "No such job (or another tenant's)." }),
  },
};

