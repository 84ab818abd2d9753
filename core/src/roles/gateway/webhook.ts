/**
 * Webhook delivery for async jobs: the outcome is POSTed as JSON when the job
 * completes or fails for the last time. Delivery is at least once — a gateway
 * that dies between finishing and posting leaves BullMQ to rerun the job — so
 * receivers dedupe on `id`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobContext, JobProcessor, LoggerService } from '@lpx/sdk';
import type { RouteJobData, RouteJobResult } from './route-job.js';

export interface WebhookPayload {
  readonly id: string;
  readonly capability: string;
  readonly state: 'completed' | 'failed';
  readonly result?: unknown;
  readonly orchestrator?: string;
  readonly error?: string;
}

export async function postWebhook(url: string, payload: WebhookPayload, tries = 3, logger?: LoggerService): Promise<boolean> {
  for (let attempt = 1; attempt <= tries; attempt++) {
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), signal: AbortSignal.timeout(10_000) });
      if (response.ok) return true;
      logger?.warn({ url, status: response.status, attempt }, 'webhook refused');
    } catch (error) {
      logger?.warn({ url, err: error, attempt }, 'webhook unreachable');
    }
    if (attempt < tries) await sleep(250 * 2 ** attempt);
  }
  return false;
}

export function withWebhook(
  processor: JobProcessor<RouteJobData, RouteJobResult>,
  jobAttempts: number,
  logger?: LoggerService,
): JobProcessor<RouteJobData, RouteJobResult> {
  return async (job: JobContext<RouteJobData>) => {
    const url = job.data.webhook;
    try {
      const result = await processor(job);
      if (url !== undefined) await postWebhook(url, { id: job.id, capability: job.data.capabilityId, state: 'completed', result: result.output, orchestrator: result.orchestrator }, 3, logger);
      return result;
    } catch (error) {
      if (url !== undefined && job.attempt >= jobAttempts) {
        await postWebhook(url, { id: job.id, capability: job.data.capabilityId, state: 'failed', error: error instanceof Error ? error.message : String(error) }, 3, logger);
      }
      throw error;
    }
  };
}
