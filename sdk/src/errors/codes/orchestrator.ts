import { defineErrors } from '../lpx-error.js';

// Paid work on the orchestrator: job requests (BYOC wire), admission, dispatch to workers.
// The orchestrator answers these as go-livepeer does (plain-text body, its status);
// the gateway-side codes (JOB_REFUSED and below) carry the orchestrator's status and
// text in `details` so a router can decide between retrying, moving on and suspending.
export const orchestratorErrors = defineErrors('ORCHESTRATOR', {
  JOB_REQUEST_MISSING: { status: 400, description: 'A BYOC job request carries no `Livepeer` header.' },
  JOB_REQUEST_TOO_LARGE: { status: 400, description: 'The `Livepeer` job request header is larger than this node accepts.' },
  JOB_REQUEST_MALFORMED: { status: 400, description: 'The `Livepeer` header is not std-base64 JSON of a JobRequest, or a field is missing or has the wrong type (the message names it).' },
  JOB_REQUEST_NO_TIMEOUT: { status: 400, description: 'The JobRequest has no positive `timeout_seconds` (go-livepeer requires one).' },
  JOB_REQUEST_SIG_INVALID: { status: 400, description: 'The JobRequest `sig` is not a 65-byte personal_sign by `sender` over keccak256(request ‖ parameters).' },
  ETH_ADDRESS_INVALID: { status: 400, description: 'The `Livepeer-Eth-Address` header is missing, not base64 JSON {addr, sig}, or its sig does not recover to addr.' },
  CAPABILITY_MISSING: { status: 400, description: 'A job token request names no capability (`Livepeer-Capability` header).' },
  NO_CAPACITY: { status: 503, description: 'No capacity is free for the requested capability; the request was refused before any payment was taken.' },
  PAYMENT_SENDER_MISMATCH: { status: 400, description: 'The Livepeer-Payment sender is not the JobRequest sender, so the credit could not pay for this job.' },
  TOKEN_UNAVAILABLE: { status: 400, description: 'The orchestrator could not issue ticket params for a job token.' },
  JOB_ID_CONFLICT: { status: 409, description: 'A sender reused a job id for a different request (capability, path, request or parameters differ).' },
  JOB_RESULT_GONE: { status: 409, description: 'A retried job id already ran to completion and its result is no longer kept; the work is not run twice.' },
  DISPATCH_FAILED: { status: 500, description: 'The job could not be run by a worker; nothing was debited.' },
  JOB_REFUSED: { status: 502, description: 'An orchestrator answered a job or token request with a non-2xx status; details carry the status, its text and retry advice.' },
  JOB_UNREACHABLE: { status: 502, description: 'An orchestrator could not be reached for a job or token request (connection, TLS or protocol failure).' },
  JOB_TIMEOUT: { status: 504, description: 'An orchestrator did not answer a job within its timeout plus slack.' },
  TOKEN_INVALID: { status: 502, description: 'A job token from an orchestrator is not JSON of the JobToken shape.' },
});
