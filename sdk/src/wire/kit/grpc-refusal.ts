/**
 * A refused registration on the gRPC wire, as go-livepeer sends it: its
 * handler returns a plain Go error, which grpc-go sends as status UNKNOWN
 * with the text as the message. go-livepeer workers stop reconnecting on
 * exactly `invalid secret` (and transcoders on `zero capacity`), so the text
 * is the contract; the lpx code rides in the `lpx-error-code` trailer for logs and lpx peers.
 */
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { isLpxError } from '../../errors/lpx-error.js';

export const LPX_ERROR_CODE_TRAILER = 'lpx-error-code';

export function grpcRefusal(error: unknown): Partial<ServiceError> {
  const metadata = new Metadata();
  // Unexpected failures keep their details in our logs, not on the wire.
  if (!isLpxError(error)) return { code: status.UNKNOWN, details: 'internal error', metadata };
  metadata.set(LPX_ERROR_CODE_TRAILER, error.code);
  return { code: status.UNKNOWN, details: error.message, metadata };
}
