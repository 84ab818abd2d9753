/**
 * Route schemas of the remote AI worker routes on the orchestrator's front
 * door (docs/adr/0058, plugin route schemas): go-livepeer's worker protocol,
 * so bodies are read by the routes themselves and refusals are plain text.
 */
import { binaryResponse, routeSchema, textResponse } from '@lpx/sdk';

const tags = ['ai-remote-worker'] as const;
const binary = { type: 'string', format: 'binary' } as const;

export const aiResultsSchema = routeSchema({
  summary: "A remote AI worker's result for one task (go-livepeer /aiResults)",
  description: 'Headers: Authorization (protocol), Credentials (orchestrator secret), TaskId. Body: the result as multipart/mixed, an LLM stream as text/event-stream, or the worker\'s error text.',
  tags: [...tags],
  requestBody: {
    content: { 'multipart/mixed': binary, 'text/event-stream': { type: 'string' }, 'livepeer/ai-worker-error': { type: 'string', description: 'The worker failed: the error text.' } },
  },
  response: {
    200: textResponse('`OK` (also for a task that is no longer pending: the result is dropped).'),
    400: textResponse('Invalid Task ID, or a malformed result.'),
    401: textResponse('`Unauthorized` (protocol) or `invalid secret`.'),
    413: textResponse('The result is larger than the limit.'),
    415: textResponse('A malformed or unsupported Content-Type (the task fails).'),
    500: textResponse('Reading the result failed.'),
  },
});

export const inputFileSchema = routeSchema({
  summary: "One input file of a job, fetched by the remote AI worker it was sent to",
  description: 'The token in the path is the credential (one per job input, unguessable).',
  tags: [...tags],
  params: { type: 'object', properties: { token: { type: 'string' }, name: { type: 'string', description: 'The file name the job named.' } } },
  response: { 200: binaryResponse('The file, with its content type.'), 404: textResponse('`Not Found`.') },
});
