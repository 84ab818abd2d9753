/**
 * Webhook deliveries as their own durable BullMQ queue (`webhooks` under
 * `<redis.prefix>:webhooks`) with its own workers, so a slow or dead receiver
 * holds a delivery slot, never a routing slot (ADR 0019). Each delivery is
 * POSTed with a timeout and retried with exponential backoff; one that gives
 * up is logged, counted and kept in the queue's failed set for inspection.
 * Delivery is at least once: receivers dedupe on `Lpx-Webhook-Id`.
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { errors, type LoggerService } from '@lpx/sdk';
import { drainWorker } from '../../../jobs/drain-worker.js';
import { decodePayload, discard, encodePayload, refsIn, type PayloadOptions } from '../../../jobs/job-payloads.js';
import type { WorkerTuning } from '../../../jobs/index.js';
import { settleWithin } from '../../../jobs/settle-within.js';
import { webhookDeliveriesCounter } from '../../role-metrics.js';
import type { WebhookEgressPolicy } from './egress-policy.js';
import { deliveryId, type StoredDelivery, type WebhookDelivery } from './webhook-payload.js';
import { postWebhook } from './webhook-post.js';
import { SIGNATURE_HEADER, WEBHOOK_ID_HEADER, signWebhook } from './webhook-signature.js';
import { webhookSpanTooLong } from '../../../config/start-refusals.js';

export const WEBHOOK_QUEUE = 'webhooks';
const CLOSE_GRACE_MS = 2_000;
/** Longest total time a delivery may spend retrying, timeouts and backoff together. */
export const MAX_DELIVERY_SPAN_MS = 24 * 3_600_000;

export interface DeliverySettings {
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly backoffMs: number;
  readonly concurrency: number;
}

export interface WebhookDeliveriesOptions extends DeliverySettings {
  readonly connection: Redis;
  /** Quit `connection` on close. */
  readonly ownsConnection?: boolean;
  /** BullMQ prefix, `<redis.prefix>:webhooks`. */
  readonly prefix: string;
  readonly policy: WebhookEgressPolicy;
  /** The signing key for a delivery: a tenant's own, else the gateway's. */
  readonly secretFor: (tenant: string | undefined) => string;
  readonly worker?: WorkerTuning;
  readonly logger?: LoggerService;
  readonly metrics?: Registry;
  /** Payloads above the threshold (large job results) go to the blob store; Redis keeps a reference. */
  readonly payloads?: PayloadOptions;
  /** Unix seconds for `t=`; injectable for tests. */
  readonly nowSeconds?: () => number;
}

/** Worst case of one delivery: every POST times out and every backoff is waited (attempt n waits backoffMs × 2^(n−1)). */
export function deliverySpanMs(s: Pick<DeliverySettings, 'timeoutMs' | 'attempts' | 'backoffMs'>): number {
  return s.timeoutMs * s.attempts + s.backoffMs * (2 ** (s.attempts - 1) - 1);
}

