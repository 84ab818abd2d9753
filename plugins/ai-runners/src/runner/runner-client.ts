import type { AIRunnerEndpoint } from '@lpx/sdk';

/** ai-runner's `/health` states. */
export type RunnerHealthStatus = 'OK' | 'IDLE' | 'LOADING' | 'ERROR';

export type HealthResult = { readonly ok: true; readonly status: RunnerHealthStatus } | { readonly ok: false; readonly reason: string };

export interface RunnerVersion {
  readonly pipeline?: string;
  readonly model_id?: string;
  readonly version: string;
}

const STATUSES: readonly string[] = ['OK', 'IDLE', 'LOADING', 'ERROR'];

function headers(endpoint: AIRunnerEndpoint): Record<string, string> {
  return endpoint.token ? { authorization: `Bearer ${endpoint.token}` } : {};
}

async function getJson(endpoint: AIRunnerEndpoint, path: string, timeoutMs: number, signal?: AbortSignal): Promise<{ status: number; body: unknown }> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const response = await fetch(`${endpoint.baseUrl}${path}`, { headers: headers(endpoint), signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

/** One `/health` call: a non-200, an unknown status or no answer in time is a failure with a reason. */
export async function checkHealth(endpoint: AIRunnerEndpoint, timeoutMs: number, signal?: AbortSignal): Promise<HealthResult> {
  try {
    const { status, body } = await getJson(endpoint, '/health', timeoutMs, signal);
    if (status !== 200) return { ok: false, reason: `/health answered HTTP ${status}` };
    const value = (body as { status?: unknown } | null)?.status;
    if (typeof value !== 'string' || !STATUSES.includes(value)) return { ok: false, reason: `/health answered an unknown status ${JSON.stringify(value)}` };
    return { ok: true, status: value as RunnerHealthStatus };
  } catch (cause) {
    const error = cause as Error;
    return { ok: false, reason: error.name === 'TimeoutError' ? `/health did not answer within ${timeoutMs} ms` : `/health failed: ${describeFetchError(error)}` };
  }
}

/** `/hardware/info`; undefined when the runner has none (go-livepeer keeps going without it too). */
export async function readHardwareInfo(endpoint: AIRunnerEndpoint, timeoutMs: number): Promise<Record<string, unknown> | undefined> {
  try {
    const { status, body } = await getJson(endpoint, '/hardware/info', timeoutMs);
    return status === 200 && typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `/version`; go-livepeer falls back to 0.0.0 when a runner does not say. */
export async function readVersion(endpoint: AIRunnerEndpoint, timeoutMs: number): Promise<RunnerVersion> {
  try {
    const { status, body } = await getJson(endpoint, '/version', timeoutMs);
    const version = (body as { version?: unknown } | null)?.version;
    if (status === 200 && typeof version === 'string' && version !== '') return body as RunnerVersion;
  } catch {
    // fall through to the default
  }
  return { version: '0.0.0' };
}

export function describeFetchError(error: Error): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}
