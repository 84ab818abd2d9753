/**
 * gRPC credentials on both ends of the orchestrator link. grpc-js's TLS
 * server offers ALPN h2, which grpc-go ≥ 1.67 clients insist on. Clients do
 * not verify the peer's certificate, because go-livepeer orchestrators present
 * self-signed ones; identity comes from signatures inside the messages instead.
 */
import { credentials, ServerCredentials, type ChannelCredentials } from '@grpc/grpc-js';
import type { TlsKeyPair } from './self-signed-certificate.js';

export function orchestratorServerCredentials(pair: TlsKeyPair): ServerCredentials {
  return ServerCredentials.createSsl(null, [{ private_key: Buffer.from(pair.key), cert_chain: Buffer.from(pair.cert) }], false);
}

let insecureTls: ChannelCredentials | undefined;

/**
 * TLS without verification, or cleartext for an `http://` service URI (go-livepeer's rule).
 * The TLS credentials are made once per process: creating them loads the CA bundle,
 * tens of milliseconds of blocking CPU that a 100-orchestrator fan-out would pay 100 times.
 */
export function orchestratorChannelCredentials(scheme: 'https' | 'http'): ChannelCredentials {
  if (scheme === 'http') return credentials.createInsecure();
  insecureTls ??= credentials.createSsl(null, null, null, { rejectUnauthorized: false, checkServerIdentity: () => undefined });
  return insecureTls;
}
