/**
 * The minimal counter the kernel plugs prom-client into. `reason` values are a
 * small fixed set (see RefusalReason) so the metric stays low-cardinality.
 */
export interface RefusalCounter {
  inc(labels: { reason: string }): void;
}

export type RefusalReason =
  | 'malformed_payment'
  | 'missing_sender'
  | 'missing_expiration_params'
  | 'invalid_price'
  | 'zero_price'
  | 'orchestrator_inactive'
  | 'sender_unlocking'
  | 'chain_state_unavailable'
  | 'wrong_recipient'
  | 'zero_sender'
  | 'recipient_rand_mismatch'
  | 'signature_length'
  | 'signature_high_s'
  | 'signature_v'
  | 'signature_mismatch'
  | 'nonce_replayed'
  | 'too_many_nonces'
  | 'params_expired'
  | 'insufficient_reserve'
  | 'insufficient_balance';

export const noRefusalCounter: RefusalCounter = { inc() {} };
