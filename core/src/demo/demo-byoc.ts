/**
 * The demo's BYOC part: the example partner app (examples/byoc-echo-plugin,
 * hosted in a container on orchestrator 1) used two ways through the
 * gateway — a paid job on `/v1/jobs/byoc/<name>` (go-livepeer's BYOC wire
 * behind it) and one single-shot Live Runner call on
 * `/v1/apps/byoc%2F<name>/app/` (the byoc-live-runner bridge offers every
 * hosted app as a Live Runner app).
 */
export interface DemoByocResult {
  readonly byoc: number;
  readonly byocSent: number;
  readonly apps: number;
  readonly appsSent: number;
}

/**
 * Waits until the gateway offers the app: the container starts with the
 * orchestrator (image load, digest check, health) and the gateway learns
 * of it on its next discovery refresh.
 */
async function waitForApp(gatewayUrl: string, headers: Record<string, string>, capability: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const listed = (await fetch(`${gatewayUrl}/v1/apps`, { headers })
      .then((r) => r.json())
      .catch(() => ({}))) as { apps?: { app: string }[] };
    if (listed.apps?.some((a) => a.app === capability) === true) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the gateway did not offer ${capability} within ${Math.round(timeoutMs / 1000)} s (see orchestrator-1's log)`);
}

/** `capability` is the app's `byoc/<name>`. */
export async function runDemoByoc(gatewayUrl: string, apiKey: string | undefined, capability: string, log: (line: string) => void, timeoutMs = 180_000): Promise<DemoByocResult> {
  const auth: Record<string, string> = apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` };
  const post = (path: string, body: unknown) =>
    fetch(`${gatewayUrl}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
  try {
    await waitForApp(gatewayUrl, auth, capability, timeoutMs);
  } catch (error) {
    log(`${capability}: ${(error as Error).message}`);
    return { byoc: 0, byocSent: 1, apps: 0, appsSent: 1 };
  }

  let byoc = 0;
  const job = await post(`/v1/jobs/${capability}`, { text: 'hello partner' }).catch((error: Error) => error);
  const jobBody = job instanceof Error ? job.message : await job.text();
  if (!(job instanceof Error) && job.status === 200 && (JSON.parse(jobBody) as { echo?: { text?: string } }).echo?.text === 'hello partner') {
    byoc++;
    log(`${capability} paid job: ${jobBody.trim()} (from ${job.headers.get('lpx-orchestrator') ?? '?'})`);
  } else log(`${capability} paid job failed: ${job instanceof Error ? '' : `HTTP ${job.status} `}${jobBody.slice(0, 300)}`);

  let apps = 0;
  const call = await post(`/v1/apps/${encodeURIComponent(capability)}/app/`, { text: 'hello live runner' }).catch((error: Error) => error);
  const callBody = call instanceof Error ? call.message : await call.text();
  if (!(call instanceof Error) && call.status === 200 && (JSON.parse(callBody) as { echo?: { text?: string } }).echo?.text === 'hello live runner') {
    apps++;
    log(`${capability} Live Runner single-shot call: ${callBody.trim()}`);
  } else log(`${capability} Live Runner call failed: ${call instanceof Error ? '' : `HTTP ${call.status} `}${callBody.slice(0, 300)}`);
  return { byoc, byocSent: 1, apps, appsSent: 1 };
}
