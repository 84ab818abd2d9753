/**
 * A gateway's calls to an orchestrator's `net.Orchestrator` service, the way
 * go-livepeer gateways make them: a fresh connection per call (3 s to
 * connect), TLS without certificate verification (orchestrators self-sign),
 * cleartext for an `http://` URI, the connection closed afterwards — unless
 * the caller passes its kept `channels` (the gateway's pool does, ADR 0062).
 * Works against lpx and go-livepeer orchestrators alike.
 */
import type { Client, ServiceError } from '@grpc/grpc-js';
import type { LivepeerCapabilities } from '../../capabilities/index.js';
import { gatewayCredentials, type GatewayCredentials, type GatewaySigner } from '../auth/gateway-signature.js';
import { LPX_ERROR_CODE_TRAILER } from '../grpc/grpc-refusal.js';
import { networkErrors } from '../network-errors.js';
import { orchestratorChannelCredentials } from '../tls/grpc-tls-credentials.js';
import { OrchestratorClient, orchestratorTarget, type OrchestratorChannels } from './orchestrator-channels.js';
import type { AuthToken, OrchestratorInfo } from '../wire/types.js';

/** go-livepeer's GRPCConnectTimeout and its gateway's per-RPC budget. */
export const CONNECT_TIMEOUT_MS = 3_000;
export const RPC_TIMEOUT_MS = 8_000;

export interface OrchestratorCallOptions {
  readonly timeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /** Kept channels to call over (one per orchestrator, left open); omitted: a connection for this call only. */
  readonly channels?: OrchestratorChannels;
}

export interface GetOrchestratorInfoOptions extends OrchestratorCallOptions {
  /** Signs the request (once per call); or pass precomputed `credentials`, as gateways do at start. */
  readonly signer?: GatewaySigner;
  readonly credentials?: GatewayCredentials;
  /** The job's needs; omit to get the full price list and hardware. */
  readonly capabilities?: LivepeerCapabilities;
  readonly ignoreCapacityCheck?: boolean;
}

type UnaryMethod<Req, Res> = (request: Req, options: { deadline: Date }, callback: (error: ServiceError | null, response?: Res) => void) => void;

function connect(client: Client, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => client.waitForReady(Date.now() + timeoutMs, (error) => (error ? reject(error) : resolve())));
}

async function call<Req, Res>(uri: string | URL, method: string, request: Req, options: OrchestratorCallOptions): Promise<Res> {
  const to = orchestratorTarget(uri);
  const kept = options.channels;
  const client = kept?.client(to) ?? new OrchestratorClient(to.address, orchestratorChannelCredentials(to.scheme));
  let failed = true;
  try {
    await connect(client, options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS).catch((cause: Error) => {
      throw networkErrors.UNREACHABLE.create(`cannot connect to orchestrator ${String(uri)}: ${cause.message}`, { cause, details: { uri: String(uri) } });
    });
    const invoke = (client as unknown as Record<string, UnaryMethod<Req, Res>>)[method]!.bind(client);
    const response = await new Promise<Res>((resolve, reject) => {
      invoke(request, { deadline: new Date(Date.now() + (options.timeoutMs ?? RPC_TIMEOUT_MS)) }, (error, response) => {
        if (error === null && response !== undefined) return resolve(response);
        const lpxCode = error?.metadata?.get(LPX_ERROR_CODE_TRAILER)[0];
        reject(
          networkErrors.UNREACHABLE.create(`orchestrator ${String(uri)} ${method} failed: ${error?.details ?? 'empty response'}`, {
            cause: error,
            // `remoteMessage` is the peer's own text (go-livepeer's error string), for callers that match on it.
            details: { uri: String(uri), method, grpcCode: error?.code, remoteMessage: error?.details, ...(lpxCode !== undefined ? { remoteCode: String(lpxCode) } : {}) },
          }),
        );
      });
    });
    failed = false;
    return response;
  } finally {
    if (kept === undefined) client.close();
    else if (failed) kept.drop(to);
  }
}

export async function getOrchestratorInfo(uri: string | URL, options: GetOrchestratorInfoOptions): Promise<OrchestratorInfo> {
  const credentials = options.credentials ?? (options.signer !== undefined ? await gatewayCredentials(options.signer) : undefined);
  if (credentials === undefined) throw new TypeError('getOrchestratorInfo needs a signer or precomputed credentials');
  return call(uri, 'GetOrchestrator', {
    address: credentials.address,
    sig: credentials.sig,
    ...(options.capabilities !== undefined ? { capabilities: options.capabilities } : {}),
    ignoreCapacityCheck: options.ignoreCapacityCheck ?? false,
  }, options);
}

/** The orchestrator's signature over keccak256(value) (empty from an offchain node). */
export function pingOrchestrator(uri: string | URL, value: Uint8Array, options: OrchestratorCallOptions = {}): Promise<Uint8Array> {
  return call(uri, 'Ping', value, options);
}

export async function endTranscodingSession(uri: string | URL, authToken: AuthToken, options: OrchestratorCallOptions = {}): Promise<void> {
  await call(uri, 'EndTranscodingSession', authToken, options);
}
