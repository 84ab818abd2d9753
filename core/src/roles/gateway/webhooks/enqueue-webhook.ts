/**
 * The routing side of webhooks: when a route job completes, or fails for the
 * last time, queue its delivery and move on. The POST itself happens in the
 * webhooks queue's own workers, so a receiver that hangs costs the routing
 * worker one Redis write, not its slot (ADR 0019).
 */
import { UnrecoverableError } from 'bullmq';
import type { JobContext, JobProcessor, LoggerService } from '@lpx/sdk';
import type { RouteJobData, RouteJobResult } from '../route-job.js';
import type { WebhookDelivery } from './webhook-payload.js';

export interface DeliveryQueue {
  enqueue(delivery: WebhookDelivery): Promise<unknown>;
}

/** The tenant a route job belongs to, when the tenants feature put one on it; it picks the signing key. */
function tenantOf(data: RouteJobData): string | undefined {
  const tenant = (data as { tenant?: unknown }).tenant;
  return typeof tenant === 'string' ? tenant : undefined;
}

export function withWebhookDelivery(
  processor: JobProcessor<RouteJobData, RouteJobResult>,
  jobAttempts: number,
  deliveries: DeliveryQueue,
  logger?: LoggerService,
): JobProcessor<RouteJobData, RouteJobResult> {
  return async (job: JobContext<RouteJobData>) => {
    const url = job.data.webhook;
    if (url === undefined) return processor(job);
    const tenant = tenantOf(job.data);
    const base = { url, ...(tenant !== undefined ? { tenant } : {}) };
    let result: RouteJobResult;
    try {
      result = await processor(job);
    } catch (error) {
      if (error instanceof UnrecoverableError || job.attempt >= jobAttempts) {
        const payload = { id: job.id, capability: job.data.capabilityId, state: 'failed' as const, error: error instanceof Error ? error.message : String(error) };
        // The job fails either way; a lost enqueue (Redis down) is logged, the job's failure stays readable by id.
        await deliveries.enqueue({ ...base, payload }).catch((err: unknown) => logger?.error({ jobId: job.id, err }, 'could not queue the failure webhook'));
      }
      throw error;
    }
    // If this throws (Redis unreachable), BullMQ could not record the completion either; the job runs
    // again and queues the delivery then — at least once, as documented.
    await deliveries.enqueue({ ...base, payload: { id: job.id, capability: job.data.capabilityId, state: 'completed', result: result.output, orchestrator: result.orchestrator } });
    return result;
  };
}
