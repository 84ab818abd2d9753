/**
 * What the router does when an orchestrator refuses or fails, by the
 * orchestrator's error text (case-insensitive), as go-livepeer gateways decide:
 * expired ticket params → refresh and retry the same orchestrator; a nonce
 * clash or no capacity → try another without blame; anything else (refusal,
 * timeout, connection reset, garbage) → suspend it and try another.
 */
export type FailoverAction = 'refresh-and-retry' | 'try-another' | 'suspend-and-try-another';

export function failoverActionFor(errorText: string): FailoverAction {
  const text = errorText.toLowerCase();
  if (text.includes('ticketparams expired')) return 'refresh-and-retry';
  if (text.includes('invalid ticket sendernonce') || text.includes('insufficient capacity')) return 'try-another';
  return 'suspend-and-try-another';
}
