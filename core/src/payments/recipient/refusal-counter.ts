/**
 * The minimal counter the kernel plugs prom-client into. `reason` values are a
 * small fixed set (REFUSAL_REASONS) so the metric stays low-cardinality;
 * `refusalLabel` folds anything else into `other` before it becomes a label.
 */
export interface RefusalCounter {
  inc(labels: { reason: string }): void;
}

export const REFUSAL_REASONS = [
  'malformed_payment',
  'missing_sender',
  'missing_expiration_params',
  'invalid_price',
  'zero_price',
  'orchestrator_inactive',
  'sender_unlocking',
  'chain_state_unavailable',
  'wrong_recipient',
  'zero_sender',
  'recipient_rand_mismatch',
  'signature_length',
  'signature_high_s',
  'signature_v',
  'signature_mismatch',
  'nonce_replayed',
  'too_many_nonces',
  'params_expired',
  'insufficient_reserve',
  'insufficient_balance',
  'other',
] as const;

export type RefusalReason = (typeof REFUSAL_REASONS)[number];

const KNOWN = new Set<string>(REFUSAL_REASONS);

/** The metric label for a refusal reason: itself when known, else `other`. */
export function refusalLabel(reason: string): RefusalReason {
  return KNOWN.has(reason) ? (reason as RefusalReason) : 'other';
}

export const noRefusalCounter: RefusalCounter = { inc() {} };
