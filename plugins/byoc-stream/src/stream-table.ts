/**
 * The streams this node runs, and what keeps each one honest while it runs
 * (go-livepeer's monitorOrchStream): every interval the sender is debited 23
 * units at the stream's price; the first tick that leaves the balance
 * negative is a warning, the next one stops the stream (a replenished balance
 * clears nothing: go-livepeer stops at the next negative tick after one
 * warning). A stream whose control channel is gone (closed by the gateway,
 * swept idle) is stopped too. Stopping is idempotent and always does the same
 * three things: tells the app (`/stream/stop`), removes the channels, gives
 * the capacity unit back.
 */
import type { CapabilitiesService, CapacityReservation, LoggerService, TrickleService, WirePayments, WirePrice } from '@lpx/sdk';
import { callApp, type AppTarget } from './app-calls.js';
import { negative, parseBalance, priced } from './money.js';

/** go-livepeer debits int64(23 s) = 23 units per tick. */
export const DEBIT_UNITS = 23n;
/** go-livepeer's tick: a little faster than the gateway's 50 s payments, so the balance it reads back is fresh. */
export const DEBIT_INTERVAL_MS = 23_000;

export interface StreamRecord {
  /** JobRequest.id of the start: the stream id the gateway uses in `{"stream_id":…}`. */
  readonly id: string;
  readonly capability: string;
  /** EIP-55 address of the sender that started it: only it may update or stop it. */
  readonly sender: string;
  readonly target: AppTarget;
  /** The start's timeout_seconds × 1000: the deadline of calls the node makes on its own (stop on debit). */
  readonly timeoutMs: number;
  /** Undefined or zero: free (offchain node, free app), never debited. */
  readonly price: WirePrice | undefined;
  readonly channels: readonly string[];
  readonly controlChannel: string;
  readonly reservation: CapacityReservation;
  readonly startedAt: number;
}

export interface StreamTableDeps {
  readonly capabilities: CapabilitiesService;
  readonly trickle: TrickleService;
  readonly payments: WirePayments;
  readonly logger: LoggerService;
  readonly debitIntervalMs: number;
}

interface Live {
  readonly record: StreamRecord;
  warned: boolean;
  timer: NodeJS.Timeout | undefined;
}

export class StreamTable {
  readonly #streams = new Map<string, Live>();
  /** Ids whose start is under way: a second start with the same id is refused, not raced. */
  readonly #starting = new Set<string>();
  readonly #deps: StreamTableDeps;

  constructor(deps: StreamTableDeps) {
    this.#deps = deps;
  }

  get(id: string): StreamRecord | undefined {
    return this.#streams.get(id)?.record;
  }

  list(): readonly StreamRecord[] {
    return [...this.#streams.values()].map((live) => live.record);
  }

  /** Holds `id` for a start under way; false when a stream with it runs or is starting. */
  claim(id: string): boolean {
    if (this.#streams.has(id) || this.#starting.has(id)) return false;
    this.#starting.add(id);
    return true;
  }

  /** Lets go of a claim whose start failed (a no-op once the stream was added). */
  unclaim(id: string): void {
    this.#starting.delete(id);
  }

  /** Starts watching a stream whose app accepted `/stream/start`. */
  add(record: StreamRecord): void {
    this.#starting.delete(record.id);
    const live: Live = { record, warned: false, timer: undefined };
    this.#streams.set(record.id, live);
    this.#schedule(live);
  }

  /** Takes the stream out of the table (no more debits); undefined when it is not there (already stopped). */
  take(id: string): StreamRecord | undefined {
    const live = this.#streams.get(id);
    if (live === undefined) return undefined;
    this.#streams.delete(id);
    clearTimeout(live.timer);
    return live.record;
  }

  /** Removes a taken stream's channels and gives its capacity back; never throws. */
  async release(record: StreamRecord): Promise<void> {
    const { capabilities, trickle, logger } = this.#deps;
    try {
      capabilities.release(record.reservation);
    } catch (error) {
      // The capability itself went away (app removed): its ledger went with it.
      logger.debug({ err: error, stream: record.id }, 'stream capacity already gone');
    }
    await Promise.all(
      record.channels.map((name) =>
        trickle.remove(name).catch((error: unknown) => logger.warn({ err: error, stream: record.id, channel: name }, 'could not remove a stream channel')),
      ),
    );
  }

  /** Stops a stream on the node's own initiative: tells the app (best effort), then releases. Idempotent. */
  async stop(id: string, why: string, timeoutMs?: number): Promise<boolean> {
    const record = this.take(id);
    if (record === undefined) return false;
    this.#deps.logger.info({ stream: id, capability: record.capability, sender: record.sender }, `BYOC stream stopped: ${why}`);
    try {
      const answer = await callApp(record.target, '/stream/stop', { streamId: id, body: why, contentType: 'text/plain; charset=utf-8', timeoutMs: timeoutMs ?? record.timeoutMs });
      if (answer.status > 399) this.#deps.logger.warn({ stream: id, status: answer.status }, 'the app refused /stream/stop');
    } catch (error) {
      this.#deps.logger.warn({ err: error, stream: id }, 'the app could not be told to stop');
    }
    await this.release(record);
    return true;
  }

  async stopAll(why: string, timeoutMs: number): Promise<void> {
    await Promise.all([...this.#streams.keys()].map((id) => this.stop(id, why, timeoutMs)));
  }

  #schedule(live: Live): void {
    live.timer = setTimeout(() => void this.#tick(live), this.#deps.debitIntervalMs);
    live.timer.unref();
  }

  async #tick(live: Live): Promise<void> {
    const { record } = live;
    const { payments, trickle, logger } = this.#deps;
    const current = (): boolean => this.#streams.get(record.id) === live;
    try {
      if (payments.enabled && priced(record.price)) {
        const balance = parseBalance(await payments.debit({ sender: record.sender, manifestId: record.capability, units: DEBIT_UNITS, price: record.price }));
        if (!current()) return;
        if (negative(balance)) {
          if (live.warned) {
            await this.stop(record.id, 'insufficient balance');
            return;
          }
          live.warned = true;
          logger.warn({ stream: record.id, sender: record.sender, capability: record.capability }, 'BYOC stream balance is negative: it stops at the next debit unless the sender pays');
          this.#schedule(live);
          return;
        }
      }
      if (!trickle.exists(record.controlChannel)) {
        await this.stop(record.id, 'its control channel is gone');
        return;
      }
    } catch (error) {
      logger.error({ err: error, stream: record.id }, 'BYOC stream debit failed; trying again next interval');
    }
    if (current()) this.#schedule(live);
  }
}
