/**
 * `coreServices.gateway` as plugins see it: each `transcodeSegment` is a
 * durable route job on the gateway's `video/transcode` queue (one attempt:
 * a live segment retried later is worth nothing; the router already tries
 * several orchestrators), answered with the renditions. The host registers
 * a LateGatewayService (late-gateway-service.ts) that forwards to it once the
 * role is prepared.
 */
import { randomUUID } from 'node:crypto';
import { errors, type GatewayService, type SegmentTranscodeRequest, type TranscodedSegment } from '@lpx/sdk';
import { TRANSCODE_CAPABILITY_ID } from '../../capabilities/index.js';
import type { JobsKernel } from '../../jobs/index.js';
import type { RouteJobData } from './route-job.js';
import { checkSegmentRequest, type SegmentJobInput, type SegmentJobOutput } from './segment-job.js';
import type { SegmentSession } from './segment-payments.js';
import type { StreamSessions } from './segment-sessions.js';

/** How long a cancelled job's abort stays findable for a router that has yet to take it. */
const CANCEL_MEMORY_MS = 60_000;

export interface SegmentServiceDeps {
  readonly routes: Pick<JobsKernel, 'submitAndWait'>;
  ensureRouter(capabilityId: string): void;
  readonly sessions: StreamSessions;
  /** Ends one stream session at its orchestrator (EndTranscodingSession) and frees its PM session. */
  endSession(session: SegmentSession): Promise<void>;
  /** Written by the router in this process: the coded reason a job failed. */
  readonly failures: Map<string, unknown>;
  readonly cancels: Map<string, AbortController>;
  /** How long a caller waits for one segment (every orchestrator it may try, at go-livepeer's budget). */
  waitMsFor(durationMs: number): number;
  /** Refuses, before anything is queued, a tenant that is unknown, may not transcode, or has spent its budget (ADR 0017). */
  checkTenant?(tenant: string): Promise<void>;
}

/** The segment half of coreServices.gateway; the gateway role joins it with the AI half. */
export type SegmentGatewayService = Pick<GatewayService, 'transcodeSegment' | 'endStream'>;

export function createSegmentService(deps: SegmentServiceDeps): SegmentGatewayService {
  return {
    async transcodeSegment(request: SegmentTranscodeRequest): Promise<TranscodedSegment> {
      checkSegmentRequest(request);
      if (request.tenant !== undefined) await deps.checkTenant?.(request.tenant);
      if (request.signal?.aborted === true) throw errors.transcode.CANCELLED.create(`segment ${request.seq} of ${request.streamId} was cancelled before it was sent`);
      const input: SegmentJobInput = {
        streamId: request.streamId,
        seq: request.seq,
        data: Buffer.from(request.data.buffer, request.data.byteOffset, request.data.byteLength),
        durationMs: request.durationMs,
        profiles: request.profiles,
      };
      const data: RouteJobData = { capabilityId: TRANSCODE_CAPABILITY_ID, input, ...(request.tenant !== undefined ? { tenant: request.tenant } : {}), ...(request.maxJobWei !== undefined ? { maxJobWei: request.maxJobWei } : {}) };
      // Our own id: a replayed seq is a new job, never the result of an earlier one.
      const jobId = randomUUID();
      const cancel = new AbortController();
      deps.cancels.set(jobId, cancel);
      // The caller is answered at once; the router (here or waiting in the queue) stops at its next step.
      const cancelled = new Promise<never>((_, reject) =>
        cancel.signal.addEventListener('abort', () => reject(errors.transcode.CANCELLED.create(`segment ${request.seq} of ${request.streamId} was cancelled by the caller`)), { once: true }),
      );
      cancelled.catch(() => undefined);
      const onAbort = (): void => cancel.abort();
      request.signal?.addEventListener('abort', onAbort, { once: true });
      deps.ensureRouter(TRANSCODE_CAPABILITY_ID);
      try {
        const waiting = deps.routes.submitAndWait<RouteJobData, { output: SegmentJobOutput; orchestrator: string; tried: number }>(TRANSCODE_CAPABILITY_ID, data, {
          jobId,
          attempts: 1,
          timeoutMs: deps.waitMsFor(request.durationMs),
        });
        waiting.catch(() => undefined);
        const result = await Promise.race([waiting, cancelled]);
        const byName = new Map(result.output.renditions.map((r) => [r.profile, r]));
        return {
          seq: result.output.seq,
          orchestrator: result.orchestrator,
          attempts: result.tried,
          renditions: request.profiles.map((profile) => {
            const rendition = byName.get(profile.name)!;
            return { profile: profile.name, data: Buffer.isBuffer(rendition.data) ? rendition.data : Buffer.from(rendition.data as Uint8Array), pixels: BigInt(rendition.pixels) };
          }),
        };
      } catch (error) {
        // BullMQ keeps only a failure's text; the router in this process kept the coded error.
        const local = deps.failures.get(jobId);
        throw local ?? error;
      } finally {
        deps.failures.delete(jobId);
        // Kept a little while after a cancel: a job still queued must find it aborted when a router takes it.
        if (cancel.signal.aborted) setTimeout(() => deps.cancels.delete(jobId), CANCEL_MEMORY_MS).unref();
        else deps.cancels.delete(jobId);
        request.signal?.removeEventListener('abort', onAbort);
      }
    },
    async endStream(streamId: string): Promise<void> {
      await Promise.all(deps.sessions.end(streamId).map((session) => deps.endSession(session)));
    },
  };
}
