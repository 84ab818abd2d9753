/**
 * Route schemas of the ingest routes at go-livepeer's paths (docs/adr/0058,
 * plugin route schemas). Segment bodies are read by the route itself
 * (segment-body.ts), so they are documented, never validated by fastify;
 * refusals are the kernel's problem+json with LPX_ERR_INGEST_* codes.
 */
import { binaryResponse, contentResponse, problemResponses, routeSchema } from '@lpx/sdk';

const tags = ['video-ingest'] as const;
const PLAYLIST_TYPE = 'application/x-mpegURL';
const str = (description: string) => ({ type: 'string', description });

export const pushSchema = routeSchema({
  summary: 'Push one live segment (go-livepeer /live/{manifestId}/{seq}.ts|.mp4)',
  description:
    'The segment is transcoded to the stream\'s ladder (Livepeer-Transcode-Configuration, else the configured ladder). With `Accept: multipart/mixed` the renditions come back in the answer; they are also served under /stream/.',
  tags: [...tags],
  params: { type: 'object', properties: { manifestId: str('The stream (manifest) id.'), file: str('`<seq>.ts` or `<seq>.mp4`.') } },
  requestBody: { content: { 'video/mp2t': { type: 'string', format: 'binary' }, 'video/mp4': { type: 'string', format: 'binary' } } },
  response: {
    200: {
      description: 'Accepted; with `Accept: multipart/mixed`, one part per rendition.',
      content: { 'multipart/mixed': { schema: { type: 'string', format: 'binary' } } },
    },
    ...problemResponses({
      400: 'Bad push URL, Content-Duration or transcode configuration header',
      403: 'The auth webhook refused the stream',
      409: 'A sequence number pushed twice',
      413: 'The segment is larger than the configured limit',
      415: 'Not an MPEG-TS or MP4 body',
      502: 'The auth webhook or the transcode failed',
      503: 'Too many live streams',
    }),
  },
});

const notFound = (what: string) => problemResponses({ 404: `${what} (LPX_ERR_INGEST_STREAM_NOT_FOUND)` });

export const masterPlaylistSchema = routeSchema({
  summary: "A live stream's HLS master playlist (/stream/{streamId}.m3u8)",
  tags: [...tags],
  params: { type: 'object', properties: { file: str('`<streamId>.m3u8`.') } },
  response: { 200: contentResponse('The master playlist.', PLAYLIST_TYPE, { type: 'string' }), ...notFound('No such live stream') },
});

export const mediaPlaylistSchema = routeSchema({
  summary: "One rendition's HLS media playlist (/stream/{streamId}/{rendition}.m3u8)",
  tags: [...tags],
  params: { type: 'object', properties: { streamId: str('The stream id.'), file: str('`<rendition>.m3u8`.') } },
  response: { 200: contentResponse('The media playlist over the live window.', PLAYLIST_TYPE, { type: 'string' }), ...notFound('No such stream or rendition') },
});

export const segmentSchema = routeSchema({
  summary: 'One transcoded segment of the live window (/stream/{streamId}/{rendition}/{seq}.ts|.mp4)',
  tags: [...tags],
  params: { type: 'object', properties: { streamId: str('The stream id.'), rendition: str('The rendition name.'), file: str('`<seq>.ts` or `<seq>.mp4`.') } },
  response: { 200: binaryResponse('The segment (video/mp2t or video/mp4).', 'video/mp2t'), ...notFound('Not in the window') },
});
