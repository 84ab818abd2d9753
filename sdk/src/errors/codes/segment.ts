import { defineErrors } from '../lpx-error.js';

// The go-livepeer segment and payment routes (Livepeer-Segment credentials).
// On the wire these travel as go-livepeer's plain-text bodies (its exact text,
// which gateways log and sometimes match); the code is for our logs and callers.
export const segmentErrors = defineErrors('SEGMENT', {
  HEADER_ENCODING: { status: 403, description: 'The Livepeer-Segment header is not standard padded base64 (go-livepeer: `ErrorSegEncoding`).' },
  HEADER_TOO_LARGE: { status: 403, description: 'The Livepeer-Segment header, its manifest id or its profile list is larger than lpx accepts.' },
  MALFORMED: { status: 403, description: 'The Livepeer-Segment header is not a valid protobuf SegData.' },
  INVALID_PROFILE: { status: 403, description: 'A transcoding profile names an output format, encoder profile or video codec go-livepeer does not know.' },
  INVALID_DURATION: { status: 403, description: 'The segment duration is negative or longer than 5 minutes (`invalid duration`).' },
  SIG_INVALID: { status: 403, description: 'The segment credentials are not signed by the payment sender (`ErrSegSig`).' },
  INCOMPATIBLE_CAPABILITIES: { status: 403, description: 'The job capabilities are not compatible with this orchestrator (`incompatible capabilities`).' },
  AUTH_TOKEN_MISSING: { status: 403, description: 'The segment credentials carry no auth token (`missing auth token`).' },
  AUTH_TOKEN_INVALID: { status: 403, description: 'The auth token is not one this orchestrator process issued (`invalid auth token`).' },
  AUTH_TOKEN_EXPIRED: { status: 403, description: 'The auth token is past its expiry (`expired auth token`).' },
  ORCHESTRATOR_CAPPED: { status: 403, description: 'A new session was refused because the orchestrator is at its session limit (`OrchestratorCapped`).' },
  BODY_UNREADABLE: { status: 500, description: 'The segment body could not be read or is larger than 300,000,000 bytes.' },
  SOURCE_UNAVAILABLE: { status: 400, description: 'The segment named by an `application/vnd+livepeer.uri` body could not be downloaded in time.' },
  HASH_MISMATCH: { status: 403, description: 'keccak256 of the segment body differs from the hash in the signed segment credentials.' },
  TRANSCODER_UNAVAILABLE: { status: 503, description: 'No transcoder is configured (`ErrTranscoderUnavailable`); /segment reports it inside a 200 TranscodeResult.' },
  TRANSCODE_FAILED: { status: 502, description: 'Transcoding failed; /segment reports the reason inside a 200 TranscodeResult.' },
});
