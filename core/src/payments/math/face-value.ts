import { paymentErrors, refusal } from '../errors.js';
import { Rational } from './rational.js';

/** The orchestrator's knobs for pricing tickets (go-livepeer's TicketParamsConfig). */
export interface TicketEconomics {
  /** Desired EV per ticket, wei (go-livepeer default 8e9). */
  readonly ev: bigint;
  /** Gas a redemption costs (1,200,000 on Arbitrum One, 350,000 on L1). */
  readonly redeemGas: bigint;
  /** faceValue is this many times the redemption tx cost (default 100). */
  readonly txCostMultiplier: bigint;
  /** Operator cap on face value; 0 means none. */
  readonly maxFaceValue: bigint;
}

export const DEFAULT_TICKET_EV = 8_000_000_000n;
export const EV_MULTIPLIER = 100n;
/** go-livepeer's fixed "average" gas price (3 gwei) for the second reserve check. */
export const AVERAGE_GAS_PRICE = 3_000_000_000n;

export function txCost(redeemGas: bigint, gasPrice: bigint): bigint {
  return redeemGas * gasPrice;
}

/**
 * Face value for a sender: 100 × tx cost (or 100 × EV if that is larger), capped by
 * the sender's max float and the operator cap, refused when what is left cannot
 * carry one EV or would not pay for its own redemption at either the current or
 * the average gas price.
 */
export function faceValueFor(economics: TicketEconomics, gasPrice: bigint, maxFloat: bigint): bigint {
  const cost = txCost(economics.redeemGas, gasPrice);
  let faceValue = cost * economics.txCostMultiplier;
  if (faceValue < economics.ev) faceValue = economics.ev * EV_MULTIPLIER;
  if (faceValue > maxFloat) faceValue = maxFloat;
  if (economics.maxFaceValue > 0n && economics.maxFaceValue < faceValue) faceValue = economics.maxFaceValue;
  if (faceValue < economics.ev) {
    throw refusal(paymentErrors.INSUFFICIENT_RESERVE, 'insufficient sender reserve', 'insufficient_reserve', true, {
      faceValue: faceValue.toString(),
      maxFloat: maxFloat.toString(),
    });
  }
  if (faceValue < cost && faceValue < txCost(economics.redeemGas, AVERAGE_GAS_PRICE)) {
    throw refusal(paymentErrors.INSUFFICIENT_RESERVE, 'insufficient sender reserve', 'insufficient_reserve', true, {
      faceValue: faceValue.toString(),
      txCost: cost.toString(),
    });
  }
  return faceValue;
}

/** faceValue / txCost, the divisor of the price auto-adjust overhead; 0 without gas cost. */
export function txCostMultiplierFor(faceValue: bigint, cost: bigint): Rational {
  if (cost <= 0n) return Rational.ZERO;
  return Rational.of(faceValue, cost);
}
