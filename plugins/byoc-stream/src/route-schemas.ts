/**
 * Route schemas of go-livepeer's BYOC stream routes on the orchestrator's
 * front door (docs/adr/0058, plugin route schemas). Bodies arrive raw and go
 * to the app as sent, so they are documented, never validated; refusals are
 * go-livepeer's plain text with the LPX_ERR_* code in `lpx-error-code`.
 */
import { emptyResponse, routeSchema, textResponse, type ContentResponse } from '@lpx/sdk';

const tags = ['byoc-stream'] as const;
const job = {
  type: 'object',
  properties: {
    livepeer: { description: "The BYOC `Livepeer` header: base64 JobRequest (id, request, parameters, capability, sender's signature, timeout)." },
    'livepeer-payment': { description: 'Optional payment (base64 protobuf Payment), credited to (sender, capability).' },
  },
} as const;
const streamId = (extra: Record<string, unknown> = {}) => ({ 'application/json': { type: 'object', additionalProperties: true, properties: { stream_id: { type: 'string' }, ...extra } } });
const appAnswer = (description: string): ContentResponse => ({ description, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary', description: "The app's own body, with the app's content type." } } } });

function refusals(statuses: Readonly<Record<number, string>>): Record<number, ContentResponse> {
  return Object.fromEntries(Object.entries(statuses).map(([status, why]) => [Number(status), textResponse(`${why} (plain text; lpx-error-code names the LPX_ERR_* code).`)]));
}

export const startStreamSchema = routeSchema({
  summary: 'Start a BYOC stream on a hosted app (go-livepeer /ai/stream/start)',
  description: 'Opens the trickle channels, calls the app, and answers with the channel URLs in X-Control-Url, X-Events-Url, X-Publish-Url, X-Subscribe-Url, X-Data-Url and the balance in Livepeer-Balance.',
  tags: [...tags],
  headers: job,
  requestBody: { content: streamId() },
  response: {
    200: emptyResponse('Started; URLs in the X-*-Url headers.'),
    ...refusals({ 400: 'The header, parameters or body are invalid, the payment was refused, or no capacity', 402: 'Insufficient balance for request', 409: 'A stream with this id runs or is starting', 500: 'The app could not be reached or failed' }),
  },
});

export const stopStreamSchema = routeSchema({
  summary: 'Stop a BYOC stream (go-livepeer /ai/stream/stop); idempotent',
  tags: [...tags],
  headers: job,
  requestBody: { content: streamId() },
  response: { 200: appAnswer("The app's answer to its stop; empty for an unknown or stopped stream."), ...refusals({ 400: "The header or body is invalid, or another sender's stream" }) },
});

export const updateStreamSchema = routeSchema({
  summary: "Send new parameters to a stream's app (go-livepeer /ai/stream/update)",
  tags: [...tags],
  headers: job,
  requestBody: { description: "The stream id plus the app's parameters, passed through as JSON.", content: streamId() },
  response: {
    200: appAnswer("The app's status and body."),
    ...refusals({ 400: "The header or body is invalid, insufficient balance, or another sender's stream", 404: 'No such stream', 500: 'Error sending request to worker' }),
  },
});

export const streamPaymentSchema = routeSchema({
  summary: "Pay for a capability's streams (go-livepeer /ai/stream/payment)",
  description: 'Credits Livepeer-Payment to (sender, capability); no running stream is needed.',
  tags: [...tags],
  headers: job,
  response: { 200: emptyResponse('Credited; Livepeer-Balance is the new balance.'), ...refusals({ 400: 'The header is invalid, the payment was refused, or the balance is below 60 s of the price' }) },
});
