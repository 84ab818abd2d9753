// Remote transcoders (go-livepeer `-transcoder` nodes) attached to this
// orchestrator: net.Transcoder registration, task dispatch, /transcodeResults
// and the in-memory segment store they download from and upload to.

export { decodeNotifySegment, decodeRegisterRequest, encodeNotifySegment, encodeRegisterRequest, type DecodedNotifySegment, type NotifySegment, type RegisterRequest, type TeardownSegData } from './register-messages.js';
export { TRANSCODER_SERVICE, transcoderServiceDefinition, type TranscoderServiceDefinition } from './transcoder-service-definition.js';
export { createTranscoderGrpcService, type TranscoderGrpcService, type TranscoderGrpcServiceOptions } from './transcoder-grpc-service.js';
export { defaultTaskTimeoutMs, defaultTranscoderCapabilities, RemoteTranscoderPool, type PoolLogger, type RemoteTranscoderPoolOptions, type TranscodeJob } from './remote-transcoder-pool.js';
export type { TranscoderEntry, TranscoderLink } from './transcoder-entry.js';
export type { TaskOutcome, TaskResult, TranscodedRendition } from './task-table.js';
export { DEFAULT_STORE_MAX_BYTES, DEFAULT_STORE_TTL_MS, pathSegment, SegmentStore, type SegmentStoreOptions, type StoredObject } from './segment-store.js';
export { remoteTranscoder, type RemoteTranscodeOptions } from './remote-transcode.js';
export { registerRemoteTranscoderRoutes, type RemoteTranscoderRouteDeps } from './remote-transcoder-routes.js';
export { registerTranscodeResultsRoute, TRANSCODE_RESULTS_PATH, type TranscodeResultsRouteDeps } from './transcode-results-route.js';
export { registerStreamRoute, STREAM_PATH_PREFIX } from './stream-route.js';
export { parseInt64, resultFromMultipart } from './result-parts.js';
export { INVALID_PROFILES, MIN_RENDITION_BYTES, MIN_TASK_TIMEOUT_MS, TRANSCODER_PROTOCOL, TRANSCODER_TEXT, TRANSCODING_ERROR_MIME } from './wire-texts.js';
