/**
 * The calls the orchestrator makes to a stream app (go-livepeer's
 * createWorkerReq): `POST {app}/stream/start|params|stop` with `X-Stream-Id`
 * (for a reverse proxy in front of several workers) and, when the app has a
 * token, `Authorization: Bearer <token>`, within the request's timeout.
 */
export const STREAM_ID_HEADER = 'X-Stream-Id';

export interface AppTarget {
  /** The instance's base URL, fixed for the stream's life. */
  readonly url: string;
  readonly token?: string;
}

export interface AppAnswer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

/** Resolves with whatever the app answered (any status); rejects on a transport error or the timeout. */
export async function callApp(
  target: AppTarget,
  path: '/stream/start' | '/stream/params' | '/stream/stop',
  input: { readonly streamId: string; readonly body?: Buffer | string; readonly contentType?: string; readonly timeoutMs: number },
): Promise<AppAnswer> {
  const headers: Record<string, string> = { [STREAM_ID_HEADER]: input.streamId };
  if (input.contentType !== undefined && input.contentType !== '') headers['content-type'] = input.contentType;
  if (target.token !== undefined && target.token !== '') headers['authorization'] = `Bearer ${target.token}`;
  const response = await fetch(`${target.url.replace(/\/+$/, '')}${path}`, {
    method: 'POST',
    headers,
    ...(input.body !== undefined ? { body: input.body } : {}),
    signal: AbortSignal.timeout(Math.max(1, input.timeoutMs)),
  });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, contentType: response.headers.get('content-type') ?? undefined, body };
}
