/**
 * The HTTP face of the ingest, at go-livepeer's paths: `POST|PUT
 * /live/{manifestId}/{seq}.ts|.mp4` and HLS under `/stream/`. Route options
 * only, so the plugin hands them to `http.rootRoute` and tests to a bare
 * fastify instance.
 */
import type { Readable } from 'node:stream';
import { errors, type FastifyReply, type FastifyRequest, type OutputFormat, type RouteOptions } from '@lpx/sdk';
import { masterPlaylist, mediaPlaylist } from './hls-playlists.js';
import { buildMultipartMixed } from './multipart-mixed.js';
import { readSegmentBody, segmentBody } from './segment-body.js';
import { MANIFEST_ID_PATTERN, parseConfigHeader, type StreamSettings } from './stream-settings.js';
import type { VideoIngest } from './video-ingest.js';
import { masterPlaylistSchema, mediaPlaylistSchema, pushSchema, segmentSchema } from './route-schemas.js';

/** go-livepeer's longest segment (MaxDuration, 5 min). */
const MAX_DURATION_MS = 300_000;
/** Without Content-Duration go-livepeer assumes 2 s. */
const DEFAULT_DURATION_MS = 2_000;

const FORMATS: Readonly<Record<string, { format: OutputFormat; extension: string; mimeType: string }>> = {
  ts: { format: 'mpegts', extension: '.ts', mimeType: 'video/mp2t' },
  mp4: { format: 'mp4', extension: '.mp4', mimeType: 'video/mp4' },
};
const EXTENSIONS: Readonly<Record<OutputFormat, { extension: string; mimeType: string }>> = { mpegts: FORMATS.ts!, mp4: FORMATS.mp4! };
const PLAYLIST_TYPE = 'application/x-mpegURL';

interface ParsedPush {
  readonly pushId: string;
  readonly seq: number;
  readonly format: OutputFormat;
  readonly durationMs: number;
  readonly settings?: StreamSettings | undefined;
  readonly resolution?: string | undefined;
}

const pushes = new WeakMap<FastifyRequest, ParsedPush>();

export function ingestRoutes(ingest: VideoIngest, options: { maxSegmentBytes: number }): RouteOptions[] {
  return [
    {
      method: ['POST', 'PUT'],
      url: '/live/:manifestId/:file',
      schema: pushSchema,
      // Everything about the push is checked before its body is read; see segment-body.ts for why the body is read here.
      preParsing: async (request: FastifyRequest, _reply: FastifyReply, payload: Readable) => {
        pushes.set(request, parsePush(request));
        await readSegmentBody(request, payload, options.maxSegmentBytes);
        return payload;
      },
      handler: async (request, reply) => {
        const push = pushes.get(request)!;
        const path = request.url.split('?', 1)[0]!;
        const outcome = await ingest.push({
          ...push,
          body: segmentBody(request),
          pushUrl: `${request.protocol}://${request.host}${path}`,
        });
        const accept = request.headers.accept ?? '';
        if (outcome.renditions.length === 0 || !/(^|,)\s*multipart\/mixed\s*(;|,|$)/i.test(accept)) return reply.status(200).send();
        const { extension, mimeType } = EXTENSIONS[push.format];
        const multipart = buildMultipartMixed(push.seq, outcome.renditions.map((r) => ({ ...r, extension, mimeType })));
        return reply.status(200).type(multipart.contentType).send(multipart.body);
      },
    },
    {
      method: 'GET',
      url: '/stream/:file',
      schema: masterPlaylistSchema,
      handler: async (request, reply) => {
        const { file } = request.params as { file: string };
        const stream = ingest.stream(stripSuffix(file, '.m3u8'));
        if (stream === undefined || stream.window.length === 0) throw notFound(`no live stream ${file}`);
        return playlist(reply, masterPlaylist(stream.streamId, stream.variants()));
      },
    },
    {
      method: 'GET',
      url: '/stream/:streamId/:file',
      schema: mediaPlaylistSchema,
      handler: async (request, reply) => {
        const { streamId, file } = request.params as { streamId: string; file: string };
        const stream = ingest.stream(streamId);
        const rendition = stripSuffix(file, '.m3u8');
        if (stream === undefined || !stream.renditionNames().includes(rendition)) throw notFound(`no rendition ${streamId}/${file}`);
        const segments = stream.window.map((segment) => ({ seq: segment.seq, durationMs: segment.durationMs }));
        return playlist(reply, mediaPlaylist(rendition, EXTENSIONS[stream.format].extension, stream.mediaSequence, segments));
      },
    },
    {
      method: 'GET',
      url: '/stream/:streamId/:rendition/:file',
      schema: segmentSchema,
      handler: async (request, reply) => {
        const { streamId, rendition, file } = request.params as { streamId: string; rendition: string; file: string };
        const stream = ingest.stream(streamId);
        const { extension, mimeType } = stream ? EXTENSIONS[stream.format] : EXTENSIONS.mpegts;
        const seq = /^\d{1,15}$/.test(stripSuffix(file, extension)) ? Number(stripSuffix(file, extension)) : Number.NaN;
        const data = stream?.stored(seq)?.renditions.get(rendition);
        if (data === undefined) throw notFound(`no segment ${streamId}/${rendition}/${file} in the window`);
        return reply.header('access-control-allow-origin', '*').header('cache-control', 'max-age=60').type(mimeType).send(data);
      },
    },
  ];
}

function parsePush(request: FastifyRequest): ParsedPush {
  const { manifestId, file } = request.params as { manifestId: string; file: string };
  const match = /^(\d{1,15})\.(ts|mp4)$/.exec(file);
  if (!MANIFEST_ID_PATTERN.test(manifestId) || match === null) {
    throw errors.ingest.PUSH_URL_INVALID.create(`push to /live/${manifestId}/${file}: expected /live/{manifestId}/{seq}.ts or .mp4`, { details: { manifestId, file } });
  }
  const duration = request.headers['content-duration'];
  let durationMs = DEFAULT_DURATION_MS;
  if (typeof duration === 'string' && /^-?\d+$/.test(duration.trim())) {
    durationMs = Number(duration.trim());
    if (durationMs < 0 || durationMs > MAX_DURATION_MS) throw errors.ingest.DURATION_INVALID.create(`Content-Duration ${durationMs} ms is outside 0..${MAX_DURATION_MS}`, { details: { durationMs } });
  }
  const header = request.headers['livepeer-transcode-configuration'];
  const resolution = request.headers['content-resolution'];
  return {
    pushId: manifestId,
    seq: Number(match[1]),
    format: FORMATS[match[2]!]!.format,
    durationMs,
    settings: parseConfigHeader(typeof header === 'string' ? header : undefined),
    resolution: typeof resolution === 'string' && /^\d{1,5}x\d{1,5}$/.test(resolution) ? resolution : undefined,
  };
}

function playlist(reply: FastifyReply, text: string): FastifyReply {
  return reply.header('access-control-allow-origin', '*').header('cache-control', 'no-cache').type(PLAYLIST_TYPE).send(text);
}

function stripSuffix(value: string, suffix: string): string {
  return value.endsWith(suffix) ? value.slice(0, -suffix.length) : '';
}

function notFound(message: string) {
  return errors.ingest.STREAM_NOT_FOUND.create(message);
}
