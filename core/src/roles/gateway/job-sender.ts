/**
 * Sends one job to one orchestrator over the BYOC wire and pays for it:
 * GET /process/token (ticket params at the capability's price and the credit
 * the orchestrator holds for us) when the credit book has nothing usable,
 * tickets for whatever is missing to the orchestrator's 60-second minimum,
 * then POST /process/request. A refusal that says the cached credit or params
 * went stale is retried once with a fresh token.
 *
 * An event-stream answer is read line by line: each line goes to the job's
 * relay when a caller reads it live (route-relay.ts), and every line is
 * collected into the result's `events`. The orchestrator's last balance
 * event sets the credit book, as `Livepeer-Balance` does for a whole answer.
 * The client's reply headers follow go-livepeer's gateway: the
 * orchestrator's `Livepeer-Balance` (for a stream its
 * `Livepeer-Payment-Balance`, the balance before it), `X-Metadata`, and
 * `X-Orchestrator-Url`.
 */
import { errors, isLpxError } from '@lpx/sdk';
import type { Logger } from 'pino';
import type { LocalAccount } from 'viem';
import type { PoolEntry } from '../../gateway/pool/pool-options.js';
import { balanceInLine, fetchJobToken, insecureOrchestratorAgent, jobSenderFor, postJob, MIN_BALANCE_SECONDS, SseEventCollector, type JobResponse, type OrchestratorHttpVersion } from '../../network/byoc/index.js';
import { personalSign } from '../../network/index.js';
import { paymentFromBatch, paymentHeader, Rational, ticketEV, TicketSender, fromHex, type TicketSigner } from '../../payments/index.js';
import type { ChainPaymentSources } from '../../payments-chain/create-sources.js';
import { CreditBook, creditKey, type CreditEntry, type CreditKey } from './credit-book.js';
import type { RouteRelay } from './route-relay.js';
import type { ByocWireRequest } from './route-job.js';
import type { Registry } from 'prom-client';
import { ticketSenderMetrics } from '../../observability/payment-metrics.js';

export interface JobSenderOptions {
  readonly account: LocalAccount;
  readonly chain: ChainPaymentSources | undefined;
  readonly requestTimeoutMs: number;
  readonly limits?: { maxEV: bigint; maxTotalEV: bigint };
  readonly logger: Logger;
  /** Counts what was paid, for metrics and the demo summary. */
  readonly onPaid?: (tickets: number, orchestrator: string) => void;
  /** The node's /metrics registry (ticket value sent). */
  readonly metrics?: Registry;
  /** How jobs and token requests reach orchestrators (`gateway.orchestratorHttpVersion`); default HTTP/2, as go-livepeer. */
  readonly httpVersion?: OrchestratorHttpVersion;
}

export interface SendJob {
  readonly capabilityId: string;
  readonly input: unknown;
  readonly requestId: string;
  readonly signal: AbortSignal;
  /**
   * Charges whoever the job is for (its tenant, ADR 0017) the EV of the tickets
   * about to be made for it, in wei rounded up, before they are made; throwing
   * refuses the payment (over budget). Returns the undo for tickets not made.
   */
  readonly charge?: (wei: bigint) => Promise<() => Promise<void>>;
  /** Where an event-stream answer's lines go as they arrive (a caller reads them live). */
  readonly relay?: RouteRelay;
  /** A go-livepeer BYOC client's request, passed on as it came (`input` is its body, base64). */
  readonly wire?: ByocWireRequest;
}

