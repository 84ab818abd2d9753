// The go-livepeer-compatible network layer: `net.*` protobuf codecs, the
// orchestrator's gRPC discovery service, the gateway's client for it, auth
// tokens, and the self-signed TLS both sides expect.

export type { AuthToken, GpuComputeInfo, HardwareInformation, OrchestratorInfo, OrchestratorRequest, OSInfo, S3OSInfo, StorageType } from './wire/types.js';
export { NET_PROTO_PATH, netProtoRoot, netProtoType, type NetMessageName } from './wire/net-proto.js';
export { capabilitiesFromMessage, capabilitiesToMessage } from './wire/capabilities-message.js';
export {
  decodeEndSessionRequest,
  decodeOrchestratorInfo,
  decodeOrchestratorRequest,
  decodePingPong,
  encodeEndSessionRequest,
  encodeOrchestratorInfo,
  encodeOrchestratorRequest,
  encodePingPong,
  orchestratorInfoFromMessage,
  orchestratorInfoToMessage,
} from './wire/orchestrator-codec.js';

export { AUTH_TOKEN_VALIDITY_SECONDS, AuthTokenIssuer, type AuthTokenFault, type AuthTokenIssuerOptions } from './auth/auth-token.js';
export {
  claimedAddress,
  gatewayCredentials,
  gatewaySignatureMessage,
  gatewaySignatureVerifier,
  personalSign,
  type GatewayCredentials,
  type GatewaySignatureCheck,
  type GatewaySigner,
  type PersonalSigner,
} from './auth/gateway-signature.js';

export { generateSelfSignedCertificate, type SelfSignedOptions, type TlsKeyPair } from './tls/self-signed-certificate.js';
export { orchestratorChannelCredentials, orchestratorServerCredentials } from './tls/grpc-tls-credentials.js';

export { capabilityPricing, type CapabilityPricingOptions, type OrchestratorPricing } from './info/capability-pricing.js';
export {
  OrchestratorInfoBuilder,
  type OrchestratorInfoBuilderDeps,
  type OrchestratorInfoRequest,
  type OrchestratorInfoSource,
  type TicketParamsIssuer,
} from './info/orchestrator-info-builder.js';

export { LPX_ERROR_CODE_TRAILER, toGrpcRefusal, WIRE_TEXT } from './grpc/grpc-refusal.js';
export { ORCHESTRATOR_SERVICE, orchestratorServiceDefinition, type OrchestratorServiceDefinition } from './grpc/orchestrator-service-definition.js';
export { createOrchestratorGrpcService, type OrchestratorGrpcService, type OrchestratorGrpcServiceOptions } from './grpc/orchestrator-grpc-service.js';

export {
  CONNECT_TIMEOUT_MS,
  endTranscodingSession,
  getOrchestratorInfo,
  pingOrchestrator,
  RPC_TIMEOUT_MS,
  type GetOrchestratorInfoOptions,
  type OrchestratorCallOptions,
} from './client/orchestrator-client.js';
export { OrchestratorChannels, orchestratorTarget, type OrchestratorTarget } from './client/orchestrator-channels.js';
export { networkErrors } from './network-errors.js';
