/**
 * The orchestrator's `net.Orchestrator` service: what go-livepeer gateways
 * call to discover and refresh an orchestrator. Returned as a definition plus
 * an implementation, for the kernel's single gRPC server (GrpcEdge) to mount.
 */
import type { sendUnaryData, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import { keccak256 } from '../../payments/index.js';
import type { AuthTokenIssuer } from '../auth/auth-token.js';
import { claimedAddress, gatewaySignatureVerifier, personalSign, type GatewaySignatureCheck, type PersonalSigner } from '../auth/gateway-signature.js';
import type { OrchestratorInfoSource } from '../info/orchestrator-info-builder.js';
import { networkErrors } from '../network-errors.js';
import type { AuthToken, OrchestratorInfo, OrchestratorRequest } from '../wire/types.js';
import { toGrpcRefusal } from './grpc-refusal.js';
import { orchestratorServiceDefinition, type Empty, type OrchestratorServiceDefinition } from './orchestrator-service-definition.js';

export interface OrchestratorGrpcServiceOptions {
  readonly info: OrchestratorInfoSource;
  /**
   * `true` (default) checks the gateway's signature with our verifier; a
   * function replaces the check; `false` accepts every gateway, which is what
   * a go-livepeer orchestrator without an Ethereum client does (offchain mode).
   */
  readonly verifyGatewaySig?: boolean | GatewaySignatureCheck;
  readonly authTokens: AuthTokenIssuer;
  /** Signs Ping values; without one the reply is empty, like an offchain go-livepeer O. */
  readonly signer?: PersonalSigner;
  /** go-livepeer's CheckCapacity(""): false refuses every new gateway with OrchestratorCapped. */
  readonly hasSessionCapacity?: () => boolean;
  /** Called after a gateway ended a session with a valid token. */
  readonly onEndSession?: (sessionId: string) => void;
  /** Every refusal and failure, for logs and metrics (unexpected ones reach the wire only as "internal error"). */
  readonly onError?: (error: unknown, method: string) => void;
}

export interface OrchestratorGrpcService {
  readonly definition: OrchestratorServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

type Unary<Req, Res> = (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void;

function unaryHandler<Req, Res>(method: string, onError: OrchestratorGrpcServiceOptions['onError'], run: (request: Req) => Promise<Res>): Unary<Req, Res> {
  return (call, callback) => {
    run(call.request).then(
      (response) => callback(null, response),
      (error: unknown) => {
        onError?.(error, method);
        callback(toGrpcRefusal(error));
      },
    );
  };
}

export function createOrchestratorGrpcService(options: OrchestratorGrpcServiceOptions): OrchestratorGrpcService {
  const setting = options.verifyGatewaySig ?? true;
  const checkSig: GatewaySignatureCheck | undefined = setting === true ? gatewaySignatureVerifier() : setting === false ? undefined : setting;

  const getOrchestrator = async (request: OrchestratorRequest): Promise<OrchestratorInfo> => {
    const gateway = claimedAddress(request.address);
    const fault = checkSig?.(gateway, request.sig);
    if (fault !== undefined) throw networkErrors.GATEWAY_SIG_INVALID.create(`gateway signature check failed: ${fault}`, { details: { fault } });
    if (options.hasSessionCapacity?.() === false) throw networkErrors.ORCHESTRATOR_CAPPED.create('no session capacity for a new gateway session');
    return options.info.build({
      gateway,
      ...(request.capabilities !== undefined ? { capabilities: request.capabilities } : {}),
      ignoreCapacityCheck: request.ignoreCapacityCheck,
    });
  };

  const endTranscodingSession = async (token: AuthToken | undefined): Promise<Empty> => {
    // go-livepeer checks only the HMAC here (an expired session may still be ended).
    const fault = options.authTokens.check(token);
    if (token === undefined || fault === 'missing' || fault === 'invalid') {
      throw networkErrors.AUTH_TOKEN_INVALID.create(`cannot end session: auth token ${fault ?? 'invalid'}`);
    }
    options.onEndSession?.(token.sessionId);
    return {};
  };

  const ping = async (value: Uint8Array): Promise<Uint8Array> =>
    options.signer === undefined ? new Uint8Array(0) : personalSign(options.signer, keccak256(value));

  const implementation: UntypedServiceImplementation = {
    GetOrchestrator: unaryHandler('GetOrchestrator', options.onError, getOrchestrator),
    EndTranscodingSession: unaryHandler('EndTranscodingSession', options.onError, endTranscodingSession),
    Ping: unaryHandler('Ping', options.onError, ping),
  };
  return { definition: orchestratorServiceDefinition, implementation };
}
