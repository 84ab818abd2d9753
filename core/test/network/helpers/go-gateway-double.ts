/**
 * A TEST DOUBLE of a go-livepeer broadcaster/gateway on the transcode path,
 * standing in for the real binary. It shares no codec with the code under
 * test: its own .proto (go-livepeer's field numbers), its own Flatten, its own
 * job capabilities, and viem for keccak256 and EIP-191 personal signatures.
 *
 * What it does, as go-livepeer's gateway does it:
 * - net.Orchestrator/GetOrchestrator over gRPC+TLS without certificate checks
 *   (server/rpc.go genOrchestratorReq: address = the gateway's address bytes,
 *   sig = its InfoSig, i.e. personal-sign of keccak256(UTF-8 of the EIP-55
 *   address string), capabilities = the job's);
 * - the Livepeer-Segment header (server/segment_rpc.go genSegCreds,
 *   core/streamdata.go NetSegData): std-base64 SegData with manifestId, seq,
 *   hash = keccak256(segment), profiles = "invalid", the profiles in
 *   fullProfiles (all MPEG-TS, integer fps, default encoder profile and GOP),
 *   duration in ms, the job capabilities, the orchestrator's auth token echoed,
 *   and sig = personal-sign of keccak256(Flatten);
 * - POST {transcoder}/segment with the raw MPEG-TS, Content-Type video/MP2T
 *   and Livepeer-Payment: an offchain gateway has no ticket sender, so
 *   genPayment returns "" and the header goes out empty;
 * - the TranscodeResult read with its own .proto, renditions downloaded
 *   (insecure, as go-livepeer), the result sig checked as
 *   verification/verify.go sigVerification does: personal-sign of
 *   keccak256(keccak256(rendition_0) ‖ …) against OrchestratorInfo.address
 *   (or the ticket recipient when that is zero).
 *
 * Without an account it is a go-livepeer gateway started offchain: its
 * address is the zero address and every signature it sends is empty
 * (core/broadcaster.go Sign without an Ethereum client).
 */
import { fileURLToPath } from 'node:url';
import { credentials, makeGenericClientConstructor, Metadata, type ServiceError } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { Agent, request } from 'undici';
import { bytesToHex, concat, hexToBytes, keccak256, recoverMessageAddress, toBytes, type Hex } from 'viem';
import type { LocalAccount } from 'viem/accounts';

const root = protobuf.loadSync(fileURLToPath(new URL('./go-gateway-double.proto', import.meta.url)));
const OrchestratorRequestType = root.lookupType('net.OrchestratorRequest');
const OrchestratorInfoType = root.lookupType('net.OrchestratorInfo');
const SegDataType = root.lookupType('net.SegData');
const TranscodeResultType = root.lookupType('net.TranscodeResult');

/** go-livepeer's core.Capability numbers the transcode job uses. */
export const GO_CAPABILITY = { H264: 0, MPEGTS: 1, MP4: 2, AuthToken: 12 } as const;

/** A go-livepeer (lpms) VideoProfile as the gateway puts it on the wire. */
export interface GoVideoProfile {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** bits per second. */
  readonly bitrate: number;
  readonly fps: number;
}

/** Two of lpms's preset profiles (ffmpeg.VideoProfileLookup). */
export const GO_PRESETS = {
  P240p30fps16x9: { name: 'P240p30fps16x9', width: 426, height: 240, bitrate: 600_000, fps: 30 },
  P144p30fps16x9: { name: 'P144p30fps16x9', width: 256, height: 144, bitrate: 400_000, fps: 30 },
} as const satisfies Record<string, GoVideoProfile>;

export interface GoAuthToken {
  readonly token: Uint8Array;
  readonly sessionId: string;
  readonly expiration: bigint;
}

