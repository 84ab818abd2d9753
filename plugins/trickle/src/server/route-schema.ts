/**
 * The trickle route's schema (docs/adr/0058, plugin route schemas). The
 * handler owns the raw request and response (bodies stream both ways), so
 * the body is documented, never validated; refusals are go-livepeer's plain
 * text, as trickle clients expect.
 */
import { binaryResponse, emptyResponse, routeSchema, textResponse } from '@lpx/sdk';

export const trickleRouteSchema = routeSchema({
  summary: "A trickle channel (go-livepeer's trickle protocol): GET reads a segment, POST publishes one, DELETE closes the channel",
  description:
    'Path: `<channel>` (POST/DELETE) or `<channel>/<seq>` (GET, POST; seq -1 = the latest). Headers Lp-Trickle-Seq, Lp-Trickle-Latest and Lp-Trickle-Closed describe the position; segments stream in both directions.',
  tags: ['trickle'],
  requestBody: { description: 'POST: the segment bytes, streamed.', content: { 'application/octet-stream': { type: 'string', format: 'binary' } } },
  response: {
    200: binaryResponse('GET: the segment, streamed as it is written; POST / DELETE: done (empty body).'),
    400: textResponse('A malformed channel path or sequence number.'),
    404: textResponse('No such channel or segment.'),
    405: textResponse('A method the path does not take.'),
    470: emptyResponse('The segment does not exist (yet or any more): Lp-Trickle-Latest says where the channel is; Lp-Trickle-Closed when it ended.'),
    500: textResponse('The channel failed while serving.'),
  },
});
