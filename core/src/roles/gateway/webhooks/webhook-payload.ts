/** What a receiver gets: the outcome of one async job. `id` is the route job's id. */
export interface WebhookPayload {
  readonly id: string;
  readonly capability: string;
  readonly state: 'completed' | 'failed';
  readonly result?: unknown;
  readonly orchestrator?: string;
  readonly error?: string;
}

/** One delivery as it waits in the webhooks queue. No secret in Redis: the tenant name picks it at send time. */
export interface WebhookDelivery {
  readonly url: string;
  readonly payload: WebhookPayload;
  readonly tenant?: string;
}

/**
 * A delivery as BullMQ holds it: a payload above the blob threshold (a large
 * job result) is a blob reference, so Redis stays small (ADR 0020).
 */
export interface StoredDelivery {
  readonly url: string;
  readonly payload: unknown;
  readonly tenant?: string;
}

/**
 * The delivery's id (its BullMQ job id and `Lpx-Webhook-Id`): one per route
 * job and outcome, so a route job that runs again after a crash does not
 * queue a second delivery while the first is still held (BullMQ ignores an
 * add with an existing id).
 */
export function deliveryId(payload: Pick<WebhookPayload, 'id' | 'capability' | 'state'>): string {
  return `${payload.capability}/${payload.id}/${payload.state}`;
}