export interface GoOrchestratorInfo {
  readonly transcoder: string;
  /** 20 bytes, or empty. */
  readonly address: Uint8Array;
  readonly authToken: GoAuthToken | undefined;
  readonly priceInfo: { readonly pricePerUnit: bigint; readonly pixelsPerUnit: bigint } | undefined;
  readonly ticketParams: { readonly recipient: Uint8Array } | undefined;
  readonly capabilities: { readonly bitstring: readonly bigint[]; readonly mandatories: readonly bigint[]; readonly capacities: Readonly<Record<string, number>>; readonly version: string } | undefined;
}

export interface GoTranscodeResult {
  readonly seq: bigint;
  readonly error?: string;
  readonly data?: { readonly segments: readonly { readonly url: string; readonly pixels: bigint }[]; readonly sig: Uint8Array };
  readonly info?: GoOrchestratorInfo;
}

export type SubmitOutcome =
  | { readonly status: 200; readonly result: GoTranscodeResult }
  /** go-livepeer's gateway takes the trimmed body of a non-200 as the error. */
  | { readonly status: number; readonly text: string };

export interface SegmentInput {
  readonly manifestId: string;
  readonly seq: bigint;
  readonly data: Uint8Array;
  readonly profiles: readonly GoVideoProfile[];
  readonly durationMs: number;
  /** Scripted faults, each named for what go-livepeer's orchestrator checks. */
  readonly tamper?: {
    /** Sent instead of `data`, after hashing and signing `data`. */
    readonly body?: Uint8Array;
    /** Flips a byte of SegData.sig after signing. */
    readonly sig?: boolean;
    /** Flips a byte of the echoed auth token. */
    readonly authToken?: boolean;
    /** Sent as the Livepeer-Segment header verbatim. */
    readonly segmentHeader?: string;
  };
}

const insecure = new Agent({ connect: { rejectUnauthorized: false }, allowH2: true });
const Client = makeGenericClientConstructor({}, 'Orchestrator');
const raw = (b: Buffer): Buffer => b;
const ZERO_ADDRESS = new Uint8Array(20);

function flipped(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  if (out.length === 0) return Uint8Array.of(1);
  out[out.length >> 1] = out[out.length >> 1]! ^ 0xff;
  return out;
}

const big = (v: unknown): bigint => (v === undefined || v === null ? 0n : BigInt(String(v)));
const bytes = (v: unknown): Uint8Array => (v instanceof Uint8Array ? Uint8Array.from(v) : new Uint8Array(0));

/** go-livepeer's CapabilityString: capability c is bit c % 64 of word c / 64. */
export function capabilityBitstring(caps: readonly number[]): bigint[] {
  const words: bigint[] = [];
  for (const c of caps) {
    const word = Math.floor(c / 64);
    while (words.length <= word) words.push(0n);
    words[word] = words[word]! | (1n << BigInt(c % 64));
  }
  return words;
}

/** core.JobCapabilities for H.264 4:2:0 8-bit input, MPEG-TS H.264 outputs, default encoder profile and GOP, no external storage. */
export function transcodeJobCapabilities(): bigint[] {
  return capabilityBitstring([GO_CAPABILITY.AuthToken, GO_CAPABILITY.H264, GO_CAPABILITY.MPEGTS]);
}

/** core/streamdata.go Flatten: manifestId ‖ leftPad32(big.Int(seq).Bytes()) ‖ hash ‖ hex(keccak256(name)[0:4] …) as ASCII. */
export function goFlatten(manifestId: string, seq: bigint, hash: Uint8Array, profileNames: readonly string[]): Uint8Array {
  const magnitude = seq < 0n ? -seq : seq; // big.Int.Bytes() is the absolute value
  const seqBytes = magnitude === 0n ? new Uint8Array(0) : hexToBytes(`0x${magnitude.toString(16).padStart(Math.ceil(magnitude.toString(16).length / 2) * 2, '0')}`);
  const seq32 = new Uint8Array(32);
  seq32.set(seqBytes, 32 - seqBytes.length);
  const ids = profileNames.map((name) => keccak256(toBytes(name)).slice(2, 10)).join('');
  return concat([toBytes(manifestId), seq32, hash, toBytes(ids)]);
}

