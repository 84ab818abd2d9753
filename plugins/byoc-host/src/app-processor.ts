import { byocCapabilityId, errors, type CapabilityJobRequest, type CapabilityJobResponse, type JobProcessor } from '@lpx/sdk';
import type { HostedApps } from './hosted-apps.js';
import { streamLines } from './sse-lines.js';

/** Aborted by our own deadline or the worker closing: not the worker's fault (go-livepeer keeps the capability then). */
function aborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

/**
 * The BullMQ processor for `byoc/<name>`: go-livepeer's orchestrator step 4 —
 * POST the body to `{app url}/{subpath}` with the client's content type (and
 * `Authorization: Bearer <token>` when the app has one) within the job's
 * timeout, and hand back status, type and body — or, for a `text/event-stream`
 * answer, its lines through the job's stream as they come. An external worker that
 * fails at the transport level or answers 401 is removed (go-livepeer), so
 * it must register again.
 */
export function appProcessor(name: string, apps: HostedApps): JobProcessor<CapabilityJobRequest, CapabilityJobResponse> {
  return async (job) => {
    const app = apps.get(name);
    if (app === undefined || !app.ready) throw errors.byoc.CAPABILITY_UNKNOWN.create(`no ready app serves ${byocCapabilityId(name)}`, { details: { app: name } });
    const { subpath, contentType, timeoutMs } = job.data;
    const signal = AbortSignal.any([job.signal, AbortSignal.timeout(Math.max(1, timeoutMs))]);
    const base = app.pick?.() ?? app.url;
    const url = `${base.replace(/\/+$/, '')}/${subpath.replace(/^\/+/, '')}`;
    const headers: Record<string, string> = {};
    if (contentType !== '') headers['content-type'] = contentType;
    if (app.token !== undefined && app.token !== '') headers['authorization'] = `Bearer ${app.token}`;
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body: Buffer.from(job.data.body, 'base64'), signal });
    } catch (error) {
      if (app.external && !aborted(signal)) apps.remove(name, `transport error: ${(error as Error).message}`);
      throw errors.byoc.WORKER_FAILED.create(`app ${name}: ${aborted(signal) ? `no answer within ${timeoutMs} ms` : `request failed: ${(error as Error).message}`}`, {
        details: { app: name },
        cause: error,
      });
    }
    if (response.status === 401 && app.external) {
      await response.body?.cancel();
      apps.remove(name, 'the worker answered 401 (its token changed: it must register again)');
      throw errors.byoc.WORKER_FAILED.create(`app ${name}: worker auth token failed`, { details: { app: name } });
    }
    const type = response.headers.get('content-type') ?? 'application/octet-stream';
    if (type.includes('text/event-stream') && job.stream !== undefined) {
      try {
        await streamLines(response.body, job.stream());
      } catch (error) {
        throw errors.byoc.WORKER_FAILED.create(`app ${name}: its event stream broke: ${(error as Error).message}`, { details: { app: name }, cause: error });
      }
      return { status: response.status, contentType: type, body: '', streamed: true };
    }
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, contentType: response.headers.get('content-type') ?? 'application/octet-stream', body: body.toString('base64') };
  };
}
