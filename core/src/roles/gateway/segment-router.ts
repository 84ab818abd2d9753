/**
 * The router for `video/transcode` route jobs: one job = one segment. The
 * stream's orchestrator is tried first while it works (stickiness); else the
 * pool picks one that advertises the job's capability bits within the max
 * price. Each attempt pays (pixels), sends over go-livepeer's `/segment`
 * wire, downloads and verifies the renditions; a failure is handled by
 * go-livepeer's rules (segment-failover.ts), at most `maxOrchestratorAttempts`
 * orchestrators per segment (go-livepeer's -maxAttempts).
 */
import type { JobContext } from '@lpx/sdk';
import { errors } from '@lpx/sdk';
import type { LivepeerCapabilities } from '../../capabilities/index.js';
import type { PersonalSigner } from '../../network/index.js';
import { downloadRenditions, segmentHeader, segmentJobCapabilities, segmentTimeouts, submitSegment, verifyRenditions } from '../../network/segment/index.js';
import type { RouteJobData } from './route-job.js';
import { callerError, remoteMessageOf, segmentFailover } from './segment-failover.js';
import { segmentJobInput, type SegmentJobInput, type SegmentJobOutput } from './segment-job.js';
import { estimatePixels, type ChargeTenant, type SegmentPayments, type SegmentSession } from './segment-payments.js';
import type { StreamSessions } from './segment-sessions.js';

export interface SegmentRouterDeps {
  /** An orchestrator offering the job's capability bits within the (tenant's) max price, none of `exclude`; throws when none is left. */
  pick(exclude: ReadonlySet<string>, jobCapabilities: LivepeerCapabilities, tenant?: string): Promise<string>;
  /** Whether `uri` is still in the pool, unsuspended (a sticky stream only returns to a usable orchestrator). */
  usable(uri: string): boolean;
  /** A new session for a stream with `uri`: a GetOrchestrator of its own (auth token, ticket params). */
  openSession(uri: string, jobCapabilities: LivepeerCapabilities): Promise<SegmentSession>;
  suspend(uri: string, reason: string): void;
  readonly sessions: StreamSessions;
  readonly payments: SegmentPayments;
  readonly signer: PersonalSigner;
  chargeFor(tenant: string | undefined): ChargeTenant | undefined;
  /** Verify the renditions' signature (go-livepeer's -localVerify, on by default on-chain). */
  readonly checkSignature: boolean;
  readonly countPixels?: (data: Buffer) => Promise<bigint>;
  readonly maxOrchestratorAttempts: number;
  /** The last failure of a job, for a caller in this process to rethrow (BullMQ keeps only the text). */
  readonly failures?: Map<string, unknown>;
  /** Aborts a running job from this process (the caller went away). */
  readonly cancels?: Map<string, AbortController>;
  readonly onAttemptFailed?: (event: { jobId: string; uri: string; error: unknown; action: string }) => void;
  /** Pixels an orchestrator charged, per successful segment (metrics, the demo summary). */
  readonly onTranscoded?: (event: { uri: string; pixels: bigint; tickets: number; renditions: number; phases: SegmentPhases }) => void;
  /** A segment no orchestrator transcoded (or the caller's fault). */
  readonly onFailed?: (error: unknown) => void;
}

/** Where one successful attempt spent its time, in ms (the gateway's /metrics: lpx_gateway_segment_seconds). */
export interface SegmentPhases {
  /** Tickets and the signed SegData. */
  readonly prepare: number;
  /** POST /segment until the whole TranscodeResult arrived: upload, the orchestrator's work, the answer. */
  readonly transcode: number;
  /** Every rendition fetched from the orchestrator. */
  readonly download: number;
  /** Rendition count, signature (and pixels when configured). */
  readonly verify: number;
}

const MAX_REMEMBERED_FAILURES = 1_000;

function remember(failures: Map<string, unknown> | undefined, jobId: string, error: unknown): void {
  if (failures === undefined) return;
  failures.set(jobId, error);
  for (const oldest of failures.keys()) {
    if (failures.size <= MAX_REMEMBERED_FAILURES) break;
    failures.delete(oldest);
  }
}

