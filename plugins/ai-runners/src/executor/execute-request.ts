import { errors, isLpxError, type AIExecution, type AIPipelineResult, type AIRunnerEndpoint } from '@lpx/sdk';

/** What became of a request, for the runner that ran it. */
export type RunOutcome = 'ok' | 'restart';

export interface RunnerLease {
  readonly endpoint: AIRunnerEndpoint;
  /** Ends the lease once; `restart` when the runner died or hung. */
  release(outcome: RunOutcome, reason?: string): Promise<void>;
  /** After a failed request: is the runner still answering /health? */
  alive(): Promise<boolean>;
}

/**
 * Runs one request on a leased runner with the request timeout. Errors are
 * sorted by cause: the caller's abort is CANCELLED (runner returned), the
 * timeout is RUNNER_TIMEOUT (runner restarted), a failure with a runner that
 * no longer answers is RUNNER_FAILED (runner restarted), and anything the
 * pipeline raised about the request itself passes through. A streamed
 * result keeps the runner until the stream ends.
 */
export async function runOnLease(execution: AIExecution, lease: RunnerLease, requestMs: number): Promise<AIPipelineResult> {
  const timeout = AbortSignal.timeout(requestMs);
  const signal = AbortSignal.any([execution.signal, timeout]);
  const { request } = execution;
  const what = `${request.pipeline} ${request.modelId} on ${lease.endpoint.baseUrl}`;
  let result: AIPipelineResult;
  try {
    result = await execution.pipeline.run(request, lease.endpoint, signal);
  } catch (error) {
    throw await classify(error, execution.signal, timeout, lease, what, requestMs);
  }
  if (result.kind === 'json') {
    await lease.release('ok');
    return result;
  }
  return { kind: 'stream', events: holdUntilDone(result.events, lease, execution.signal, timeout, what, requestMs) };
}

async function classify(error: unknown, callerSignal: AbortSignal, timeout: AbortSignal, lease: RunnerLease, what: string, requestMs: number): Promise<Error> {
  if (callerSignal.aborted) {
    await lease.release('ok');
    return errors.ai.CANCELLED.is(error) ? error : errors.ai.CANCELLED.create(`${what}: cancelled`, { cause: error });
  }
  if (timeout.aborted || errors.ai.RUNNER_TIMEOUT.is(error)) {
    await lease.release('restart', `no answer within ${requestMs} ms`);
    return errors.ai.RUNNER_TIMEOUT.is(error) ? error : errors.ai.RUNNER_TIMEOUT.create(`${what}: no answer within ${requestMs} ms; the runner is restarted`, { cause: error });
  }
  const aboutRequest = isLpxError(error) && !errors.ai.RUNNER_FAILED.is(error) && !errors.ai.RUNNER_UNAVAILABLE.is(error);
  if (aboutRequest) {
    await lease.release('ok');
    return error as Error;
  }
  const alive = await lease.alive();
  await lease.release(alive ? 'ok' : 'restart', `died during a request: ${(error as Error).message}`);
  if (errors.ai.RUNNER_FAILED.is(error) && alive) return error;
  return errors.ai.RUNNER_FAILED.create(`${what}: ${(error as Error).message}${alive ? '' : '; the runner is restarted'}`, { cause: error, ...(isLpxError(error) && error.details ? { details: error.details } : {}) });
}

async function* holdUntilDone(
  events: AsyncIterable<Readonly<Record<string, unknown>>>,
  lease: RunnerLease,
  callerSignal: AbortSignal,
  timeout: AbortSignal,
  what: string,
  requestMs: number,
): AsyncGenerator<Readonly<Record<string, unknown>>> {
  let released = false;
  try {
    yield* events;
  } catch (error) {
    released = true;
    throw await classify(error, callerSignal, timeout, lease, what, requestMs);
  } finally {
    if (!released) await lease.release('ok');
  }
}
