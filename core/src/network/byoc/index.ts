// The go-livepeer BYOC job wire: lpx's generic paid-job transport between gateway and orchestrator.
export {
  DEFAULT_MAX_JOB_REQUEST_HEADER_BYTES,
  JOB_REQUEST_HEADER,
  decodeJobRequestHeader,
  encodeJobRequestHeader,
  jobRequestSignatureMessage,
  jobRequestSignedBytes,
  parseSignatureHex,
  signJobRequest,
  verifyJobRequest,
  type JobRequest,
  type UnsignedJobRequest,
  type VerifiedJobRequest,
} from './job-request.js';
export { DEFAULT_JOB_SIGNATURE_CACHE_ENTRIES, JobSignatureCache } from './job-signature-cache.js';
export {
  CAPABILITY_HEADER,
  ETH_ADDRESS_HEADER,
  decodeEthAddressHeader,
  encodeEthAddressHeader,
  jobSenderFor,
  verifyEthAddressHeader,
  type JobSender,
} from './eth-address-header.js';
export { decodeJobToken, encodeJobToken, priceInfoToGoJson, ticketParamsToGoJson, type JobToken } from './job-token.js';
export { JobDedupe, jobFingerprint, type JobClaim, type JobDedupeOptions, type JobOutcome } from './job-dedupe.js';
export type { JobDispatchInput, JobDispatchResult, JobPaymentProcessor, JobPayments, JobRoutesDeps } from './byoc-types.js';
export { MIN_BALANCE_SECONDS, billedSeconds } from './job-payment-gate.js';
export { ERROR_CODE_HEADER } from './http-refusal.js';
export { requestRefusal } from './job-refusal.js';
export { readLines } from './sse-line-reader.js';
export { balanceInLine, SseEventCollector, type SseEvent } from './sse-events.js';
export { PAYMENT_BALANCE_HEADER } from './job-stream-relay.js';
export { BALANCE_HEADER, dispatchRequestId, registerJobRoutes } from './job-routes.js';
export {
  JOB_RESPONSE_SLACK_MS,
  TOKEN_TIMEOUT_MS,
  fetchJobToken,
  insecureOrchestratorAgent,
  isEventStream,
  postJob,
  retryAdvice,
  type FetchJobTokenOptions,
  type JobResponse,
  type OrchestratorHttpVersion,
  type PostJobOptions,
  type RetryAdvice,
} from './job-client.js';