/** One attempt at one orchestrator: pay, send, settle, adopt the fresh info, download, verify. */
async function attempt(deps: SegmentRouterDeps, session: SegmentSession, input: SegmentJobInput, tenant: string | undefined, signal: AbortSignal, maxJobWei: bigint | undefined): Promise<SegmentJobOutput> {
  const charge = deps.chargeFor(tenant);
  const payment = await deps.payments.prepare(session, estimatePixels(input.profiles, input.durationMs), charge, maxJobWei);
  const timeouts = segmentTimeouts(input.durationMs);
  const started = Date.now();
  const t0 = performance.now();
  let t1 = t0;
  const transcoder = session.info.transcoder;
  let submitted;
  try {
    const header = await segmentHeader({ manifestId: input.streamId, seq: BigInt(input.seq), data: input.data, durationMs: input.durationMs, profiles: input.profiles, authToken: session.info.authToken, signer: deps.signer });
    t1 = performance.now();
    submitted = await submitSegment({ transcoder, segmentHeader: header, paymentHeader: payment.header, data: input.data, timeouts, onSent: () => payment.sent(), signal });
  } catch (error) {
    payment.abort();
    throw error;
  }
  const pixels = submitted.data.segments.reduce((sum, s) => sum + s.pixels, 0n);
  payment.settle(pixels);
  const verifiedInfo = session.info;
  // The result's info carries the same auth token (an lpx or go-livepeer O echoes it); keep ours if it does not.
  if (submitted.info !== undefined) deps.payments.adopt(session, { ...submitted.info, ...(submitted.info.authToken === undefined && session.info.authToken !== undefined ? { authToken: session.info.authToken } : {}) });
  const t2 = performance.now();
  const renditions = await downloadRenditions(submitted.data, { transcoder, deadline: started + timeouts.callMs, signal });
  const t3 = performance.now();
  await verifyRenditions(renditions, {
    info: verifiedInfo,
    profileCount: input.profiles.length,
    sig: submitted.data.sig,
    checkSignature: deps.checkSignature,
    ...(deps.countPixels !== undefined ? { countPixels: deps.countPixels } : {}),
  });
  const phases: SegmentPhases = { prepare: t1 - t0, transcode: t2 - t1, download: t3 - t2, verify: performance.now() - t3 };
  deps.onTranscoded?.({ uri: session.uri, pixels, tickets: payment.numTickets, renditions: renditions.length, phases });
  return { seq: input.seq, renditions: renditions.map((r, i) => ({ profile: input.profiles[i]!.name, data: r.data, pixels: r.pixels.toString() })) };
}

export function segmentRouterProcessor(deps: SegmentRouterDeps) {
  return async (job: JobContext<RouteJobData>): Promise<{ output: SegmentJobOutput; orchestrator: string; tried: number }> => {
    const { tenant } = job.data;
    const maxJobWei = job.data.maxJobWei === undefined ? undefined : BigInt(job.data.maxJobWei);
    const input = segmentJobInput(job.data.input);
    const local = deps.cancels?.get(job.id);
    const signal = local === undefined ? job.signal : AbortSignal.any([job.signal, local.signal]);
    const jobCapabilities = segmentJobCapabilities(input.profiles);
    const exclude = new Set<string>();
    const freshened = new Set<string>();
    let lastError: unknown;
    let tried = 0;
    let uri: string | undefined;
    try {
      while (tried < deps.maxOrchestratorAttempts && !signal.aborted) {
        if (uri === undefined) {
          const sticky = deps.sessions.current(input.streamId);
          if (sticky !== undefined && !exclude.has(sticky) && deps.usable(sticky)) uri = sticky;
          else {
            try {
              uri = await deps.pick(exclude, jobCapabilities, tenant);
            } catch (error) {
              // After a failed attempt, "none left" says less than why the last one failed.
              lastError ??= error;
              break;
            }
          }
        }
        tried++;
        const target = uri;
        try {
          const session = await deps.sessions.session(input.streamId, target, () => deps.openSession(target, jobCapabilities));
          const output = await attempt(deps, session, input, tenant, signal, maxJobWei);
          deps.sessions.succeeded(input.streamId, target);
          return { output, orchestrator: target, tried };
        } catch (error) {
          if (signal.aborted) throw errors.transcode.CANCELLED.create(`segment ${input.seq} of ${input.streamId} was cancelled`, { cause: error });
          lastError = error;
          const action = segmentFailover(error);
          const fresh = action === 'fresh-session' && !freshened.has(target);
          deps.onAttemptFailed?.({ jobId: job.id, uri: target, error, action: fresh ? action : action === 'fresh-session' ? 'suspend-and-try-another' : action });
          if (action === 'stop') throw callerError(error);
          if (action === 'try-another') {
            // Nothing was paid or sent: another orchestrator may be cheap enough, this one is not at fault.
            deps.sessions.failed(input.streamId, target);
            exclude.add(target);
            uri = undefined;
            continue;
          }
          // Either way the session is done: a fresh one (new auth token, params, balance) or none.
          deps.sessions.failed(input.streamId, target);
          if (fresh) {
            freshened.add(target);
            continue;
          }
          deps.suspend(target, remoteMessageOf(error).trim() || 'segment failed');
          exclude.add(target);
          uri = undefined;
        }
      }
      if (signal.aborted) throw errors.transcode.CANCELLED.create(`segment ${input.seq} of ${input.streamId} was cancelled`);
      // Nothing was tried: the pool's own coded reason (none offers it, all over the max price) is the answer.
      if (tried === 0 && lastError !== undefined) throw lastError;
      const reason = lastError instanceof Error ? lastError.message : String(lastError ?? 'no orchestrator');
      throw errors.jobs.FAILED.create(`no orchestrator transcoded segment ${input.seq} of ${input.streamId} after ${tried} tries: ${reason}`, {
        ...(lastError !== undefined ? { cause: lastError } : {}),
        details: { capabilityId: job.data.capabilityId, tried, excluded: [...exclude], ...(lastError !== undefined ? { remoteMessage: remoteMessageOf(lastError) } : {}) },
      });
    } catch (error) {
      remember(deps.failures, job.id, error);
      deps.onFailed?.(error);
      throw error;
    }
  };
}
