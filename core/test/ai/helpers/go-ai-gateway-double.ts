/**
 * A TEST DOUBLE of a go-livepeer gateway on the AI path, standing in for the
 * real binary. It shares no codec with lpx: its own .proto, its own
 * capability bits and Flatten, viem for hashing and signatures. What it
 * does, as go-livepeer's gateway does (server/ai_session.go, ai_process.go
 * prepareAIPayment, segment_rpc.go genSegCreds):
 * - GetOrchestrator with the AI job's capabilities: the default set plus the
 *   pipeline's bit, capacity 1 each (NewCapabilities), and the model as a
 *   per-capability constraint (warm false);
 * - the Livepeer-Segment header of an empty segment: manifestId
 *   `<capId>_<modelId>`, seq 0, hash = keccak256 of nothing, profiles
 *   "invalid", duration 0, the job capabilities, the echoed auth token, and
 *   sig = personal-sign of keccak256(Flatten);
 * - Livepeer-Payment empty (an offchain gateway), and
 *   `Authorization: Livepeer-AI-Worker-1.0`.
 */
import { fileURLToPath } from 'node:url';
import { credentials, makeGenericClientConstructor, Metadata, type ServiceError } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { Agent, request } from 'undici';
import { concat, hexToBytes, keccak256, toBytes } from 'viem';
import type { LocalAccount } from 'viem/accounts';

const root = protobuf.loadSync(fileURLToPath(new URL('./go-ai-gateway-double.proto', import.meta.url)));
const OrchestratorRequestType = root.lookupType('net.OrchestratorRequest');
const OrchestratorInfoType = root.lookupType('net.OrchestratorInfo');
const SegDataType = root.lookupType('net.SegData');

/** core.DefaultCapabilities(): H264 … GOP, AuthToken, MPEG7VideoSignature, SegmentSlicing. */
const GO_DEFAULT_CAPABILITIES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 26];
export const GO_AI_PROTOCOL = 'Livepeer-AI-Worker-1.0';

export interface GoAIOrchestratorInfo {
  readonly transcoder: string;
  readonly authToken: { token: Uint8Array; sessionId: string; expiration: string } | undefined;
  /** Per capability number: model id → advertised capacity. */
  readonly models: Record<string, Record<string, { warm: boolean; capacity: number; runnerVersion: string }>>;
  readonly prices: readonly { capability: number; constraint: string; pricePerUnit: string; pixelsPerUnit: string }[];
}

function bitstring(caps: readonly number[]): string[] {
  const words: bigint[] = [];
  for (const c of caps) {
    const w = Math.floor(c / 64);
    while (words.length <= w) words.push(0n);
    words[w] = words[w]! | (1n << BigInt(c % 64));
  }
  return words.map(String);
}

function jobCapabilities(capability: number, modelId: string) {
  const caps = [...GO_DEFAULT_CAPABILITIES, capability];
  return {
    bitstring: bitstring(caps),
    capacities: Object.fromEntries(caps.map((c) => [c, 1])),
    constraints: { PerCapability: { [capability]: { models: { [modelId]: { warm: false } } } } },
  };
}

/** core/streamdata.go Flatten for an empty AI segment: manifestId ‖ 32 zero bytes (seq 0) ‖ hash, no profiles. */
function flatten(manifestId: string, hash: Uint8Array): Uint8Array {
  return concat([toBytes(manifestId), new Uint8Array(32), hash]);
}

const insecure = new Agent({ connect: { rejectUnauthorized: false } });
const Client = makeGenericClientConstructor({}, 'Orchestrator');
const raw = (b: Buffer): Buffer => b;

export class GoAIGatewayDouble {
  readonly #client: InstanceType<typeof Client>;

  constructor(private readonly orchestrator: string, private readonly account: LocalAccount) {
    this.#client = new Client(new URL(orchestrator).host, credentials.createSsl(null, null, null, { rejectUnauthorized: false, checkServerIdentity: () => undefined }));
  }

  async #sign(message: Uint8Array): Promise<Uint8Array> {
    return hexToBytes(await this.account.signMessage({ message: { raw: keccak256(message) } }));
  }

  async getOrchestrator(capability: number, modelId: string): Promise<GoAIOrchestratorInfo> {
    const sig = await this.#sign(toBytes(this.account.address));
    const body = OrchestratorRequestType.encode(OrchestratorRequestType.fromObject({ address: hexToBytes(this.account.address), sig, capabilities: jobCapabilities(capability, modelId) })).finish();
    const reply = await new Promise<Buffer>((resolve, reject) => {
      this.#client.makeUnaryRequest('/net.Orchestrator/GetOrchestrator', raw, raw, Buffer.from(body), new Metadata(), { deadline: Date.now() + 8_000 }, (error: ServiceError | null, value?: Buffer) => (error ? reject(error) : resolve(value!)));
    });
    const m = OrchestratorInfoType.toObject(OrchestratorInfoType.decode(reply), { longs: String, bytes: Buffer, defaults: true }) as Record<string, any>;
    const models: GoAIOrchestratorInfo['models'] = {};
    for (const [cap, constraint] of Object.entries((m.capabilities?.constraints?.PerCapability ?? {}) as Record<string, { models?: Record<string, any> }>)) {
      models[cap] = Object.fromEntries(Object.entries(constraint.models ?? {}).map(([id, c]) => [id, { warm: Boolean(c.warm), capacity: Number(c.capacity ?? 0), runnerVersion: String(c.runnerVersion ?? '') }]));
    }
    return {
      transcoder: String(m.transcoder),
      authToken: m.authToken ? { token: new Uint8Array(m.authToken.token), sessionId: String(m.authToken.sessionId), expiration: String(m.authToken.expiration) } : undefined,
      models,
      prices: ((m.capabilitiesPrices ?? []) as Record<string, unknown>[]).map((p) => ({ capability: Number(p.capability), constraint: String(p.constraint), pricePerUnit: String(p.pricePerUnit), pixelsPerUnit: String(p.pixelsPerUnit) })),
    };
  }

  async segmentHeader(info: GoAIOrchestratorInfo, capability: number, modelId: string): Promise<string> {
    const manifestId = `${capability}_${modelId}`;
    const hash = hexToBytes(keccak256(new Uint8Array(0)));
    const segData = SegDataType.fromObject({
      manifestId: toBytes(manifestId),
      seq: '0',
      hash,
      profiles: toBytes('invalid'),
      sig: await this.#sign(flatten(manifestId, hash)),
      duration: 0,
      capabilities: jobCapabilities(capability, modelId),
      ...(info.authToken ? { authToken: { token: info.authToken.token, sessionId: info.authToken.sessionId, expiration: info.authToken.expiration } } : {}),
    });
    return Buffer.from(SegDataType.encode(segData).finish()).toString('base64');
  }

  /** POST {transcoder}/<pipeline> with a JSON body, as the gateway's generated ai-runner client does. */
  async postJSON(info: GoAIOrchestratorInfo, pipeline: string, capability: number, modelId: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await request(`${info.transcoder}/${pipeline}`, {
      method: 'POST',
      dispatcher: insecure,
      headers: { 'Livepeer-Segment': await this.segmentHeader(info, capability, modelId), 'Livepeer-Payment': '', Authorization: GO_AI_PROTOCOL, 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), text: await res.body.text() };
  }

  async download(url: string): Promise<{ status: number; data: Buffer }> {
    const res = await request(url, { dispatcher: insecure });
    return { status: res.statusCode, data: Buffer.from(await res.body.arrayBuffer()) };
  }

  close(): void {
    this.#client.close();
  }
}
