import { errors, isLpxError, type LpxError } from '@lpx/sdk';

/** What dockerode rejects with when the engine answered an HTTP error. */
export interface EngineHttpError {
  readonly statusCode: number;
  readonly message: string;
}

export function engineHttpError(error: unknown): EngineHttpError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  if (typeof statusCode !== 'number') return undefined;
  return { statusCode, message: engineMessage(error) };
}

/** The engine's own words (`json.message`), not dockerode's "(HTTP code 404) no such container - " prefix. */
export function engineMessage(error: unknown): string {
  const json = (error as { json?: unknown } | undefined)?.json;
  if (typeof json === 'object' && json !== null && typeof (json as { message?: unknown }).message === 'string') return (json as { message: string }).message;
  if (typeof json === 'string' && json.trim() !== '') return json.trim();
  return error instanceof Error ? error.message : String(error);
}

export interface BoundedOptions {
  /** The caller's signal: aborting it rejects with its reason. */
  readonly signal?: AbortSignal;
  /** Turns an engine answer into a coded error (404 → NOT_FOUND, 409 → NAME_IN_USE...); undefined = ENGINE_ERROR. */
  readonly map?: (http: EngineHttpError) => LpxError | undefined;
}

/**
 * Runs one engine call with a deadline: the abort signal reaches dockerode
 * (which drops the request), and the race guarantees the caller gets an
 * answer even if the library never settles. A timeout or an unexpected
 * engine answer is errors.containers.ENGINE_ERROR naming the operation.
 */
export async function bounded<T>(operation: string, timeoutMs: number, run: (signal: AbortSignal) => Promise<T>, options: BoundedOptions = {}): Promise<T> {
  options.signal?.throwIfAborted();
  const controller = new AbortController();
  let timedOut = false;
  let rejectEarly: (error: unknown) => void = () => undefined;
  const early = new Promise<never>((_, reject) => { rejectEarly = reject; });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
    rejectEarly(errors.containers.ENGINE_ERROR.create(`${operation}: the engine did not answer within ${timeoutMs} ms`, { details: { operation, timeoutMs } }));
  }, timeoutMs);
  const onAbort = (): void => {
    controller.abort();
    rejectEarly(options.signal?.reason ?? new DOMException('aborted', 'AbortError'));
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([run(controller.signal), early]);
  } catch (error) {
    if (isLpxError(error)) throw error;
    if (options.signal?.aborted) throw options.signal.reason;
    if (timedOut) throw errors.containers.ENGINE_ERROR.create(`${operation}: the engine did not answer within ${timeoutMs} ms`, { details: { operation, timeoutMs } });
    const http = engineHttpError(error);
    const mapped = http === undefined ? undefined : options.map?.(http);
    if (mapped !== undefined) throw mapped;
    throw errors.containers.ENGINE_ERROR.create(`${operation}: ${http ? `engine answered ${http.statusCode}: ${http.message}` : engineMessage(error)}`, { cause: error, details: { operation, ...(http ? { status: http.statusCode } : {}) } });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    early.catch(() => undefined);
  }
}
