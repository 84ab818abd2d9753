/**
 * Route schemas of the kernel's own routes on the node's HTTP port (besides
 * /healthz, /readyz, /metrics in root-server.ts). Params and querystrings are
 * left untyped where the handler reads them itself, so fastify's validator
 * never refuses what the handler used to take (docs/adr/0058).
 */
import { contentResponse, jsonResponse, problemResponses } from './problem-schema.js';

const statusObject = { type: 'object', additionalProperties: true } as const;

/** `GET /v1/blobs/:id` (node port) and the renditions' links on the orchestrator's front door. */
export const blobRouteSchema = {
  tags: ['blobs'],
  summary: 'Read a stored blob (large payloads, renditions, AI results)',
  description: "The reference's token is the credential: `Authorization: Bearer <token>` or `?token=`.",
  params: { type: 'object', properties: { id: { type: 'string', description: 'Blob id.' } } },
  querystring: { type: 'object', properties: { token: { description: 'The blob token (string), for clients that can only follow a URL.' } } },
  response: {
    200: contentResponse('The blob, with the content type it was stored with.', 'application/octet-stream'),
    ...problemResponses({ 400: 'Malformed id (LPX_ERR_BLOBS_INVALID_REF).', 401: 'No token, or an expired one.', 403: 'A token for another blob.', 404: 'No such blob (never stored, deleted or expired).' }),
  },
};

export const transcodeBackendsRouteSchema = {
  tags: ['node'],
  summary: "This node's transcode backends as last probed",
  response: { 200: jsonResponse('workerId, probed, backends[] (name, status, capacity), network offer when declared.', statusObject) },
};

export const containersRuntimeRouteSchema = {
  tags: ['node'],
  summary: 'The container runtime this node picked and its health',
  response: { 200: jsonResponse('ownerId, the runtimes plugins added, and the current status.', statusObject) },
};

export const aiModelsRouteSchema = {
  tags: ['node'],
  summary: "AI pipelines, this worker's executors and the models an orchestrator advertises",
  response: { 200: jsonResponse('Pipelines, executors and models (as `lpx ai models` prints them).', statusObject) },
};