export class WebhookDeliveries {
  readonly queue: Queue<StoredDelivery>;
  readonly #options: WebhookDeliveriesOptions;
  readonly #outcomes: ReturnType<typeof webhookDeliveriesCounter> | undefined;
  #worker: Worker<StoredDelivery> | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: WebhookDeliveriesOptions) {
    const span = deliverySpanMs(options);
    if (span > MAX_DELIVERY_SPAN_MS) throw webhookSpanTooLong(options, span);
    this.#options = options;
    this.#outcomes = options.metrics ? webhookDeliveriesCounter(options.metrics) : undefined;
    // Finished deliveries are kept a day, failed ones a week: the failed set is the record of what a receiver missed.
    this.queue = new Queue<StoredDelivery>(WEBHOOK_QUEUE, {
      connection: options.connection,
      prefix: options.prefix,
      defaultJobOptions: { removeOnComplete: { age: 86_400, count: 10_000 }, removeOnFail: { age: 7 * 86_400, count: 50_000 } },
    });
    this.queue.on('error', (error) => options.logger?.debug({ err: error.message }, 'webhook queue connection error (retrying)'));
  }

  /**
   * Queues one delivery; resolves once it is in Redis. Adding an id that is
   * already queued is a no-op, which is what makes a re-run route job safe.
   */
  async enqueue(delivery: WebhookDelivery): Promise<string> {
    const id = deliveryId(delivery.payload);
    const { payloads } = this.#options;
    // A blob lives at most blobs.ttlSeconds (default 7 days), as long as the failed set keeps the delivery.
    const encoded = payloads ? await encodePayload(delivery.payload, payloads, () => `webhook:${id}`) : { value: delivery.payload, refs: [] };
    try {
      await this.queue.add('deliver', { ...delivery, payload: encoded.value }, { jobId: id, attempts: this.#options.attempts, backoff: { type: 'exponential', delay: this.#options.backoffMs } });
    } catch (error) {
      if (payloads) await discard(payloads.store, encoded.refs);
      throw error;
    }
    return id;
  }

  start(): void {
    if (this.#worker || this.#closing) return;
    const { connection, prefix, concurrency, worker: tuning, logger } = this.#options;
    const worker = new Worker<StoredDelivery>(WEBHOOK_QUEUE, (job, _token, signal) => this.#deliver(job, signal), {
      connection,
      prefix,
      concurrency,
      ...(tuning?.lockDurationMs !== undefined ? { lockDuration: tuning.lockDurationMs } : {}),
      ...(tuning?.stalledIntervalMs !== undefined ? { stalledInterval: tuning.stalledIntervalMs } : {}),
      ...(tuning?.maxStalledCount !== undefined ? { maxStalledCount: tuning.maxStalledCount } : {}),
    });
    worker.on('error', (error) => logger?.debug({ err: error.message }, 'webhook worker connection error (retrying)'));
    this.#worker = worker;
  }

  /** Stop taking deliveries, let active POSTs finish (bounded by the drain timeout), release Redis. Queued ones wait for the next start. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#worker) await drainWorker(this.#worker, this.#options.worker?.drainTimeoutMs ?? 30_000, this.#options.logger);
      if (!(await settleWithin(this.queue.close(), CLOSE_GRACE_MS))) await settleWithin(this.queue.disconnect(), CLOSE_GRACE_MS);
      if (this.#options.ownsConnection) {
        const { connection } = this.#options;
        if (!(await settleWithin(connection.quit(), CLOSE_GRACE_MS))) connection.disconnect();
      }
    })();
    return this.#closing;
  }

  async #deliver(job: Job<StoredDelivery>, signal: AbortSignal | undefined): Promise<{ status: number }> {
    const { url, tenant } = job.data;
    const store = this.#options.payloads?.store;
    const payload = (await decodePayload(job.data.payload, store, signal)) as WebhookDelivery['payload'];
    const id = job.id ?? deliveryId(payload);
    const attempt = job.attemptsMade + 1;
    const log = { webhookId: id, url, attempt };
    try {
      const target = new URL(url);
      let addresses;
      try {
        addresses = await this.#options.policy.destinations(target);
      } catch (error) {
        // A destination that became private since submission will not become public by retrying.
        if (errors.gateway.WEBHOOK_DESTINATION_REFUSED.is(error)) throw new RefusedDestination(error.message);
        throw error;
      }
      const body = JSON.stringify(payload);
      const status = await postWebhook({
        url: target,
        body,
        addresses,
        timeoutMs: this.#options.timeoutMs,
        ...(signal ? { signal } : {}),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'lpx-gateway-webhooks',
          [WEBHOOK_ID_HEADER]: id,
          [SIGNATURE_HEADER]: signWebhook(this.#options.secretFor(tenant), body, this.#options.nowSeconds?.()),
        },
      });
      if (status >= 200 && status < 300) {
        this.#outcomes?.inc({ outcome: 'delivered' });
        this.#options.logger?.debug({ ...log, status }, 'webhook delivered');
        if (store) await discard(store, refsIn(job.data.payload));
        return { status };
      }
      if (status >= 300 && status < 400) throw new UnrecoverableError(`receiver answered ${status}; redirects are not followed`);
      throw new Error(`receiver answered ${status}`);
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      const final = error instanceof UnrecoverableError || attempt >= (job.opts.attempts ?? 1);
      const outcome = error instanceof RefusedDestination ? 'refused' : final ? 'failed' : 'retried';
      this.#outcomes?.inc({ outcome });
      if (final) this.#options.logger?.error({ ...log, outcome, err: error.message }, 'webhook delivery gave up; it stays in the failed set of the webhooks queue');
      else this.#options.logger?.warn({ ...log, err: error.message }, 'webhook attempt failed; retrying with backoff');
      throw error;
    }
  }
}

class RefusedDestination extends UnrecoverableError {}
