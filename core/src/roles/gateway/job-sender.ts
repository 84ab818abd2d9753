/**
 * Sends one job to one orchestrator over the BYOC wire and pays for it:
 * GET /process/token (fresh ticket params at the capability's price and the
 * credit the orchestrator holds for us), tickets for whatever is missing to
 * the orchestrator's 60-second minimum, then POST /process/request.
 */
import type { Logger } from 'pino';
import type { LocalAccount } from 'viem';
import type { PoolEntry } from '../../gateway/pool/pool-options.js';
import { fetchJobToken, jobSenderFor, postJob, MIN_BALANCE_SECONDS } from '../../network/byoc/index.js';
import { paymentFromBatch, paymentHeader, Rational, ticketEV, TicketSender, fromHex, type PriceInfo, type TicketSigner } from '../../payments/index.js';
import type { ChainPaymentSources } from '../../payments-chain/create-sources.js';

export interface JobSenderOptions {
  readonly account: LocalAccount;
  readonly chain: ChainPaymentSources | undefined;
  readonly requestTimeoutMs: number;
  readonly limits?: { maxEV: bigint; maxTotalEV: bigint };
  readonly logger: Logger;
  /** Counts what was paid, for metrics and the demo summary. */
  readonly onPaid?: (tickets: number, orchestrator: string) => void;
}

export interface SendJob {
  readonly capabilityId: string;
  readonly input: unknown;
  readonly requestId: string;
  readonly signal: AbortSignal;
}

/** BYOC capabilities have bare names on go-livepeer (`echo`); other lpx ids travel whole. */
export function wireCapabilityName(capabilityId: string): string {
  return capabilityId.startsWith('byoc/') ? capabilityId.slice('byoc/'.length) : capabilityId;
}

function accountSigner(account: LocalAccount): TicketSigner {
  return {
    address: fromHex(account.address),
    async signMessage(message) {
      const hex = await account.signMessage({ message: { raw: message } });
      return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
    },
  };
}

function ceilDiv(a: Rational, b: Rational): bigint {
  const q = a.div(b);
  return (q.num + q.den - 1n) / q.den;
}

export function createJobSender(options: JobSenderOptions) {
  const sender = jobSenderFor(options.account);
  const tickets =
    options.chain === undefined
      ? undefined
      : new TicketSender({
          signer: accountSigner(options.account),
          rounds: options.chain.rounds,
          senderInfo: options.chain.senderInfo,
          ...(options.limits !== undefined ? { limits: { maxEV: Rational.of(options.limits.maxEV), maxTotalEV: Rational.of(options.limits.maxTotalEV) } } : {}),
        });

  async function paymentFor(entry: PoolEntry, capability: string, signal: AbortSignal): Promise<string | undefined> {
    if (tickets === undefined) return undefined;
    const token = await fetchJobToken({ serviceUri: entry.uri, capability, sender: await sender, timeoutMs: 2_000, signal });
    const price: PriceInfo | undefined = token.price;
    if (token.ticketParams === undefined || price === undefined || price.pricePerUnit === 0n) return undefined;
    const required = Rational.of(price.pricePerUnit, price.pixelsPerUnit).mulInt(MIN_BALANCE_SECONDS + 1n);
    const missing = required.sub(Rational.of(token.balance));
    if (!missing.gt(Rational.ZERO)) return paymentHeader({ sender: tickets.address, ticketSenderParams: [], expectedPrice: price });
    // Fresh params per token: a new recipientRandHash, so nonces start at 0 and never clash between jobs.
    const session = tickets.startSession(token.ticketParams);
    try {
      const count = ceilDiv(missing, ticketEV(token.ticketParams.faceValue, token.ticketParams.winProb));
      const batch = await tickets.createTicketBatch(session, Number(count));
      options.onPaid?.(Number(count), entry.uri);
      return paymentHeader(paymentFromBatch(batch, price));
    } finally {
      tickets.cleanupSession(session);
    }
  }

  return {
    async send(entry: PoolEntry, job: SendJob): Promise<unknown> {
      const capability = wireCapabilityName(job.capabilityId);
      const payment = await paymentFor(entry, capability, job.signal);
      const response = await postJob({
        serviceUri: entry.uri,
        capability,
        request: JSON.stringify({ capability: job.capabilityId }),
        parameters: '{}',
        body: JSON.stringify(job.input ?? null),
        contentType: 'application/json',
        timeoutMs: options.requestTimeoutMs,
        signer: options.account,
        payment,
        requestId: job.requestId,
        signal: job.signal,
      });
      const text = response.body.toString('utf8');
      const type = String(response.headers['content-type'] ?? '');
      return /json/i.test(type) ? (JSON.parse(text) as unknown) : text;
    },
  };
}
