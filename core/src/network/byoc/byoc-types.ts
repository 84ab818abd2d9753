/**
 * What the BYOC orchestrator routes need from the node, as interfaces so the
 * composition root wires real objects (payments, capability registry, BullMQ)
 * and tests wire small ones.
 */
import type { Address, PaymentProcessor, PriceInfo, SignatureVerifier } from '../../payments/index.js';
import type { TicketParamsIssuer } from '../info/orchestrator-info-builder.js';
import type { JobDedupe, JobDedupeOptions } from './job-dedupe.js';

/** The PaymentProcessor methods the routes use; the real one fits as is. */
export type JobPaymentProcessor = Pick<PaymentProcessor, 'processPayment' | 'balance' | 'debit' | 'countRefusal'>;

export interface JobPayments {
  readonly processor: JobPaymentProcessor;
  /** Issues ticket params for /process/token; the payments Recipient fits as is. */
  readonly recipient: TicketParamsIssuer;
}

export interface JobDispatchInput {
  readonly capability: string;
  /**
   * Stable per (sender, JobRequest.id), safe as a BullMQ custom job id (no ':'):
   * the dispatch submits with it as `jobId`, so a retry that reaches another
   * process (or this one after its in-memory dedupe forgot) joins the existing
   * job instead of running the work again. Random when the request has no id.
   */
  readonly requestId: string;
  /** JobRequest.id as the gateway sent it (for logs and the worker). */
  readonly jobRequestId: string;
  /** The path after `/process/request/` (go-livepeer appends it to the worker URL). */
  readonly subpath: string;
  readonly request: string;
  readonly parameters: string;
  readonly body: Buffer;
  readonly contentType: string;
  /** JobRequest.timeout_seconds × 1000; the signal aborts when it passes. */
  readonly timeoutMs: number;
  /** EIP-55 `0x` address of the verified sender. */
  readonly sender: string;
  /** Aborted on timeout or when the gateway goes away. */
  readonly signal: AbortSignal;
}

export interface JobDispatchResult {
  /** The worker's status (default 200). A resolved dispatch counts as work done and is charged. */
  readonly status?: number;
  readonly contentType: string;
  readonly body: Buffer | string;
  /**
   * The worker answered `text/event-stream`: its lines (no line ends) as they
   * come; `body` is empty. Ending the iteration early (return()) stops reading.
   */
  readonly lines?: AsyncIterable<string>;
}

export interface JobRoutesDeps<R = unknown> {
  /** Absent: offchain node, every job is free and no payment header is read. */
  readonly payments?: JobPayments;
  /**
   * Wei per unit, one unit = one second of work (go-livepeer BYOC). Undefined
   * or zero means free, as a capability registered without a price is upstream.
   */
  priceFor(capability: string, sender: Address): PriceInfo | undefined;
  /**
   * Checks the request before dedupe, capacity and payment (a run-time
   * capability's input check); throws an LpxError whose status is the reply's.
   * Absent: every request passes.
   */
  validate?(capability: string, request: { readonly subpath: string; readonly contentType: string; readonly body: Buffer }): void | Promise<void>;
  /** Reserves one unit of capacity; undefined when none is free (or the capability is unknown). */
  admit(capability: string): R | undefined;
  release(reservation: R): void;
  /** Free units, for the token's available_capacity. */
  availableCapacity(capability: string): number;
  /** Rejects when the work was not done; nothing is debited then. */
  dispatch(input: JobDispatchInput): Promise<JobDispatchResult>;
  /** This node's service URI, `https://host:port`. */
  serviceAddr(): string;
  /** Milliseconds; elapsed work time is measured with it. */
  now(): number;
  /** An instance to share or inspect, or options for a private one. */
  readonly dedupe?: JobDedupe | JobDedupeOptions;
  readonly maxJobRequestHeaderBytes?: number;
  /** Request body limit for /process/request (default: the app's). */
  readonly bodyLimit?: number;
  readonly verifier?: SignatureVerifier;
  /** How often a streamed (SSE) answer is debited 5 units, go-livepeer's 5 s (tests shorten it). */
  readonly streamDebitIntervalMs?: number;
}
