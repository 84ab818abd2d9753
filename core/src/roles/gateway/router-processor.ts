/**
 * The router worker's processor: one route job = pick an orchestrator, pay,
 * send, and on failure fail over to another (bounded per attempt). A job
 * attempt that runs out of orchestrators fails, and BullMQ retries it later
 * with backoff — on this gateway or any other sharing Redis, which is also
 * what happens to a job whose gateway died mid-flight (stalled recovery).
 *
 * Two things end a job at once, for good (no failover, no BullMQ retry):
 * - a 4xx that blames the request (job-refusal.ts): another orchestrator
 *   would say the same; the coded error travels in the failure text
 *   (core/src/jobs/coded-failure.ts) to the API, which answers with it;
 * - a failure after the first line of an event stream went to a caller
 *   reading it live (route-relay.ts): the caller has seen this
 *   orchestrator's answer, a second one would be spliced onto it;
 * - the synchronous caller hung up (client-cancels.ts, ADR 0064): nobody
 *   waits for the answer, so nothing more is sent or paid.
 */
import type { JobContext } from '@lpx/sdk';
import { errors, isLpxError } from '@lpx/sdk';
import { finalFailure } from '../../jobs/coded-failure.js';
import { requestRefusal } from '../../network/byoc/index.js';
import { failoverActionFor } from './failover-policy.js';
import type { ByocWireRequest, RouteJobData, RouteJobResult } from './route-job.js';
import { RouteRelay } from './route-relay.js';
import type { SentJob } from './job-sender.js';
import { cancelled, type ClientCancels, type Tracked } from './client-cancels.js';

export interface RouteTarget {
  readonly uri: string;
}

export interface RouterDeps {
  /** The best usable orchestrator for the capability that is not excluded; throws when none is left. */
  pick(capabilityId: string, exclude: ReadonlySet<string>, tenant?: string, include?: ReadonlySet<string>): Promise<RouteTarget>;
  /** Pays (charging the job's tenant) and sends the job to the orchestrator; resolves with the worker's output and the client's headers. */
  send(target: RouteTarget, job: { capabilityId: string; input: unknown; requestId: string; signal: AbortSignal; tenant?: string; relay?: RouteRelay; wire?: ByocWireRequest }): Promise<SentJob>;
  suspend(uri: string, reason: string): void;
  refresh(uri: string): Promise<void>;
  readonly maxOrchestratorAttempts: number;
  readonly onAttemptFailed?: (event: { jobId: string; uri: string; error: unknown; action: string }) => void;
  /** Jobs whose synchronous caller hung up (ADR 0064). */
  readonly cancels?: Pick<ClientCancels, 'track' | 'isCancelled'>;
}

export interface OrchestratorChoice {
  readonly include: ReadonlySet<string>;
  readonly exclude: ReadonlySet<string>;
}

function parseChoice(parameters: string | undefined): OrchestratorChoice {
  const urls = (value: unknown): string[] => (Array.isArray(value) ? value.filter((u): u is string => typeof u === 'string').map((u) => u.replace(/\/+$/, '')) : []);
  try {
    const parsed = JSON.parse(parameters ?? '{}') as { orchestrators?: { include?: unknown; exclude?: unknown } } | null;
    return { include: new Set(urls(parsed?.orchestrators?.include)), exclude: new Set(urls(parsed?.orchestrators?.exclude)) };
  } catch {
    return { include: new Set(), exclude: new Set() };
  }
}

/** A client sends the same parameters job after job: the last parse is kept (read-only sets). */
let lastChoice: { parameters: string | undefined; choice: OrchestratorChoice } | undefined;

/** JobParameters.orchestrators of a go-livepeer BYOC client's request: URLs to use only, or never. */
export function orchestratorChoice(parameters: string | undefined): OrchestratorChoice {
  if (lastChoice === undefined || lastChoice.parameters !== parameters) lastChoice = { parameters, choice: parseChoice(parameters) };
  return lastChoice.choice;
}

function textOf(error: unknown): string {
  const remote = (error as { details?: { remoteMessage?: unknown } })?.details?.remoteMessage;
  return `${typeof remote === 'string' ? remote : ''} ${error instanceof Error ? error.message : String(error)}`;
}

export function routerProcessor(deps: RouterDeps) {
  return async (job: JobContext<RouteJobData>): Promise<RouteJobResult> => {
    const tracked = deps.cancels?.track(job.id, job.signal);
    try {
      return await route(job, tracked);
    } finally {
      tracked?.done();
    }
  };

  /** Whether the caller hung up: at once when its API runs here, else by the mark, read only before starting over. */
  async function callerLeft(job: JobContext<RouteJobData>, tracked: Tracked | undefined, startingOver: boolean): Promise<boolean> {
    if (tracked?.hungUp === true) return true;
    return startingOver && deps.cancels !== undefined && (await deps.cancels.isCancelled(job.id));
  }

  async function route(job: JobContext<RouteJobData>, tracked: Tracked | undefined): Promise<RouteJobResult> {
    const { capabilityId, input, tenant } = job.data;
    // Aborts when the job's own signal does or the caller hangs up.
    const signal = tracked?.signal ?? job.signal;
    const cancel = () => finalFailure(cancelled(capabilityId, job.id));
    if (await callerLeft(job, tracked, job.attempt > 1)) throw cancel();
    const stream = job.stream;
    const relay = job.data.relay === true && stream !== undefined ? new RouteRelay((headers) => stream.call(job, headers)) : undefined;
    const wire = job.data.byoc;
    const chosen = orchestratorChoice(wire?.parameters);
    const exclude = new Set<string>(chosen.exclude);
    const include = chosen.include.size > 0 ? chosen.include : undefined;
    let lastError: unknown;
    let tried = 0;
    let refreshed = false;
    let target: RouteTarget | undefined;
    while (tried < deps.maxOrchestratorAttempts) {
      if (await callerLeft(job, tracked, tried > 0)) throw cancel();
      if (job.signal.aborted) break;
      if (target === undefined) {
        try {
          target = await deps.pick(capabilityId, exclude, tenant, include);
        } catch (error) {
          // After a failed send, "none left" says less than why the last one failed.
          lastError ??= error;
          break;
        }
      }
      tried++;
      try {
        // The job id is the request id: an orchestrator seeing it again joins the first run.
        const sent = await deps.send(target, { capabilityId, input, requestId: job.id, signal, ...(tenant !== undefined ? { tenant } : {}), ...(relay !== undefined ? { relay } : {}), ...(wire !== undefined ? { wire } : {}) });
        return { output: sent.output, orchestrator: target.uri, tried, headers: sent.headers };
      } catch (error) {
        // Aborted because the caller left: the orchestrator is not to blame.
        if (tracked?.hungUp === true) throw cancel();
        // The tenant's budget, not the orchestrator, refused: no blame, no failover, nothing paid.
        if (errors.gateway.BUDGET_EXHAUSTED.is(error)) throw error;
        // The orchestrator (or its app) found the caller's request wrong: another would say the same,
        // it is not to blame, and a BullMQ retry could not help either.
        const refused = requestRefusal(error);
        if (refused !== undefined) throw finalFailure(refused);
        if (relay?.opened === true) {
          deps.onAttemptFailed?.({ jobId: job.id, uri: target.uri, error, action: 'stream-broken' });
          if (!job.signal.aborted) deps.suspend(target.uri, `its event stream broke: ${textOf(error).trim()}`);
          throw finalFailure(errors.jobs.FAILED.create(`${target.uri}'s event stream for ${capabilityId} job ${job.id} broke after it reached the caller: ${textOf(error).trim()}`));
        }
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
  }
}
