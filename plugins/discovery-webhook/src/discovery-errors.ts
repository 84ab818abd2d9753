import { defineErrors } from '@lpx/sdk';

/**
 * The DISCOVERY codes this plugin raises, identical to sdk/src/errors/codes/discovery.ts.
 * Switch to `errors.discovery` once that file is in the sdk catalogue.
 */
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
});