function decodeInfo(message: protobuf.Message | undefined): GoOrchestratorInfo | undefined {
  if (message === undefined || message === null) return undefined;
  const m = message as unknown as Record<string, any>;
  const auth = m['authToken'] as Record<string, unknown> | undefined;
  const price = m['priceInfo'] as Record<string, unknown> | undefined;
  const ticket = m['ticketParams'] as Record<string, unknown> | undefined;
  const caps = m['capabilities'] as Record<string, any> | undefined;
  return {
    transcoder: String(m['transcoder'] ?? ''),
    address: bytes(m['address']),
    authToken: auth ? { token: bytes(auth['token']), sessionId: String(auth['sessionId'] ?? ''), expiration: big(auth['expiration']) } : undefined,
    priceInfo: price ? { pricePerUnit: big(price['pricePerUnit']), pixelsPerUnit: big(price['pixelsPerUnit']) } : undefined,
    ticketParams: ticket ? { recipient: bytes(ticket['recipient']) } : undefined,
    capabilities: caps
      ? {
          bitstring: ((caps['bitstring'] ?? []) as unknown[]).map(big),
          mandatories: ((caps['mandatories'] ?? []) as unknown[]).map(big),
          capacities: Object.fromEntries(Object.entries((caps['capacities'] ?? {}) as Record<string, number>)),
          version: String(caps['version'] ?? ''),
        }
      : undefined,
  };
}

export interface GoGatewayDoubleOptions {
  /** The orchestrator's service URI (https://host:port), as -orchAddr. */
  readonly orchestrator: string;
  /** The gateway's key; absent: an offchain go-livepeer gateway (zero address, empty signatures). */
  readonly account?: LocalAccount;
}

export class GoGatewayDouble {
  readonly #options: GoGatewayDoubleOptions;
  readonly #client: InstanceType<typeof Client>;

  constructor(options: GoGatewayDoubleOptions) {
    this.#options = options;
    const target = new URL(options.orchestrator).host;
    this.#client = new Client(target, credentials.createSsl(null, null, null, { rejectUnauthorized: false, checkServerIdentity: () => undefined }));
  }

  /** The address go-livepeer's gateway puts in OrchestratorRequest and signs with. */
  get address(): Uint8Array {
    return this.#options.account ? hexToBytes(this.#options.account.address) : ZERO_ADDRESS;
  }

  /** core/broadcaster.go Sign: personal-sign of keccak256(msg); empty without a key. */
  async sign(message: Uint8Array): Promise<Uint8Array> {
    const account = this.#options.account;
    if (account === undefined) return new Uint8Array(0);
    return hexToBytes(await account.signMessage({ message: { raw: keccak256(message) } }));
  }

