/**
 * Route schemas of go-livepeer's paid HTTP routes on the orchestrator's front
 * door, as go-livepeer defines them (docs/adr/0058): documentation only. The
 * bodies are protobuf or opaque bytes and the headers are checked by the
 * handlers with go-livepeer's own plain-text refusals, so nothing here is
 * typed for fastify's validator to enforce.
 */
import { contentResponse, problemResponses, textResponse } from '../http/openapi/index.js';

const wire = { tags: ['go-livepeer wire'] };

const paymentHeaders = {
  type: 'object',
  properties: {
    livepeer: { description: 'net.SegData or net.JobRequest credentials (base64 protobuf / JSON), as go-livepeer sends them.' },
    'livepeer-payment': { description: 'base64 net.Payment: tickets and expected price.' },
    'livepeer-segment': { description: 'base64 net.SegData (segment credentials, signed by the gateway).' },
  },
};

const refusals = {
  400: textResponse('Bad credentials or payment, as go-livepeer answers (plain text).'),
  402: textResponse('Payment required or insufficient (plain text).'),
  ...problemResponses({ 404: 'Unknown path.', 413: 'Body over the limit.', 500: 'Internal error.' }),
};

export const segmentRouteSchema = {
  ...wire,
  summary: 'Transcode one segment (go-livepeer /segment)',
  description: 'The body is the media segment. Answers 200 at once with a streamed net.TranscodeResult (protobuf) when the work ends; refusals are plain text as in go-livepeer.',
  headers: paymentHeaders,
  response: { 200: contentResponse('net.TranscodeResult (protobuf).', 'application/octet-stream'), ...refusals, 503: textResponse('No session capacity or transcoder (plain text).') },
};

export const paymentRouteSchema = {
  ...wire,
  summary: 'Pay without work (go-livepeer /payment)',
  description: 'Credits the tickets in Livepeer-Payment to the sender; the body is empty by protocol.',
  headers: paymentHeaders,
  response: { 200: contentResponse('net.PaymentResult (protobuf): the refreshed OrchestratorInfo.', 'application/octet-stream'), ...refusals },
};

export const jobRequestRouteSchema = {
  ...wire,
  summary: 'Run one BYOC job (go-livepeer /process/request/<path>)',
  description: 'The `Livepeer` header is the signed net.JobRequest (capability, parameters, timeout); the body (any content type) goes to the capability, and the capability\'s answer comes back as it is, with the sender\'s `Livepeer-Balance`.',
  headers: paymentHeaders,
  response: {
    200: { description: "The capability's answer (its own status, content type and body), with the Livepeer-Balance header." },
    ...refusals,
    503: textResponse('No capacity for the capability (plain text).'),
  },
};

export const jobTokenRouteSchema = {
  ...wire,
  summary: 'A BYOC job token: ticket params and price for the sender (go-livepeer /process/token)',
  headers: { type: 'object', properties: { 'livepeer-eth-address': { description: "The sender's address and signature (base64 JSON)." }, 'livepeer-capability': { description: 'The capability to price.' } } },
  response: { 200: contentResponse('The job token (JSON).', 'application/json', { type: 'object', additionalProperties: true }), ...refusals },
};
