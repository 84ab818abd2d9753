/**
 * Sends one job to one orchestrator over the BYOC wire and pays for it:
 * GET /process/token (ticket params at the capability's price and the credit
 * the orchestrator holds for us) when the credit book has nothing usable,
 * tickets for whatever is missing to the orchestrator's 60-second minimum,
 * then POST /process/request. A refusal that says the cached credit or params
 * went stale is retried once with a fresh token.
 */
import { errors, isLpxError } from '@lpx/sdk';
import type { Logger } from 'pino';
import type { LocalAccount } from 'viem';
import type { PoolEntry } from '../../gateway/pool/pool-options.js';
import { fetchJobToken, jobSenderFor, postJob, MIN_BALANCE_SECONDS } from '../../network/byoc/index.js';
import { personalSign } from '../../network/index.js';
import { paymentFromBatch, paymentHeader, Rational, ticketEV, TicketSender, fromHex, type TicketSigner } from '../../payments/index.js';
import type { ChainPaymentSources } from '../../payments-chain/create-sources.js';
import { CreditBook, creditKey, type CreditEntry, type CreditKey } from './credit-book.js';

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
  /**
   * Charges whoever the job is for (its tenant, ADR 0017) the EV of the tickets
   * about to be made for it, in wei rounded up, before they are made; throwing
   * refuses the payment (over budget). Returns the undo for tickets not made.
   */
  readonly charge?: (wei: bigint) => Promise<() => Promise<void>>;
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
        });
  const book = new CreditBook((entry) => {
    if (entry.paid !== undefined) tickets?.cleanupSession(entry.paid.session);
  });

  async function freshCredit(key: CreditKey, uri: string, capability: string, signal: AbortSignal): Promise<CreditEntry> {
    const token = await fetchJobToken({ serviceUri: uri, capability, sender: await sender, timeoutMs: 2_000, signal });
    const { ticketParams: params, price } = token;
    const balance = Rational.of(token.balance);
    const paid = tickets !== undefined && params !== undefined && price !== undefined && price.pricePerUnit > 0n;
    // Fresh params: a new recipientRandHash, so this session's nonces start at 0.
    const entry: CreditEntry = paid ? { paid: { params, price, session: tickets.startSession(params) }, balance } : { balance };
    book.set(key, entry);
    return entry;
  }

  /** The Livepeer-Payment header for one job, from cached credit when it suffices. */
  async function paymentFor(key: CreditKey, uri: string, capability: string, job: SendJob): Promise<{ header: string | undefined; cached: boolean }> {
    const { signal } = job;
    if (tickets === undefined) return { header: undefined, cached: false };
    return book.exclusive(key, async () => {
      let credit = book.get(key);
      const cached = credit !== undefined;
      credit ??= await freshCredit(key, uri, capability, signal);
      for (;;) {
        const paid = credit.paid;
        if (paid === undefined) return { header: undefined, cached };
        const unit = Rational.of(paid.price.pricePerUnit, paid.price.pixelsPerUnit);
        const missing = unit.mulInt(MIN_BALANCE_SECONDS + 1n).sub(credit.balance);
        if (!missing.gt(Rational.ZERO)) {
          // The shortest job bills one second; the orchestrator's answer corrects the rest.
          credit.balance = credit.balance.sub(unit);
          return { header: paymentHeader({ sender: tickets.address, ticketSenderParams: [], expectedPrice: paid.price }), cached };
        }
        const ev = ticketEV(paid.params.faceValue, paid.params.winProb);
        const count = ceilDiv(missing, ev);
        // Charged before the tickets exist, so an over-budget tenant never makes the gateway pay.
        const undo = await job.charge?.(ceilWei(ev.mulInt(count)));
        try {
          const batch = await tickets.createTicketBatch(paid.session, Number(count));
          credit.balance = credit.balance.add(ev.mulInt(count)).sub(unit);
          options.onPaid?.(Number(count), uri);
          return { header: paymentHeader(paymentFromBatch(batch, paid.price)), cached };
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

  async function sendOnce(entry: PoolEntry, job: SendJob, capability: string): Promise<{ value: unknown } | { stale: unknown }> {
    const key = creditKey(entry.uri, capability);
    const payment = await paymentFor(key, entry.uri, capability, job);
    try {
      const response = await postJob({
        serviceUri: entry.uri,
        capability,
        request: JSON.stringify({ capability: job.capabilityId }),
        parameters: '{}',
        body: JSON.stringify(job.input ?? null),
        contentType: 'application/json',
        timeoutMs: options.requestTimeoutMs,
        signer: options.account,
        payment: payment.header,
        requestId: job.requestId,
        signal: job.signal,
      });
      book.observe(key, response.balance);
      const text = response.body.toString('utf8');
      const type = String(response.headers['content-type'] ?? '');
      return { value: /json/i.test(type) ? (JSON.parse(text) as unknown) : text };
    } catch (error) {
      // Whatever went wrong, the estimate can no longer be trusted.
      book.forget(key);
      if (payment.cached && isStaleCredit(error)) return { stale: error };
      throw error;
    }
  }

  return {
    async send(entry: PoolEntry, job: SendJob): Promise<unknown> {
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
