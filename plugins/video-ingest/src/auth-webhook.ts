import { errors } from '@lpx/sdk';
import { parseWebhookAnswer, type StreamSettings } from './stream-settings.js';

/**
 * go-livepeer's authenticateStream: POST `{"url": <push url>}`; 200 accepts
 * (its JSON may set the manifest id and the ladder), anything else refuses.
 * An unreachable or slow webhook is told apart from a refusal (502 vs 403)
 * so a pusher knows whether retrying can help.
 */
export async function authenticateStream(webhookUrl: string, pushUrl: string, timeoutMs: number, signal?: AbortSignal): Promise<StreamSettings | undefined> {
  const deadline = AbortSignal.timeout(timeoutMs);
  let status: number;
  let body: string;
  try {
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: pushUrl }),
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
      redirect: 'error',
    });
    status = response.status;
    body = await response.text();
  } catch (error) {
    const reason = deadline.aborted ? `no answer within ${timeoutMs} ms` : String((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
    throw errors.ingest.AUTH_WEBHOOK_FAILED.create(`auth webhook ${webhookUrl}: ${reason}`, { cause: error });
  }
  if (status !== 200) {
    throw errors.ingest.AUTH_REFUSED.create(`auth webhook refused the stream at ${pushUrl} (HTTP ${status})`, { details: { status, body: body.slice(0, 200) } });
  }
  return parseWebhookAnswer(body);
}
