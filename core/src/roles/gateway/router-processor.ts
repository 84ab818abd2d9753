/**
 * The router worker's processor: one route job = pick an orchestrator, pay,
 * send, and on failure fail over to another (bounded per attempt). A job
 * attempt that runs out of orchestrators fails, and BullMQ retries it later
 * with backoff — on this gateway or any other sharing Redis, which is also
 * what happens to a job whose gateway died mid-flight (stalled recovery).
 */
import type { JobContext } from '@lpx/sdk';
import { errors, isLpxError } from '@lpx/sdk';
import { UnrecoverableError } from 'bullmq';
import { failoverActionFor } from './failover-policy.js';
import type { RouteJobData, RouteJobResult } from './route-job.js';

export interface RouteTarget {
  readonly uri: string;
}

export interface RouterDeps {
  /** The best usable orchestrator for the capability that is not excluded; throws when none is left. */
  pick(capabilityId: string, exclude: ReadonlySet<string>, tenant?: string): Promise<RouteTarget>;
  /** Pays (charging the job's tenant) and sends the job to the orchestrator; resolves with the worker's output. */
  send(target: RouteTarget, job: { capabilityId: string; input: unknown; requestId: string; signal: AbortSignal; tenant?: string }): Promise<unknown>;
  suspend(uri: string, reason: string): void;
  refresh(uri: string): Promise<void>;
  readonly maxOrchestratorAttempts: number;
  readonly onAttemptFailed?: (event: { jobId: string; uri: string; error: unknown; action: string }) => void;
}

function textOf(error: unknown): string {
  const remote = (error as { details?: { remoteMessage?: unknown } })?.details?.remoteMessage;
  return `${typeof remote === 'string' ? remote : ''} ${error instanceof Error ? error.message : String(error)}`;
}

/** An lpx orchestrator's coded refusal of the request body (Lpx-Error-Code, carried by the job client). */
function isInputRefusal(error: unknown): boolean {
  return errors.orchestrator.JOB_REFUSED.is(error) && isLpxError(error) && error.details?.['code'] === errors.byoc.INPUT_INVALID.code;
}

function refusalText(error: unknown): string {
  const text = isLpxError(error) ? error.details?.['text'] : undefined;
  return typeof text === 'string' ? text : textOf(error).trim();
}

export function routerProcessor(deps: RouterDeps) {
  return async (job: JobContext<RouteJobData>): Promise<RouteJobResult> => {
    const { capabilityId, input, tenant } = job.data;
    const exclude = new Set<string>();
    let lastError: unknown;
    let tried = 0;
    let refreshed = false;
    let target: RouteTarget | undefined;
    while (tried < deps.maxOrchestratorAttempts) {
      if (job.signal.aborted) break;
      if (target === undefined) {
        try {
          target = await deps.pick(capabilityId, exclude, tenant);
        } catch (error) {
          // After a failed send, "none left" says less than why the last one failed.
          lastError ??= error;
          break;
        }
      }
      tried++;
      try {
        // The job id is the request id: an orchestrator seeing it again joins the first run.
        const output = await deps.send(target, { capabilityId, input, requestId: job.id, signal: job.signal, ...(tenant !== undefined ? { tenant } : {}) });
        return { output, orchestrator: target.uri, tried };
      } catch (error) {
        // The tenant's budget, not the orchestrator, refused: no blame, no failover, nothing paid.
        if (errors.gateway.BUDGET_EXHAUSTED.is(error)) throw error;
        // The orchestrator found the caller's input invalid: another would say the same, it is not to
        // blame, and a BullMQ retry could not help either.
        if (isInputRefusal(error)) throw new UnrecoverableError(`${errors.byoc.INPUT_INVALID.code}: ${capabilityId}: ${refusalText(error)}`);
        lastError = error;
        const action = failoverActionFor(textOf(error));
        deps.onAttemptFailed?.({ jobId: job.id, uri: target.uri, error, action });
        if (action === 'refresh-and-retry' && !refreshed) {
          refreshed = true;
          const fresh = await deps.refresh(target.uri).then(
            () => true,
            () => false,
          );
          if (fresh) continue;
          // No fresh params: retrying there would only fail the same way.
          deps.suspend(target.uri, 'refresh failed');
          exclude.add(target.uri);
          target = undefined;
          refreshed = false;
          continue;
        }
        if (action !== 'try-another') deps.suspend(target.uri, textOf(error).trim());
        exclude.add(target.uri);
        target = undefined;
        refreshed = false;
      }
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError ?? 'aborted');
    throw errors.jobs.FAILED.create(`no orchestrator completed ${capabilityId} job ${job.id} after ${tried} tries: ${reason}`, {
      ...(lastError !== undefined ? { cause: lastError } : {}),
      details: { capabilityId, tried, excluded: [...exclude] },
    });
  };
}
