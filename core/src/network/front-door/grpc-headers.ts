/**
 * Which requests are gRPC, and which headers may cross the proxy hop. The
 * rule is go-livepeer's (`server/rpc.go`): an HTTP/2 request whose
 * Content-Type starts with `application/grpc` goes to the gRPC server,
 * anything else to the HTTP mux. HTTP/1.1 never carries gRPC.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';

/**
 * Connection-specific headers are forbidden in HTTP/2 (RFC 9113 §8.2.2):
 * Node throws on them, so they are dropped on both hops. `host` is the
 * HTTP/1 spelling of `:authority`, which we set ourselves.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'http2-settings']);

/** gRPC status codes the proxy produces itself (grpc/status.proto). */
export const GRPC_STATUS = { CANCELLED: 1, UNKNOWN: 2, INTERNAL: 13, UNAVAILABLE: 14 } as const;

export function isGrpcRequest(httpVersionMajor: number, headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  return httpVersionMajor === 2 && typeof type === 'string' && type.toLowerCase().startsWith('application/grpc');
}

/** Headers (or trailers) to pass on: no pseudo-headers, no connection-specific ones. */
export function forwardableHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith(':') || HOP_BY_HOP.has(name)) continue;
    // HTTP/2 allows TE only as "trailers"; grpc clients always send exactly that.
    if (name === 'te' && value !== 'trailers') continue;
    out[name] = value;
  }
  return out;
}

/**
 * grpc-message is percent-encoded on the wire (gRPC HTTP/2 spec); encode the
 * characters the spec requires, leaving printable ASCII readable.
 */
export function encodeGrpcMessage(message: string): string {
  return Array.from(Buffer.from(message, 'utf8'))
    .map((byte) => (byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

/** The headers of a trailers-only gRPC response: status, message and our code, with END_STREAM. */
export function trailersOnly(grpcStatus: number, message: string, lpxCode: string, codeTrailer: string): OutgoingHttpHeaders {
  return {
    ':status': 200,
    'content-type': 'application/grpc',
    'grpc-status': String(grpcStatus),
    'grpc-message': encodeGrpcMessage(message),
    [codeTrailer]: lpxCode,
  };
}
