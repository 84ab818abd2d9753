/**
 * How our refusals look on the gRPC wire. go-livepeer returns plain Go errors
 * from its handlers, which grpc-go sends as status UNKNOWN with the error text
 * as the message; gateways match on that text, so we send the same text. The
 * lpx code rides in the `lpx-error-code` trailer for lpx peers and logs.
 */
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { isLpxError } from '@lpx/sdk';
import { networkErrors } from '../network-errors.js';

export const LPX_ERROR_CODE_TRAILER = 'lpx-error-code';

/** go-livepeer's exact texts for the refusals a gateway branches on. */
export const WIRE_TEXT = {
  gatewaySigInvalid: 'Invalid orchestrator request: orchestrator req sig check failed',
  orchestratorCapped: 'Invalid orchestrator request: OrchestratorCapped',
  authTokenInvalid: 'Invalid auth token',
} as const;

const WIRE_TEXT_BY_CODE: Readonly<Record<string, string>> = {
  [networkErrors.GATEWAY_SIG_INVALID.code]: WIRE_TEXT.gatewaySigInvalid,
  [networkErrors.ORCHESTRATOR_CAPPED.code]: WIRE_TEXT.orchestratorCapped,
  [networkErrors.AUTH_TOKEN_INVALID.code]: WIRE_TEXT.authTokenInvalid,
};

/** The ServiceError a handler passes to its callback for `error`. */
export function toGrpcRefusal(error: unknown): Partial<ServiceError> {
  const metadata = new Metadata();
  if (!isLpxError(error)) {
    // Unexpected failures keep their details in our logs, not on the wire.
    metadata.set(LPX_ERROR_CODE_TRAILER, networkErrors.INFO_UNAVAILABLE.code);
    return { code: status.UNKNOWN, details: 'internal error', metadata };
  }
  metadata.set(LPX_ERROR_CODE_TRAILER, error.code);
  return { code: status.UNKNOWN, details: WIRE_TEXT_BY_CODE[error.code] ?? error.message, metadata };
}
