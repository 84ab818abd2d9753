import { defineErrors } from '../lpx-error.js';

// Remote transcoders (go-livepeer's `-transcoder` nodes) registering with this
// orchestrator over `net.Transcoder/RegisterTranscoder` and posting results to
// `/transcodeResults`.
export const transcoderErrors = defineErrors('TRANSCODER', {
  SECRET_INVALID: { status: 401, description: 'A remote transcoder presented the wrong orchestrator secret (or this orchestrator has none set).' },
  CAPACITY_INVALID: { status: 400, description: 'A remote transcoder registered with a capacity of zero or less.' },
  NONE_AVAILABLE: { status: 503, description: 'No registered remote transcoder has a free session slot for this segment.' },
  NONE_COMPATIBLE: { status: 503, description: "No registered remote transcoder has the capabilities the segment's job asks for." },
  TIMEOUT: { status: 504, description: 'A remote transcoder did not post its result within max(8 s, 4 × segment duration); it was dropped.' },
  DISCONNECTED: { status: 502, description: 'A remote transcoder could not be sent a task, or went away while working on one; it was dropped.' },
  TASK_FAILED: { status: 502, description: 'A remote transcoder reported a transcoding error for a task (the text is its own).' },
  RESULT_INVALID: { status: 502, description: 'A remote transcoder result has the wrong number of renditions, a rendition under 25 bytes, or an unreadable part.' },
  RESULT_MEDIA_TYPE: { status: 415, description: 'A /transcodeResults post is neither multipart/mixed nor livepeer/transcoding-error.' },
  RESULT_HEADER_INVALID: { status: 400, description: 'A /transcodeResults post has a TaskId or Pixels header that is not a 64-bit integer.' },
  POOL_CLOSED: { status: 503, description: 'The remote transcoder pool is shutting down.' },
});
