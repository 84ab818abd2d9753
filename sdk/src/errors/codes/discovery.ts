import { defineErrors } from '../lpx-error.js';

export const discoveryErrors = defineErrors('DISCOVERY', {
  INVALID_ADDRESS: {
    status: 400,
    description: 'An orchestrator address (orchAddr entry or webhook `address`) is not an http(s) host[:port] URL; the entry is skipped and the rest are used.',
  },
  WEBHOOK_STATUS: { status: 502, description: 'The discovery webhook answered with a non-2xx HTTP status; the last good orchestrator list is kept.' },
  WEBHOOK_BODY: {
    status: 502,
    description: 'The discovery webhook body is not a JSON array of `{ "address": string, "score": number }`; the last good orchestrator list is kept.',
  },
  WEBHOOK_UNREACHABLE: { status: 504, description: 'The discovery webhook could not be reached or did not answer within its timeout; the last good orchestrator list is kept.' },
  NO_CANDIDATES: { status: 503, description: 'A discovery source failed and has never produced a good orchestrator list to fall back on.' },
  SNAPSHOT_INVALID: { status: 400, description: 'A recorded discovery snapshot (for the selection simulator) is not valid JSON or a candidate field is malformed.' },
  UNKNOWN_ALGORITHM: { status: 400, description: 'No built-in selection algorithm has the requested name.' },
});
