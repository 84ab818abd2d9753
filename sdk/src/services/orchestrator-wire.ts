import type { FastifyPluginAsync, RouteOptions } from 'fastify';
import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';

/**
 * The orchestrator's public port (go-livepeer's -serviceAddr: one TLS port
 * for gRPC and HTTP) as plugins see it. Plugins that serve go-livepeer's
 * worker protocols (remote transcoders' `net.Transcoder` and
 * `/transcodeResults`, remote AI workers...) mount them here, at the paths
 * go-livepeer uses, instead of under `/plugins/<id>` on the HTTP edge.
 *
 * Calls made during init are recorded and applied when the orchestrator
 * role opens its door; on a node without the orchestrator role they are
 * kept and never mounted (`enabled` says which).
 */
/** A price on the wire: pricePerUnit wei per pixelsPerUnit units (go-livepeer's PriceInfo), exact integers. */
export interface WirePrice {
  readonly pricePerUnit: bigint;
  readonly pixelsPerUnit: bigint;
}

/** go-livepeer's 402 payment challenge body parts (Live Runner, BYOC streams). */
export interface WirePaymentChallenge {
  /** base64 of a protobuf OrchestratorInfo: ticket params for the sender at the price, and a new auth token whose session id is the manifest id. */
  readonly paymentParams: string;
  /** The service URI (OrchestratorInfo.transcoder). */
  readonly orchestrator: string;
  /** The fresh manifest id = auth token session id; payments for the session must carry it. */
  readonly manifestId: string;
}

/** What the kernel verified before crediting: a caller's `verify` may still refuse here, and then nothing is credited. */
export interface WirePaymentCheck {
  readonly sender: string;
  readonly manifestId: string;
  readonly authSessionId: string;
  readonly expectedPrice?: WirePrice;
}

/** A payment the kernel verified and credited. */
export interface WirePaymentReceipt {
  /** 0x address (EIP-55) that signed the tickets; the zero address for an empty payment on an offchain node. */
  readonly sender: string;
  /** Livepeer-Segment's manifest id: the balance the payment was credited to. */
  readonly manifestId: string;
  /** The auth token's session id inside the segment credentials. */
  readonly authSessionId: string;
  /** The price the gateway expected (Payment.expected_price), when it sent one. */
  readonly expectedPrice?: WirePrice;
  /** Expected value credited by this payment, wei as `"num/den"` or `"num"`. */
  readonly credited: string;
  /** A protobuf PaymentResult{info} for the reply (fresh ticket params, the gateway's auth token). */
  paymentResult(): Promise<Uint8Array>;
}

/**
 * Money on the orchestrator's wire for plugins that serve paid protocols the
 * kernel does not (Live Runner sessions, BYOC streams). Same checks and the
 * same credit store as `/payment`; amounts are exact.
 */
export interface WirePayments {
  /** False on an offchain node: challenges are not issued, every payment is accepted as free. */
  readonly enabled: boolean;
  /** Fresh payment params for a sender at a price (go-livepeer's runner challenge). */
  challenge(input: { readonly sender: string; readonly price: WirePrice }): Promise<WirePaymentChallenge>;
  /**
   * Checks `Livepeer-Payment` and `Livepeer-Segment` in go-livepeer's order and
   * credits the payment. Rejects with an LpxError whose `status` is 402
   * (payment unreadable), 403 (credentials refused) or 400 (payment refused);
   * nothing is credited then.
   */
  accept(
    headers: { readonly payment?: string; readonly segment?: string },
    options?: {
      /**
       * Called once the credentials passed, before the payment is processed
       * (go-livepeer checks the manifest, a fixed price and runner capacity
       * there): a throw refuses the payment, nothing is credited, and the
       * thrown LpxError is what accept rejects with.
       */
      readonly verify?: (check: WirePaymentCheck) => void | Promise<void>;
    },
  ): Promise<WirePaymentReceipt>;
  /** Debits units × price under (sender, manifestId); resolves with the new balance (may be negative: the session ran out). */
  debit(input: { readonly sender: string; readonly manifestId: string; readonly units: bigint; readonly price: WirePrice }): Promise<string>;
  balance(input: { readonly sender: string; readonly manifestId: string }): Promise<string | undefined>;
}

/**
 * A BYOC `Livepeer` JobRequest header the kernel decoded and verified: the
 * same checks `/process/request` runs (docs/adr/0047-byoc-streams-on-the-orchestrator.md).
 */
export interface VerifiedByocJob {
  /** JobRequest.id as the gateway sent it (a BYOC stream's id). */
  readonly id: string;
  /** A JSON object as a string (go-livepeer's JobRequestDetails, e.g. `{"stream_id":"…"}`). */
  readonly request: string;
  /** A JSON string (JobParameters: orchestrator filters, `enable_video_ingress`, ...); may be empty. */
  readonly parameters: string;
  /** The capability name (a BYOC app name, `byoc/<name>` in the registry). */
  readonly capability: string;
  /** EIP-55 `0x` address whose signature over request ‖ parameters was verified. */
  readonly sender: string;
  /** JobRequest.timeout_seconds, always > 0. */
  readonly timeoutSeconds: number;
}

