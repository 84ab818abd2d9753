import { defineErrors } from '../lpx-error.js';

// Remote transcoders (go-livepeer's `-transcoder` nodes) registering with this
// orchestrator over `net.Transcoder/RegisterTranscoder` and posting results to
// `/transcodeResults`.
export const transcoderErrors = defineErrors('TRANSCODER', {
  SECRET_INVALID: { status: 401, description: 'A remote transcoder presented the wrong orchestrator secret (or this orchestrator has none set).' },
});
