/**
 * Route schemas of the remote-transcoder routes on the orchestrator's front
 * door (docs/adr/0058, plugin route schemas): go-livepeer's worker protocol,
 * so bodies are read by the routes themselves and refusals are plain text.
 */
import { binaryResponse, routeSchema, textResponse } from '@lpx/sdk';

const tags = ['transcode-remote'] as const;

export const transcodeResultsSchema = routeSchema({
  summary: "A remote transcoder's results for one task (go-livepeer /transcodeResults)",
  description: 'Headers: Authorization (protocol and orchestrator secret), Credentials, TaskId, Pixels. Body: the renditions as multipart/mixed, or an error text.',
  tags: [...tags],
  requestBody: { content: { 'multipart/mixed': { type: 'string', format: 'binary' }, 'livepeer/transcoding-error': { type: 'string', description: 'The transcoder failed: the error text.' } } },
  response: {
    200: textResponse('`OK` (also for a task that already ended: the transcoder moves on).'),
    400: textResponse('Invalid Task ID, Invalid Pixels, or a malformed multipart body.'),
    401: textResponse('Unauthorized: wrong protocol or secret.'),
    413: textResponse('The body is larger than the limit.'),
    415: textResponse('No or an unsupported media type.'),
  },
});

export const streamSchema = routeSchema({
  summary: 'A source segment for remote transcoders to fetch (go-livepeer memory object store /stream/...)',
  description: 'Unauthenticated, like go-livepeer: the path holds an unguessable session id.',
  tags: [...tags],
  response: { 200: binaryResponse('The segment, with the content type it was stored with.', 'video/mp2t'), 404: textResponse('`404 page not found`.') },
});