/**
 * go-livepeer's BYOC job wire for plugins that serve BYOC routes the kernel
 * does not (`/ai/stream/*`). Money is keyed as the kernel's `/process/*`
 * keys it — balance (sender, capability name) — so `payments.debit/balance`
 * with `manifestId` = the capability name read and move the same credit.
 */
export interface ByocJobWire {
  /**
   * Decodes and verifies a `Livepeer` header with the kernel's verifier
   * (timeout, signature over request ‖ parameters, a capability name, request
   * a JSON object). Throws an LpxError with status 400
   * (`errors.orchestrator.JOB_REQUEST_*`); the message reads like go-livepeer's.
   */
  verify(header: string | undefined): VerifiedByocJob;
  /**
   * The price per unit (one unit = one second) `/process/token` quotes this
   * sender for the capability; undefined when the capability is unknown or free,
   * and always undefined on an offchain node (everything is free there).
   */
  priceFor(capability: string, sender: string): WirePrice | undefined;
  /**
   * Credits a `Livepeer-Payment` header to (sender, capability) as
   * `/process/request` does; an absent or empty header credits nothing.
   * Rejects, crediting nothing, with an LpxError: 402
   * (`errors.payments.MALFORMED_HEADER`: unreadable), 400 (its sender is not
   * `sender`, or the tickets were refused). A no-op on an offchain node.
   */
  pay(input: { readonly sender: string; readonly capability: string; readonly payment: string | undefined }): Promise<void>;
}

/**
 * One batch AI request run on this orchestrator's AI workers by a plugin that
 * took the payment itself (the ai-live-runner bridge, ADR 0050): the same
 * body decoding, pipeline checks, model capacity and dispatch as the front
 * door's `POST /<pipeline>`, without the ticket checks.
 */
export interface WireAIRequest {
  readonly pipeline: string;
  /** The request's Content-Type (JSON or multipart/form-data, as the pipeline takes it). */
  readonly contentType: string;
  readonly body: Uint8Array;
  /** The model the caller is bound to: a body naming none gets it, one naming another is refused (REQUEST_INVALID). */
  readonly modelId: string;
  /** Billing units one call may use (what a fixed price paid for); more: errors.ai.UNITS_NOT_COVERED before any work. */
  readonly maxUnits?: bigint;
  /** Aborted when the caller goes away: the work is cancelled. */
  readonly signal: AbortSignal;
}

/** The result, media inline as data URLs (the ai-runner API's own shape), or an LLM stream's events. */
export type WireAIReply =
  | { readonly kind: 'json'; readonly json: unknown; readonly units: bigint }
  | { readonly kind: 'stream'; readonly events: AsyncIterable<Readonly<Record<string, unknown>>>; readonly units: bigint };

export interface OrchestratorWireService {
  /**
   * Runs a batch AI request (WireAIRequest). Rejects with a coded AI error whose
   * status says whose fault it was: 4xx the request's (REQUEST_INVALID,
   * LIMIT_EXCEEDED, MODEL_UNKNOWN, UNITS_NOT_COVERED), 503 no capacity, 5xx the
   * runner's; PIPELINE_UNKNOWN when this node serves no such pipeline.
   */
  serveAI(request: WireAIRequest): Promise<WireAIReply>;
  /** Payments for plugin-served paid routes. */
  readonly payments: WirePayments;
  /** The BYOC job wire's header check, price and payment step (for `/ai/stream/*`). */
  readonly byocJobs: ByocJobWire;
  /** The base URL runners and workers reach this node at (`orchestrator.runnerAddr`, else the service URI). */
  internalUri(): string | undefined;
  /** The node runs the orchestrator role. */
  readonly enabled: boolean;
  /** An HTTP route at the root of the front door. Paths the kernel serves (`/segment`, `/payment`, `/process/*`) are refused. */
  route(options: RouteOptions): void;
  /** A fastify plugin in its own encapsulated context at the root of the front door. */
  register(plugin: FastifyPluginAsync): void;
  /** A gRPC service on the front door's gRPC server (next to `net.Orchestrator`). */
  addGrpcService(definition: ServiceDefinition, implementation: UntypedServiceImplementation): void;
  /** Whether `orchestrator.secret` is set: remote workers can only register when it is. */
  readonly secretConfigured: boolean;
  /** Constant-time check of a secret a remote worker presented; false when no secret is configured. */
  secretMatches(candidate: string | undefined): boolean;
  /** `https://host:port` once the door listens; undefined before and on nodes without the role. */
  serviceUri(): string | undefined;
  /** The node account's address (0x…), once the role has opened it. */
  address(): string | undefined;
}
