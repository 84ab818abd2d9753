/**
 * The pool's failures (errors.aiWorker.*, with go-livepeer's texts) as the
 * codes every AI executor speaks (errors.ai.*), so the kernel treats a remote
 * worker like a local runner: NO_CAPACITY lets it try another executor. The
 * worker-protocol code stays in the details and the original is the cause.
 */
import { errors, isLpxError, type ErrorCode } from '@lpx/sdk';

const MAP: readonly (readonly [ErrorCode, ErrorCode])[] = [
  [errors.aiWorker.NO_WORKERS, errors.ai.NO_CAPACITY],
  [errors.aiWorker.NO_COMPATIBLE_WORKERS, errors.ai.NO_CAPACITY],
  [errors.aiWorker.TIMEOUT, errors.ai.RUNNER_TIMEOUT],
  [errors.aiWorker.WORKER_ERROR, errors.ai.RUNNER_FAILED],
  [errors.aiWorker.RESULT_INVALID, errors.ai.RESULT_INVALID],
  [errors.aiWorker.RESULT_TOO_LARGE, errors.ai.RESULT_INVALID],
  [errors.aiWorker.RESULT_CONTENT_TYPE, errors.ai.RESULT_INVALID],
  [errors.aiWorker.CANCELLED, errors.ai.CANCELLED],
  [errors.aiWorker.POOL_CLOSED, errors.ai.CANCELLED],
];

export function toExecutorError(error: unknown): unknown {
  if (!isLpxError(error)) return error;
  const target = MAP.find(([from]) => from.is(error))?.[1];
  if (target === undefined) return error;
  return target.create(error.message, { cause: error, details: { ...error.details, workerCode: error.code } });
}
