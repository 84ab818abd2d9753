/**
 * What the gateway's go-livepeer-style routes are, for its /openapi.json
 * (docs/adr/0058): AI pipelines (go-livepeer's ai_http.go paths), BYOC
 * streams and jobs (`/process/*`) and Live Runner apps (`/v1/apps`). Their
 * handlers read raw bodies and proxy, so these tables only describe.
 */
import { AI_PIPELINES } from '@lpx/sdk';
import { anyJson, contentResponse, jsonResponse, problemResponses, textResponse } from '../../http/openapi/index.js';
import type { RouteDocTable } from '../../http/openapi/route-docs.js';

const json = { type: 'object', additionalProperties: true } as const;
const refused = problemResponses({ 400: 'Bad request.', 401: 'Missing or unknown API key.', 404: 'No such session or app.' });

export const aiRouteDocs: RouteDocTable = Object.fromEntries(
  AI_PIPELINES.flatMap((name) => [
    [
      `POST /${name}`,
      {
        tags: ['gateway AI'],
        summary: `Run the ${name} pipeline (go-livepeer's gateway route)`,
        description: 'JSON or multipart body as go-livepeer takes it; the answer is the orchestrator\'s JSON, or its event stream for streaming pipelines (llm). `Prefer: respond-async` queues async pipelines and answers 202 {request_id}. Refusals use go-livepeer\'s `{"error": {"message"}}` shape.',
        response: {
          200: { description: "The pipeline's result.", content: { 'application/json': { schema: anyJson }, 'text/event-stream': { schema: { type: 'string' } } } },
          202: jsonResponse('Queued (async pipelines).', { type: 'object', additionalProperties: true, properties: { request_id: { type: 'string' } } }),
        },
      },
    ],
    [`POST /${name}/result`, { tags: ['gateway AI'], summary: `The result of an async ${name} request`, response: { 200: jsonResponse('The result, or its state while it runs.', json) } }],
  ]),
);

const streams = { tags: ['gateway BYOC streams'] };

export const byocStreamRouteDocs: RouteDocTable = {
  'OPTIONS /process/stream/*': { ...streams, summary: 'CORS preflight for the stream routes', response: { 204: { description: 'Allowed.' } } },
  'POST /process/stream/start': { ...streams, summary: 'Start a BYOC stream (go-livepeer gateway /process/stream/start)', description: 'The `Livepeer` header names the capability (JobRequest JSON, base64).', response: { 200: jsonResponse('The stream id and its URLs (ingest, out, data, update, stop, status).', json), ...refused } },
  'POST /process/stream/:id/update': { ...streams, summary: "Send parameters to the stream's app", response: { 200: { description: "The app's answer, with its status and content type." }, ...refused } },
  'POST /process/stream/:id/stop': { ...streams, summary: 'Stop the stream', response: { 204: { description: 'Stopped.' }, ...refused } },
  'GET /process/stream/:id/status': { ...streams, summary: "The stream's state", response: { 200: jsonResponse('State, orchestrator, segment counts.', json), ...refused } },
  'GET /process/stream/:id/data': { ...streams, summary: "The app's data events (Server-Sent Events)", response: { 200: contentResponse('Event stream.', 'text/event-stream', { type: 'string' }), ...refused } },
  'POST /process/stream/:id/ingest': { ...streams, summary: 'Post one input segment', response: { 200: jsonResponse('Its sequence number (also Lpx-Seq).', { type: 'object', additionalProperties: true, properties: { seq: { type: 'integer' } } }), ...refused } },
  'GET /process/stream/:id/out': { ...streams, summary: 'Read one output segment (`?seq=`; latest when absent)', response: { 200: contentResponse('The segment bytes.', 'application/octet-stream'), ...refused } },
  'POST /process/request/*': {
    tags: ['gateway BYOC jobs'],
    summary: 'Send one BYOC job (go-livepeer gateway /process/request/<path>)',
    description: 'The `Livepeer` header is the JobRequest (base64 JSON: capability, request, parameters, timeout_seconds); the body goes to the capability as it came. The answer is the capability\'s, with Lpx-Orchestrator.',
    response: { 200: { description: "The capability's answer (its status, content type and body)." }, ...problemResponses({ 400: 'Malformed JobRequest or capability name.', 401: 'Missing or unknown API key.', 403: 'The tenant may not use the capability.', 404: 'This gateway does not route the capability.', 502: 'Every orchestrator failed.' }) },
  },
};

const apps = { tags: ['gateway Live Runner apps'] };
const proxied = { 200: { description: "The app's answer, proxied (any method, status and body)." }, ...refused, 502: textResponse('The runner did not answer.') };

export const liveRunnerRouteDocs: RouteDocTable = {
  'GET /v1/apps': { ...apps, summary: "The apps this gateway's orchestrators run (Live Runner)", response: { 200: jsonResponse('{ apps: [{ app, modes, runners, orchestrators }] }.', json) } },
  'POST /v1/apps/:app/sessions': { ...apps, summary: 'Open a persistent session with an app', response: { 201: jsonResponse('The session: session_id, app_url, control_url, orchestrator.', json), ...refused } },
  'POST /v1/apps/:app/sessions/:id/stop': { ...apps, summary: 'Close a session', response: { 204: { description: 'Closed.' }, ...refused } },
  'ALL /v1/apps/:app/sessions/:id/app': { ...apps, summary: "A request to the session's app, paid per call", response: proxied },
  'ALL /v1/apps/:app/sessions/:id/app/*': { ...apps, summary: "A request to a path of the session's app", response: proxied },
  'ALL /v1/apps/:app/app': { ...apps, summary: 'A single-shot request to an app (no session)', response: proxied },
  'ALL /v1/apps/:app/app/*': { ...apps, summary: 'A single-shot request to a path of an app', response: proxied },
};
