// go-livepeer's paid HTTP routes on the orchestrator (/payment, /segment) and
// the Livepeer-Segment credentials they check.

export { CHROMA_SUBSAMPLING, VIDEO_CODEC, VIDEO_FORMAT, VIDEO_PROFILE, type DecodedSegData, type SegData, type SegParameters, type VideoProfile } from './seg-data-types.js';
export {
  decodeSegData,
  decodeSegDataHeader,
  emptySegData,
  encodeSegData,
  encodeSegDataHeader,
  PROTO_PARSE_TEXT,
  SEG_DATA_LIMITS,
  SEG_ENCODING_TEXT,
  segDataFromMessage,
  segDataToMessage,
} from './seg-data-codec.js';
export { defaultProfileName, PROFILE_ERROR_TEXT, resolveTranscodeProfiles, wireProfiles } from './transcode-profiles.js';
export {
  flattenSegment,
  profileIdsHex,
  renditionSignatureMessage,
  segmentSignatureMessage,
  signSegment,
  toHash32,
  type SegmentSignatureInput,
} from './segment-signature.js';
export {
  DEFAULT_SEGMENT_DURATION_MS,
  MAX_SEGMENT_DURATION_MS,
  SEGMENT_CREDENTIAL_TEXT,
  verifySegmentCredentials,
  type SegmentCredentialDeps,
  type SegmentCredentials,
} from './segment-credentials.js';
export {
  decodePaymentResult,
  decodeTranscodeResult,
  encodePaymentResult,
  encodeTranscodeResult,
  type TranscodeData,
  type TranscodedSegmentData,
  type TranscodeOutcome,
  type TranscodeResult,
} from './transcode-result-codec.js';
export { acceptPaidRequest, checkPaidHeaders, PAYMENT_HEADER, SEGMENT_HEADER, type PaidHeaders, type PaidOutcome, type PaidRefusal, type PaidRequest, type PaidRouteDeps, type PaidRoutePayments } from './paid-request.js';
export { PAYMENT_ROUTE_PATH, registerPaymentRoute, type PaymentRouteDeps } from './payment-route.js';
export {
  BAD_REQUEST_TEXT,
  INSUFFICIENT_BALANCE_TEXT,
  registerSegmentRoute,
  SEGMENT_ROUTE_PATH,
  SEGMENT_URI_CONTENT_TYPE,
  TRANSCODER_UNAVAILABLE_TEXT,
  type SegmentRouteDeps,
  type TranscodeRequest,
  type TranscodeResponse,
  type Transcoder,
} from './segment-route.js';
export { MAX_SEGMENT_BODY_BYTES, readAtMost } from './request-body.js';
export { downloadSource, SOURCE_DOWNLOAD_TIMEOUT_MS, type SourceDownloader, type SourceDownloadOptions } from './source-download.js';
export { segmentErrors } from './segment-errors.js';
// The gateway's side of /segment (ADR 0026).
export { buildSegData, INVALID_PROFILES_MARKER, profileFields, segmentHeader, segmentJobCapabilities, wireVideoProfile, type SegmentHeaderInput } from './segment-client-seg-data.js';
export {
  SEGMENT_CALL_DURATION_FACTOR,
  SEGMENT_CALL_MIN_MS,
  SEGMENT_CONTENT_TYPE,
  SEGMENT_UPLOAD_DURATION_FACTOR,
  SEGMENT_UPLOAD_MIN_MS,
  segmentAgent,
  segmentTimeouts,
  submitSegment,
  type SegmentSubmitted,
  type SegmentTimeouts,
  type SubmitSegmentOptions,
} from './segment-client.js';
export { downloadRenditions, expectedSigner, verifyRenditions, type DownloadedRendition, type RenditionOptions, type VerifyOptions } from './segment-client-renditions.js';
export { ffprobePixelCounter } from './segment-client-pixels.js';