  /** net.Orchestrator/GetOrchestrator. Rejects with the gRPC ServiceError. */
  async getOrchestrator(capabilities: readonly bigint[] = transcodeJobCapabilities()): Promise<GoOrchestratorInfo> {
    // starter.go: InfoSig = Sign([]byte(address.Hex())), the EIP-55 string.
    const sig = this.#options.account ? await this.sign(toBytes(this.#options.account.address)) : new Uint8Array(0);
    const body = OrchestratorRequestType.encode(
      OrchestratorRequestType.fromObject({ address: this.address, sig, capabilities: { bitstring: capabilities.map(String) } }),
    ).finish();
    const reply = await new Promise<Buffer>((resolve, reject) => {
      this.#client.makeUnaryRequest('/net.Orchestrator/GetOrchestrator', raw, raw, Buffer.from(body), new Metadata(), { deadline: Date.now() + 8_000 }, (error: ServiceError | null, value?: Buffer) =>
        error ? reject(error) : resolve(value!),
      );
    });
    return decodeInfo(OrchestratorInfoType.decode(reply))!;
  }

  /** genSegCreds: the std-base64 SegData for the Livepeer-Segment header. */
  async segmentCredentials(info: GoOrchestratorInfo, input: SegmentInput): Promise<string> {
    const hash = hexToBytes(keccak256(input.data));
    let sig = await this.sign(goFlatten(input.manifestId, input.seq, hash, input.profiles.map((p) => p.name)));
    if (input.tamper?.sig === true) sig = flipped(sig);
    const auth = info.authToken;
    const authToken = auth === undefined ? undefined : { token: input.tamper?.authToken === true ? flipped(auth.token) : auth.token, sessionId: auth.sessionId, expiration: auth.expiration.toString() };
    const segData = SegDataType.fromObject({
      manifestId: toBytes(input.manifestId),
      seq: input.seq.toString(),
      hash,
      // NetSegData: makes orchestrators that only read the old field fail.
      profiles: toBytes('invalid'),
      sig,
      duration: input.durationMs,
      capabilities: { bitstring: transcodeJobCapabilities().map(String) },
      ...(authToken ? { authToken } : {}),
      // All MPEG-TS, integer fps, default profile and GOP: the oldest field, 33.
      fullProfiles: input.profiles.map((p) => ({ name: p.name, width: p.width, height: p.height, bitrate: p.bitrate, fps: p.fps })),
    });
    return Buffer.from(SegDataType.encode(segData).finish()).toString('base64');
  }

  /** SubmitSegment: POST {transcoder}/segment. */
  async submitSegment(info: GoOrchestratorInfo, input: SegmentInput): Promise<SubmitOutcome> {
    const header = input.tamper?.segmentHeader ?? (await this.segmentCredentials(info, input));
    const res = await request(`${info.transcoder}/segment`, {
      method: 'POST',
      dispatcher: insecure,
      headers: { 'Livepeer-Segment': header, 'Livepeer-Payment': '', 'Content-Type': 'video/MP2T' },
      body: Buffer.from(input.tamper?.body ?? input.data),
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    if (res.statusCode !== 200) return { status: res.statusCode, text: body.toString('utf8').trim() };
    const m = TranscodeResultType.decode(body) as unknown as Record<string, any>;
    const result: GoTranscodeResult = {
      seq: big(m['seq']),
      ...(m['result'] === 'error' ? { error: String(m['error']) } : {}),
      ...(m['result'] === 'data'
        ? {
            data: {
              segments: ((m['data']['segments'] ?? []) as Record<string, unknown>[]).map((s) => ({ url: String(s['url'] ?? ''), pixels: big(s['pixels']) })),
              sig: bytes(m['data']['sig']),
            },
          }
        : {}),
      ...(m['info'] ? { info: decodeInfo(m['info'])! } : {}),
    };
    return { status: 200, result };
  }

  /** Fetches each rendition as go-livepeer's gateway does (insecure GET). */
  async download(url: string): Promise<{ status: number; contentType: string | undefined; data: Uint8Array }> {
    const res = await request(url, { dispatcher: insecure });
    const data = new Uint8Array(await res.body.arrayBuffer());
    const type = res.headers['content-type'];
    return { status: res.statusCode, contentType: Array.isArray(type) ? type[0] : type, data };
  }

  /** sigVerification: the address that signed keccak256(keccak256(r_0) ‖ …), or undefined when the sig cannot be recovered. */
  async renditionSigner(renditions: readonly Uint8Array[], sig: Uint8Array): Promise<Hex | undefined> {
    if (sig.length !== 65 || (sig[64] !== 27 && sig[64] !== 28)) return undefined;
    const digest = keccak256(concat(renditions.map((r) => hexToBytes(keccak256(r)))));
    try {
      return await recoverMessageAddress({ message: { raw: digest }, signature: bytesToHex(sig) });
    } catch {
      return undefined;
    }
  }

  /** The address the gateway verifies renditions against: OrchestratorInfo.address, else the ticket recipient. */
  static expectedSigner(info: GoOrchestratorInfo): Uint8Array {
    const address = info.address.length === 20 ? info.address : ZERO_ADDRESS;
    return address.some((b) => b !== 0) ? address : (info.ticketParams?.recipient ?? ZERO_ADDRESS);
  }

  close(): void {
    this.#client.close();
  }
}
