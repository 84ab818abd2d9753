import { defineErrors } from '../lpx-error.js';

/** Video transcoding: backends, the kernel's transcode workers and the profiles they are given. */
export const transcodeErrors = defineErrors('TRANSCODE', {
  BACKEND_DUPLICATE: { status: 500, description: 'Two plugins added a transcode backend with the same name.' },
  BACKEND_UNAVAILABLE: { status: 503, description: 'No transcode backend on this node probed available; the detail has each backend\'s reason.' },
  NO_CAPACITY: { status: 503, description: 'Every available transcode backend is at its session capacity.' },
  INPUT_INVALID: { status: 422, description: 'The source segment cannot be transcoded: empty, corrupt, not MPEG-TS/MP4, or without a video stream.' },
  PROFILE_INVALID: { status: 400, description: 'An output profile is unusable: unknown preset name, zero/odd/oversized resolution, zero bitrate, a codec the backend cannot encode.' },
  FAILED: { status: 502, description: 'The backend failed mid-segment (the encoder exited or crashed); nothing was charged for the segment.' },
  CANCELLED: { status: 503, description: 'The task was cancelled (the caller went away, the worker is closing, or the task timed out).' },
  RESULT_INVALID: { status: 502, description: 'A backend returned renditions that do not match the request (count, order, missing file, pixel count).' },
});
