export type HealthResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** One health call: healthy when `path` answers exactly `status` within timeoutMs. */
export async function checkHealth(baseUrl: string, path: string, status: number, timeoutMs: number): Promise<HealthResult> {
  try {
    const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status === status ? { ok: true } : { ok: false, reason: `${path} answered ${response.status}, not ${status}` };
  } catch (error) {
    return { ok: false, reason: `${path} did not answer: ${(error as Error).message}` };
  }
}