/** What an orchestrator answered: the output, and the reply headers for the client. */
export interface SentJob {
  readonly output: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

function header(headers: JobResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** go-livepeer's gateway passes these to its client (byoc/job_gateway.go). */
export function clientHeaders(uri: string, headers: JobResponse['headers']): Record<string, string> {
  const out: Record<string, string> = { 'x-orchestrator-url': uri };
  const balance = header(headers, 'livepeer-balance') ?? header(headers, 'livepeer-payment-balance');
  if (balance !== undefined) out['livepeer-balance'] = balance;
  const metadata = header(headers, 'x-metadata');
  if (metadata !== undefined && metadata !== '') out['x-metadata'] = metadata;
  return out;
}

/** BYOC capabilities have bare names on go-livepeer (`echo`); other lpx ids travel whole. */
export function wireCapabilityName(capabilityId: string): string {
  return capabilityId.startsWith('byoc/') ? capabilityId.slice('byoc/'.length) : capabilityId;
}

function accountSigner(account: LocalAccount): TicketSigner {
  return {
    address: fromHex(account.address),
    signMessage: (message) => personalSign(account, message),
  };
}

function ceilDiv(a: Rational, b: Rational): bigint {
  const q = a.div(b);
  return (q.num + q.den - 1n) / q.den;
}

/** A non-negative rational amount of wei, rounded up to a whole wei. */
function ceilWei(amount: Rational): bigint {
  return (amount.num + amount.den - 1n) / amount.den;
}

/** Orchestrator texts that mean our cached token (credit estimate, params, nonces) is out of date. */
const STALE_CREDIT = /insufficient balance|ticketparams expired|invalid ticket sendernonce|invalid recipientrand/i;

function isStaleCredit(error: unknown): boolean {
  if (isLpxError(error) && error.code === errors.orchestrator.JOB_REFUSED.code) {
    return STALE_CREDIT.test(String((error.details as { text?: unknown } | undefined)?.text ?? ''));
  }
  return isLpxError(error) && error.code === errors.payments.TICKET_PARAMS_EXPIRED.code;
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
          ...(options.metrics !== undefined ? { observer: ticketSenderMetrics(options.metrics) } : {}),
        });
  const dispatcher = insecureOrchestratorAgent(options.httpVersion ?? '2');
  const book = new CreditBook((entry) => {
    if (entry.paid !== undefined) tickets?.cleanupSession(entry.paid.session);
  });

  async function freshCredit(key: CreditKey, uri: string, capability: string, signal: AbortSignal): Promise<CreditEntry> {
    const token = await fetchJobToken({ serviceUri: uri, capability, sender: await sender, timeoutMs: 2_000, signal, dispatcher });
    const { ticketParams: params, price } = token;
    const balance = Rational.of(token.balance);
    const paid = tickets !== undefined && params !== undefined && price !== undefined && price.pricePerUnit > 0n;
    // Fresh params: a new recipientRandHash, so this session's nonces start at 0.
    const entry: CreditEntry = paid ? { paid: { params, price, session: tickets.startSession(params) }, balance } : { balance };
    book.set(key, entry);
    return entry;
  }

  /**
   * What one job is expected to be debited: one second at the price, the
   * shortest a job is billed; the orchestrator's answer corrects the rest.
   */
  function jobCost(credit: CreditEntry): Rational {
    const paid = credit.paid;
    return paid === undefined ? Rational.ZERO : Rational.of(paid.price.pricePerUnit, paid.price.pixelsPerUnit);
  }

  /**
   * The Livepeer-Payment header for one job, from cached credit when it
   * suffices, and the credit entry the job holds a reservation on (settled
   * with the answer; see credit-book.ts).
   */
  async function paymentFor(key: CreditKey, uri: string, capability: string, job: SendJob): Promise<{ header: string | undefined; cached: boolean; credit?: CreditEntry }> {
    const { signal } = job;
    if (tickets === undefined) return { header: undefined, cached: false };
    return book.exclusive(key, async () => {
      let credit = book.get(key);
      const cached = credit !== undefined;
      credit ??= await freshCredit(key, uri, capability, signal);
      for (;;) {
        const paid = credit.paid;
        if (paid === undefined) return { header: undefined, cached, credit };
        const unit = jobCost(credit);
        // This job's second plus the orchestrator's minute, over what jobs in flight leave.
        const missing = unit.mulInt(MIN_BALANCE_SECONDS + 1n).sub(book.available(key, credit));
        if (!missing.gt(Rational.ZERO)) {
          book.reserve(key, unit);
          credit.creditOnlyHeader ??= paymentHeader({ sender: tickets.address, ticketSenderParams: [], expectedPrice: paid.price });
          return { header: credit.creditOnlyHeader, cached, credit };
        }
        const ev = ticketEV(paid.params.faceValue, paid.params.winProb);
        const count = ceilDiv(missing, ev);
        // Charged before the tickets exist, so an over-budget tenant never makes the gateway pay.
        const undo = await job.charge?.(ceilWei(ev.mulInt(count)));
        try {
          const batch = await tickets.createTicketBatch(paid.session, Number(count));
          credit.balance = credit.balance.add(ev.mulInt(count));
          book.reserve(key, unit);
          options.onPaid?.(Number(count), uri);
          return { header: paymentHeader(paymentFromBatch(batch, paid.price)), cached, credit };
        } catch (error) {
          await undo?.();
          // Cached params ran out of blocks: ask for new ones and pay with those.
          if (!isStaleCredit(error) || book.get(key) !== credit) throw error;
          book.forget(key);
          credit = await freshCredit(key, uri, capability, signal);
        }
      }
    });
  }

