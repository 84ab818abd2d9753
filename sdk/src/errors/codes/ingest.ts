import { defineErrors } from '../lpx-error.js';

/** The gateway's HTTP push ingest and HLS output (go-livepeer's `/live/...` and `/stream/...`). */
export const ingestErrors = defineErrors('INGEST', {
  PUSH_URL_INVALID: { status: 400, description: 'A push URL is not /live/{manifestId}/{seq}.ts or .mp4 (manifest id of A-Z a-z 0-9 _ -, seq a decimal number).' },
  CONTENT_TYPE: { status: 415, description: 'A pushed segment declared a Content-Type other than video/mp2t, video/mp4 or application/octet-stream.' },
  SEGMENT_TOO_LARGE: { status: 413, description: "A pushed segment is bigger than the ingest's maxSegmentBytes." },
  DURATION_INVALID: { status: 400, description: "Content-Duration is negative or longer than five minutes (go-livepeer's longest segment)." },
  CONFIG_HEADER_INVALID: { status: 400, description: "The Livepeer-Transcode-Configuration header is not a JSON object of go-livepeer's auth webhook shape." },
  AUTH_REFUSED: { status: 403, description: 'The stream authentication webhook refused the stream (a non-200 answer), or the push asked for a ladder other than the one the webhook set.' },
  AUTH_WEBHOOK_FAILED: { status: 502, description: "The stream authentication webhook could not be reached, timed out, or answered something other than go-livepeer's JSON." },
  STREAM_LIMIT: { status: 503, description: 'The gateway already ingests maxStreams streams; a new stream is refused until one goes idle.' },
  SEQ_REPLAYED: { status: 409, description: 'A pushed seq was already transcoded with other bytes, or its renditions have left the window: it is not transcoded or paid for twice.' },
  STREAM_NOT_FOUND: { status: 404, description: 'No live stream, rendition or segment by that name (never pushed, cleaned up after going idle, or out of the playlist window).' },
  TRANSCODE_FAILED: { status: 502, description: "The gateway's routing failed without a coded reason; the segment is not added to the playlists." },
});
