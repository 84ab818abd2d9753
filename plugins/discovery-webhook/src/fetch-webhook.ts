import { discoveryErrors } from './discovery-errors.js';

export interface FetchWebhookOptions {
  readonly timeoutMs: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Aborts the request early (shutdown). */
  readonly signal: AbortSignal;
}

/** GET the webhook; anything but a 2xx body within the timeout is a coded error. */
export async function fetchWebhookBody(url: string, options: FetchWebhookOptions): Promise<string> {
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, { method: 'GET', headers: { accept: 'application/json', ...options.headers }, signal, redirect: 'follow' });
    // Read the body under the same deadline: a server that stalls mid-body must not hang discovery.
    body = await response.text();
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    const reason = timedOut ? `no answer within ${options.timeoutMs} ms` : String((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
    throw discoveryErrors.WEBHOOK_UNREACHABLE.create(`discovery webhook ${url}: ${reason}`, { cause: error });
  }
  if (response.status < 200 || response.status >= 300) {
    throw discoveryErrors.WEBHOOK_STATUS.create(`discovery webhook ${url} returned HTTP ${response.status}`, { details: { status: response.status } });
  }
  return body;
}
