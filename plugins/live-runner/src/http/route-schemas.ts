/**
 * Route schemas of go-livepeer's Live Runner routes on the orchestrator's
 * front door (docs/adr/0058, plugin route schemas). The scopes keep bodies as
 * bytes (runners do not always label their JSON) and the handlers refuse with
 * their own codes, so bodies are documented, never validated; refusals are
 * go-livepeer's plain text with the code in `lpx-error-code` (replies.ts).
 */
import { binaryResponse, emptyResponse, jsonResponse, routeSchema, textResponse, type ContentResponse, type JsonSchema } from '@lpx/sdk';

const tags = ['live-runner'] as const;
const open = (properties: Record<string, JsonSchema> = {}): JsonSchema => ({ type: 'object', additionalProperties: true, properties });
const str = (description: string): JsonSchema => ({ type: 'string', description });
const runnerParams = { type: 'object', properties: { runner: str('The runner route (its id or app route).') } };
const sessionParams = { type: 'object', properties: { runner: str('The runner route.'), session: str('The session id.') } };
const channel = open({ name: str('The name the runner asked for.'), channel_name: str('The trickle channel.'), url: str('Public URL.'), internal_url: str('URL the runner reaches.'), mime_type: { type: 'string' } });
const channelsBody = { 'application/json': open({ channels: { type: 'array', maxItems: 25, items: open({ name: str('1–64 of A-Z a-z 0-9 _ -'), mime_type: { type: 'string' } }) } }) };

function refusals(statuses: Readonly<Record<number, string>>): Record<number, ContentResponse> {
  const out: Record<number, ContentResponse> = Object.fromEntries(Object.entries(statuses).map(([status, why]) => [Number(status), textResponse(`${why} (plain text; lpx-error-code names the LPX_ERR_LIVE_RUNNER_* code).`)]));
  out[500] = textResponse('Internal Server Error.');
  return out;
}

const paymentChallenge = jsonResponse(
  "A payment is needed: go-livepeer's challenge (payment params for the sender), or `{error: {message}}` when the payer address is missing.",
  open({ payment_params: str('base64 protobuf OrchestratorInfo.'), orchestrator: { type: 'string' }, manifest_id: { type: 'string' }, payment_url: { type: 'string' }, error: open() }),
);

export const discoverySchema = routeSchema({
  summary: 'The ready Live Runner apps of this orchestrator (go-livepeer /discovery)',
  tags: [...tags],
  response: {
    200: jsonResponse(
      '`[{address, runners: [{url, app, version, metadata, mode, capacity, capacity_used, capacity_available, gpu, price_info}]}]`; runner URLs are this node\'s, never the runner\'s.',
      { type: 'array', items: open({ address: { type: 'string' }, runners: { type: 'array', items: open() } }) },
    ),
  },
});

export const heartbeatSchema = routeSchema({
  summary: 'A dynamic runner registers or keeps itself registered (go-livepeer /runners/heartbeat)',
  description: 'Authorization: the orchestrator secret on the first heartbeat, the heartbeat secret it answered with afterwards.',
  tags: [...tags],
  requestBody: { content: { 'application/json': open({ runner_id: str('Optional; 1–64 of A-Z a-z 0-9 . _ ~ -.'), app: { type: 'string' }, mode: { type: 'string', enum: ['persistent', 'single-shot'] }, url: { type: 'string' }, capacity: { type: 'integer' } }) } },
  response: {
    200: jsonResponse('runner_id, orchestrator, heartbeat_interval, heartbeat_ttl; heartbeat_secret and the o2r channel on the first one.', open({ runner_id: { type: 'string' }, heartbeat_secret: { type: 'string' } })),
    ...refusals({ 400: 'A malformed heartbeat', 401: 'Wrong secret', 404: 'Registration disabled (no orchestrator secret), or an expired runner that must register again' }),
  },
});

export const unregisterSchema = routeSchema({
  summary: 'A dynamic runner leaves (go-livepeer /runners/{runner}/unregister)',
  tags: [...tags],
  params: runnerParams,
  response: { 204: emptyResponse('Unregistered.'), ...refusals({ 401: 'Wrong heartbeat secret', 404: 'No such runner' }) },
});

