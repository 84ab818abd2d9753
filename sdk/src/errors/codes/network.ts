import { defineErrors } from '../lpx-error.js';

// The go-livepeer-compatible network layer: discovery RPCs, auth tokens, TLS.
// On the gRPC wire these travel with go-livepeer's status and text; the code
// rides along in the `lpx-error-code` trailer for lpx peers and logs.
export const networkErrors = defineErrors('NETWORK', {
  GATEWAY_SIG_INVALID: { status: 403, description: 'A GetOrchestrator request is not signed by the address it claims (personal_sign over the EIP-55 address).' },
  ORCHESTRATOR_CAPPED: { status: 503, description: 'The orchestrator has no session capacity left for a new gateway session.' },
  AUTH_TOKEN_INVALID: { status: 403, description: 'An auth token does not match the HMAC this orchestrator derives for its session id and expiry.' },
  AUTH_TOKEN_EXPIRED: { status: 403, description: 'An auth token is past its expiry.' },
  MALFORMED_MESSAGE: { status: 400, description: 'A protobuf message from a peer could not be decoded, or a field has the wrong size.' },
  INFO_UNAVAILABLE: { status: 500, description: 'The orchestrator could not build its OrchestratorInfo (prices, ticket params or capabilities failed).' },
  TLS_CERTIFICATE: { status: 500, description: 'The self-signed TLS certificate could not be generated (openssl missing or failed).' },
  UNREACHABLE: { status: 502, description: 'A remote orchestrator did not answer a gRPC call, or answered with an error.' },
  INVALID_URI: { status: 400, description: 'An orchestrator service URI is not an http(s) URL with a host.' },
  FRONT_DOOR_LISTEN: { status: 500, description: "The orchestrator's front door (the one TLS listener shared by gRPC and HTTP) could not listen on its address." },
  MULTIPART_MALFORMED: { status: 400, description: 'A multipart/mixed body has no boundary, no closing delimiter, a malformed part, or more parts or bytes than allowed.' },
  FRONT_DOOR_UPSTREAM: { status: 503, description: "The front door could not reach the node's internal gRPC server; gRPC callers get status UNAVAILABLE." },
});
