/**
 * A BYOC job whose worker answered `text/event-stream` (go-livepeer
 * byoc/job_orchestrator.go, the SSE branch): the worker's lines go to the
 * gateway as they arrive, each followed by a line end, under
 * `Livepeer-Payment-Balance`. Every interval (go-livepeer: 5 s) the sender
 * is debited 5 units × price; when the balance goes negative the gateway gets
 * `event: insufficient balance`, `data: {"balance": 0}`, `data: [DONE]` and
 * the relay stops. A worker line containing `[DONE]` (or the stream's end) is
 * preceded by `data: {"balance": <balance, 3 decimals>}` and ends the relay.
 *
 * On the job's timeout the gateway gets the balance event and `[DONE]`
 * before the answer ends, as go-livepeer's relay sends them when its
 * deadline passes; a worker stream that breaks, or a gateway that leaves,
 * just ends it (no `[DONE]`: the gateway can tell a cut stream).
 *
 * lpx additionally debits, at every end but the insufficient-balance one,
 * the seconds the ticks did not cover (ceil(elapsed) − 5 × ticks), so a
 * stream costs the seconds the gateway received, like the same job
 * answered whole — go-livepeer charges only whole ticks (docs/adr/0049).
 */
import type { FastifyReply } from 'fastify';
import { Rational } from '../../payments/index.js';
import type { Address } from '../../payments/index.js';
import type { JobPayments } from './byoc-types.js';
import type { JobOutcome } from './job-dedupe.js';
import { balanceHeader, billedSeconds } from './job-payment-gate.js';

export const PAYMENT_BALANCE_HEADER = 'Livepeer-Payment-Balance';
export const STREAM_DEBIT_UNITS = 5n;
export const STREAM_DEBIT_INTERVAL_MS = 5_000;

export interface StreamRelayInput {
  readonly reply: FastifyReply;
  readonly lines: AsyncIterable<string>;
  readonly payments: JobPayments | undefined;
  readonly sender: Address;
  readonly capability: string;
  readonly price: Rational;
  readonly intervalMs: number;
  readonly now: () => number;
  readonly start: number;
  /** Aborted on the job's timeout or when the gateway goes away. */
  readonly signal: AbortSignal;
  /** Whether the abort was the job's timeout (then the gateway gets the balance and `[DONE]`). */
  readonly timedOut: () => boolean;
}

/** What the relay ended with: `outcome` (everything written) when the stream ran to its end, for a retry of the same job. */
export interface StreamRelayResult {
  readonly outcome?: JobOutcome;
}

async function balance(payments: JobPayments | undefined, sender: Address, capability: string): Promise<Rational> {
  return (await payments?.processor.balance(sender, capability)) ?? Rational.ZERO;
}

export async function relayStream(input: StreamRelayInput): Promise<StreamRelayResult> {
  const { reply, payments, sender, capability, price } = input;
  const raw = reply.hijack().raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    [PAYMENT_BALANCE_HEADER]: await balanceHeader(payments, sender, capability),
  });
  raw.flushHeaders();
  const written: Buffer[] = [];
  const write = (text: string): void => {
    const chunk = Buffer.from(text, 'utf8');
    written.push(chunk);
    raw.write(chunk);
  };
  const charging = payments !== undefined && price.sign() > 0;
  const iterator = input.lines[Symbol.asyncIterator]();
  let ticks = 0n;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<{ kind: 'aborted' }>((resolve) => {
    onAbort = () => resolve({ kind: 'aborted' });
    if (input.signal.aborted) onAbort();
    else input.signal.addEventListener('abort', onAbort, { once: true });
  });
  const nextTick = (): Promise<{ kind: 'tick' }> =>
    new Promise((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'tick' }), input.intervalMs);
    });
  let tick = nextTick();
  const read = () =>
    iterator.next().then(
      (result) => ({ kind: 'line' as const, result }),
      () => ({ kind: 'failed' as const }),
    );
  let next = read();
  let finished = false;
  /** The seconds the ticks did not cover, debited once at the end. */
  const chargeRest = async (): Promise<void> => {
    if (!charging) return;
    const rest = billedSeconds(input.now() - input.start) - ticks * STREAM_DEBIT_UNITS;
    if (rest > 0n) await payments.processor.debit(sender, capability, rest, price);
  };
  const balanceEvent = async (): Promise<string> => `data: {"balance": ${(await balance(payments, sender, capability)).toFixed(3)}}\n\n`;
  try {
    for (;;) {
      // A failed debit or balance read rejects here; runJob answers nothing more (the headers are out) and releases.
      const event = await Promise.race([next, tick, aborted]);
      if (event.kind === 'aborted' || event.kind === 'failed') {
        // What went out was work received: its seconds are charged whichever way the stream ended.
        await chargeRest();
        // go-livepeer's deadline branch: the balance, then [DONE]. A gateway that left gets nothing; a broken worker stream just ends.
        if (event.kind === 'aborted' && input.timedOut()) write(`${await balanceEvent()}data: [DONE]\n\n`);
        return {};
      }
      if (event.kind === 'tick') {
        if (charging) {
          await payments.processor.debit(sender, capability, STREAM_DEBIT_UNITS, price);
          ticks++;
          if ((await balance(payments, sender, capability)).sign() < 0) {
            write('event: insufficient balance\ndata: {"balance": 0}\n\ndata: [DONE]\n\n');
            return {};
          }
        }
        tick = nextTick();
        continue;
      }
      const { result } = event;
      const done = result.done === true || result.value.includes('[DONE]');
      if (done) {
        finished = result.done === true;
        await chargeRest();
        write(await balanceEvent());
        write(result.done === true ? 'data: [DONE]\n\n' : `${result.value}\n`);
        return { outcome: { status: 200, contentType: 'text/event-stream', body: Buffer.concat(written) } };
      }
      write(`${result.value}\n`);
      next = read();
    }
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) input.signal.removeEventListener('abort', onAbort);
    // Stop reading the worker's stream (queued behind a pending read: never awaited here).
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
    raw.end();
  }
}
