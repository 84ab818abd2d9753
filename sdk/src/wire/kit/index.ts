/**
 * `@lpx/sdk/wire-kit`: what plugins serving go-livepeer's worker protocols on
 * the orchestrator's front door (coreServices.orchestratorWire) share — the
 * multipart/mixed reader for worker results, Go's HTTP habits on those
 * routes (plain-text refusals, bodies read after the headers passed, with a
 * limit) and registration refusals as go-livepeer sends them over gRPC. transcode-remote and ai-remote-worker are built on it
 * (docs/adr/0032-remote-ai-worker-plugin.md).
 *
 * A subpath, not the main entry: it touches Node streams and buffers, which
 * the main entry (types, refs, errors) does not, and only wire plugins need it.
 */
export { boundaryOf, parseMultipart, type MultipartLimits, type MultipartPart } from './multipart.js';
export { BodyTooLargeError, INTERNAL_ERROR_TEXT, MAX_RESULT_BODY_BYTES, passBodyThrough, readRequestBody, sendPlainError, type FastifyScope } from './plain-http.js';
export { grpcRefusal, LPX_ERROR_CODE_TRAILER } from './grpc-refusal.js';
export { PIXELS_720P_PER_SECOND } from './live-units.js';
