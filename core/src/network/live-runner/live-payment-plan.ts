/**
 * How much a Live Runner session costs, exactly (bigint): go-livepeer prices
 * a runner in wei per unit, its orchestrator debits `units` at that price
 * every payment interval (LivePaymentProcessor: 1 unit per second for
 * `seconds`, 1280 × 720 × 30 for `720p-pixel-seconds`), and a `fixed` price
 * is one unit, paid once at reservation.
 *
 * The cadence (ADR 0043): prepay `aheadSeconds` at reservation, then every
 * `intervalMs` top the credit up so it again covers `aheadSeconds` beyond
 * the time used. Defaults: pay every 3 s against go-livepeer's 5 s debit
 * interval (`-livePaymentInterval`), as the Python livepeer-gateway does, and
 * stay 10 s (two debit intervals) ahead so one late or lost payment never
 * lets the orchestrator's balance run dry.
 */
import type { LiveRunnerPriceUnit } from '@lpx/sdk';
import { PIXELS_720P_PER_SECOND } from '@lpx/sdk/wire-kit';

export { PIXELS_720P_PER_SECOND };

export const LIVE_PAYMENT_DEFAULTS = Object.freeze({ intervalMs: 3_000, aheadSeconds: 10 });

/** Units one second of a session costs; a fixed price has no time component. */
export function unitsPerSecond(unit: Exclude<LiveRunnerPriceUnit, 'fixed'>): bigint {
  return unit === 'seconds' ? 1n : PIXELS_720P_PER_SECOND;
}

/** Units used after `elapsedMs`, rounded up: the mirror never believes the orchestrator debited less than it did. */
export function unitsForElapsed(unit: Exclude<LiveRunnerPriceUnit, 'fixed'>, elapsedMs: number): bigint {
  const ms = BigInt(Math.max(0, Math.ceil(elapsedMs)));
  return (ms * unitsPerSecond(unit) + 999n) / 1000n;
}

/** Units a payment must keep on account: one for fixed, `aheadSeconds` worth otherwise. */
export function unitsAhead(unit: LiveRunnerPriceUnit, aheadSeconds: number): bigint {
  return unit === 'fixed' ? 1n : BigInt(aheadSeconds) * unitsPerSecond(unit);
}

/** The fee of `units` at `price` wei per unit. */
export function liveFee(price: bigint, units: bigint): bigint {
  return price * units;
}
