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
  ONCHAIN_UNREACHABLE: {
    status: 504,
    description: 'On-chain discovery could not read the protocol contracts (RPC unreachable, timed out or a call failed); the last good orchestrator list is kept.',
  },
  ONCHAIN_CONTRACT_MISSING: {
    status: 502,
    description:
      'On-chain discovery found no contract where it needs one (no code at the configured Controller or AIServiceRegistry, the Controller has no BondingManager/ServiceRegistry/RoundsManager, or a protocol call reverts or answers empty); the last good orchestrator list is kept.',
  },
  SERVICE_URI_INVALID: { status: 502, description: "An orchestrator's on-chain service URI is empty or not an http(s) URL; that orchestrator is skipped and the rest are used." },
});