export const openSessionSchema = routeSchema({
  summary: 'Reserve a session on a persistent runner, paying for it (go-livepeer /apps/{runner}/session)',
  description: 'Livepeer-Payment and Livepeer-Segment pay; without them the answer is a 402 challenge for Livepeer-Payer-Address.',
  tags: [...tags],
  params: runnerParams,
  response: {
    200: jsonResponse('The session: session_id, app_url, control_url.', open({ session_id: { type: 'string' }, app_url: { type: 'string' }, control_url: { type: 'string' } })),
    402: paymentChallenge,
    ...refusals({ 400: 'Not a persistent runner, or the payment was refused', 403: 'Credentials for another manifest', 404: 'No such ready runner', 503: 'No capacity' }),
  },
});

export const stopSessionSchema = routeSchema({
  summary: 'The client stops its session (go-livepeer /apps/{runner}/session/{session}/stop)',
  tags: [...tags],
  params: sessionParams,
  response: { 204: emptyResponse('Stopped.'), ...refusals({ 404: 'No such session' }) },
});

export const sessionPaymentSchema = routeSchema({
  summary: 'Pay for a running session (go-livepeer /apps/{runner}/session/{session}/payment)',
  tags: [...tags],
  params: sessionParams,
  response: {
    200: binaryResponse('A protobuf PaymentResult (fresh ticket params, the auth token).'),
    ...refusals({ 400: 'The payment was refused', 402: 'The payment is unreadable', 403: 'Credentials refused', 404: 'No such session' }),
  },
});

const callbackDescription = 'Called by the runner; Livepeer-Session-Token is the credential derived for the session.';

export const createChannelsSchema = routeSchema({
  summary: 'The runner opens trickle channels for its session',
  description: callbackDescription,
  tags: [...tags],
  params: sessionParams,
  requestBody: { content: channelsBody },
  response: { 200: jsonResponse('The channels.', open({ channels: { type: 'array', items: channel } })), ...refusals({ 400: 'Bad channel list or name', 401: 'Wrong session token', 404: 'No such session' }) },
});

export const deleteChannelsSchema = routeSchema({
  summary: "The runner removes trickle channels of its session",
  description: callbackDescription,
  tags: [...tags],
  params: sessionParams,
  requestBody: { content: channelsBody },
  response: { 200: jsonResponse('The names removed.', open({ deleted: { type: 'array', items: { type: 'string' } } })), ...refusals({ 400: 'Bad channel list or name', 401: 'Wrong session token', 404: 'No such session or channel' }) },
});

export const createProxySchema = routeSchema({
  summary: 'The runner asks for a public proxy URL to itself (or to `target_url`)',
  description: callbackDescription,
  tags: [...tags],
  params: sessionParams,
  requestBody: { content: { 'application/json': open({ target_url: str('Optional; where the proxy points (default: the runner).') }) } },
  response: { 200: jsonResponse('The proxy (its public url).', open({ url: { type: 'string' } })), ...refusals({ 400: 'Bad target_url', 401: 'Wrong session token', 404: 'No such session' }) },
});

export const runnerStopSchema = routeSchema({
  summary: 'The runner ends its session',
  description: callbackDescription,
  tags: [...tags],
  params: sessionParams,
  response: { 204: emptyResponse('Stopped.'), ...refusals({ 401: 'Wrong session token', 404: 'No such session' }) },
});

/** The proxied routes: any method, the runner's own answer. */
export function proxySchema(summary: string) {
  return routeSchema({
    summary,
    description: "Streamed to the runner untouched (WebSocket upgrades too); paid per call for single-shot runners (Livepeer-Payment, else a 402 challenge).",
    tags: [...tags],
    requestBody: { content: { 'application/octet-stream': { type: 'string', format: 'binary', description: "The runner's request body, any content type." } } },
    response: {
      200: binaryResponse("The runner's answer (its status, headers and body)."),
      402: paymentChallenge,
      ...refusals({ 404: 'No such runner, session or proxy', 502: 'The runner could not be reached' }),
    },
  });
}