  /** The job was answered: its reservation ends and the orchestrator's figure, if any, is the balance. */
  function settle(key: CreditKey, credit: CreditEntry | undefined, reportedWei: bigint | undefined): void {
    if (credit !== undefined) book.settle(key, credit, jobCost(credit), reportedWei);
  }

  /** An event-stream answer: relayed line by line when someone reads it live, collected either way. */
  async function readStream(key: CreditKey, credit: CreditEntry | undefined, lines: AsyncGenerator<string, void, undefined>, headers: Record<string, string>, relay: RouteRelay | undefined): Promise<SentJob> {
    const events = new SseEventCollector();
    let balance: bigint | undefined;
    let seen = 0;
    let done = false;
    for await (const line of lines) {
      seen++;
      done ||= line.includes('[DONE]');
      events.push(line);
      balance = balanceInLine(line) ?? balance;
      await relay?.line(line, headers);
    }
    // Nothing at all is no answer: another orchestrator may still be asked.
    if (seen === 0) throw errors.orchestrator.JOB_UNREACHABLE.create(`${headers['x-orchestrator-url']} answered an empty event stream`, { details: { retry: 'other-orchestrator' } });
    await relay?.end(headers);
    // No balance event: the estimate cannot be trusted; the next job asks for a token.
    if (balance === undefined) {
      if (credit !== undefined) book.release(key, jobCost(credit));
      book.forget(key);
    } else settle(key, credit, balance);
    // `done`: the stream ended with [DONE]; without it the orchestrator's stream was cut short.
    return { output: { contentType: 'text/event-stream', events: events.finish(), done }, headers };
  }

  async function sendOnce(entry: PoolEntry, job: SendJob, capability: string): Promise<{ value: SentJob } | { stale: unknown }> {
    const key = creditKey(entry.uri, capability);
    const payment = await paymentFor(key, entry.uri, capability, job);
    try {
      const { wire } = job;
      const response = await postJob({
        serviceUri: entry.uri,
        capability,
        ...(wire === undefined
          ? { request: JSON.stringify({ capability: job.capabilityId }), parameters: '{}', body: JSON.stringify(job.input ?? null), contentType: 'application/json', timeoutMs: options.requestTimeoutMs }
          : { subpath: wire.subpath, request: wire.request, parameters: wire.parameters, body: Buffer.from(String(job.input ?? ''), 'base64'), contentType: wire.contentType, timeoutMs: wire.timeoutSeconds * 1000 }),
        signer: options.account,
        payment: payment.header,
        requestId: job.requestId,
        signal: job.signal,
        events: true,
        dispatcher,
      });
      const headers = clientHeaders(entry.uri, response.headers);
      if (response.lines !== undefined) return { value: await readStream(key, payment.credit, response.lines, headers, job.relay) };
      settle(key, payment.credit, response.balance);
      // A go-livepeer client's answer goes back byte for byte, whatever its type.
      if (wire !== undefined) return { value: { output: { contentType: String(response.headers['content-type'] ?? 'application/octet-stream'), body: response.body.toString('base64') }, headers } };
      const text = response.body.toString('utf8');
      const type = String(response.headers['content-type'] ?? '');
      return { value: { output: /json/i.test(type) ? (JSON.parse(text) as unknown) : text, headers } };
    } catch (error) {
      // Whatever went wrong, the estimate can no longer be trusted; a fresh token will say what was debited.
      if (payment.credit !== undefined) book.release(key, jobCost(payment.credit));
      book.forget(key);
      if (payment.cached && isStaleCredit(error)) return { stale: error };
      throw error;
    }
  }

  return {
    async send(entry: PoolEntry, job: SendJob): Promise<SentJob> {
      const capability = wireCapabilityName(job.capabilityId);
      const first = await sendOnce(entry, job, capability);
      if ('value' in first) return first.value;
      options.logger.debug({ orchestrator: entry.uri, capability, err: first.stale }, 'cached credit was stale; retrying with a fresh job token');
      const second = await sendOnce(entry, job, capability);
      if ('value' in second) return second.value;
      throw second.stale;
    },
    /** Cached orchestrator credits (for tests and metrics). */
    get cachedCredits(): number {
      return book.size;
    },
    close(): void {
      book.clear();
    },
  };
}
