/** How a warm runner whose start failed is tried again. */
export interface WarmRetryPolicy {
  /** Wait after the first failure; doubles at each further failure. */
  readonly initialMs: number;
  /** The wait stops growing here: a model stays warm-pending at most this long after its cause is fixed. */
  readonly maxMs: number;
}

/**
 * Wait before attempt `failed + 1` after `failed` consecutive failures:
 * initialMs, 2×, 4×… capped at maxMs. No jitter: warm starts already go
 * through a concurrency bound, so retries that fall due together still
 * start a few at a time.
 */
export function warmRetryDelayMs(failed: number, policy: WarmRetryPolicy): number {
  if (failed < 1) return 0;
  // 2^30 × any sane initialMs is past every cap; stop doubling before the number loses meaning.
  const doublings = Math.min(failed - 1, 30);
  return Math.min(policy.initialMs * 2 ** doublings, policy.maxMs);
}
