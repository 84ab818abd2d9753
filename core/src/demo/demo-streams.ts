/**
 * The demo's BYOC stream: the example stream worker (examples/byoc-stream-echo)
 * registered with orchestrator 1 over /capability/register with its secret,
 * one stream started through the gateway's /process/stream/* (ADR 0048), a few
 * segments ingested and read back from `out` echoed with the worker's header
 * line, then stopped. Dev tooling: the worker runs inside the demo's process.
 */
import { startEchoWorker } from '../../../examples/byoc-stream-echo/src/index.js';

export interface DemoStreamsResult {
  /** Streams whose every segment came back echoed and that stopped cleanly, of those started. */
  readonly streams: number;
  readonly streamsSent: number;
}

const CAPABILITY = 'stream-echo';

function livepeerHeader(request: string, parameters: string): string {
  return Buffer.from(JSON.stringify({ request, parameters, capability: CAPABILITY, timeout_seconds: 30 })).toString('base64');
}

export async function runDemoStreams(gatewayUrl: string, apiKey: string | undefined, orchestrator: { readonly serviceUri: string; readonly secret: string }, log: (line: string) => void, segments = 3): Promise<DemoStreamsResult> {
  const auth: Record<string, string> = apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` };
  const fail = (what: string) => {
    log(`BYOC stream failed: ${what}`);
    return { streams: 0, streamsSent: 1 };
  };
  let worker;
  try {
    worker = await startEchoWorker({ orchestrator: orchestrator.serviceUri, secret: orchestrator.secret, name: CAPABILITY, pricePerUnit: 1 });
  } catch (error) {
    return fail(`the example stream worker did not register: ${(error as Error).message}`);
  }
  try {
    log(`stream worker ${worker.url} registered as ${CAPABILITY} on ${orchestrator.serviceUri}`);
    const parameters = JSON.stringify({ enable_video_ingress: true, enable_video_egress: true, enable_data_output: true });
    const start = await fetch(`${gatewayUrl}/process/stream/start`, {
      method: 'POST',
      headers: { ...auth, livepeer: livepeerHeader('{}', parameters), 'content-type': 'application/json' },
      body: JSON.stringify({ stream_name: 'demo', params: JSON.stringify({ label: 'demo' }) }),
      signal: AbortSignal.timeout(60_000),
    });
    const started = (await start.json()) as { stream_id?: string; ingest_url?: string; out_url?: string; stop_url?: string; status_url?: string; detail?: string };
    if (start.status !== 200 || started.ingest_url === undefined || started.out_url === undefined || started.stop_url === undefined) return fail(`start: HTTP ${start.status} ${started.detail ?? ''}`);
    let echoed = 0;
    for (let seq = 0; seq < segments; seq++) {
      const out = fetch(`${started.out_url}?seq=${seq}`, { headers: auth, signal: AbortSignal.timeout(30_000) }).then((r) => r.text());
      const ingest = await fetch(started.ingest_url, { method: 'POST', headers: { ...auth, 'content-type': 'video/mp2t' }, body: `demo segment ${seq}`, signal: AbortSignal.timeout(30_000) });
      await ingest.body?.cancel();
      const text = await out;
      if (ingest.status === 200 && text === `echo seq=${seq} params={"label":"demo"}\ndemo segment ${seq}`) echoed++;
      else log(`stream segment ${seq}: ingest HTTP ${ingest.status}, out ${JSON.stringify(text.slice(0, 120))}`);
    }
    const status = (await (await fetch(started.status_url!, { headers: auth })).json()) as { orchestrator?: string; charged_wei?: string; tickets_sent?: number };
    const stop = await fetch(started.stop_url, { method: 'POST', headers: auth, body: 'demo done', signal: AbortSignal.timeout(30_000) });
    log(`stream ${started.stream_id}: ${echoed}/${segments} segments came back from out echoed by the worker on ${status.orchestrator}; ${status.tickets_sent} ticket(s), ${status.charged_wei} wei charged; stop HTTP ${stop.status}`);
    return { streams: echoed === segments && stop.status === 204 ? 1 : 0, streamsSent: 1 };
  } catch (error) {
    return fail((error as Error).message);
  } finally {
    await worker.close();
  }
}
