/**
 * The `lpx plugin test` step that runs the plugin the way an operator's
 * network will (ADR 0045): the partner folder published to a throwaway local
 * registry; an orchestrator that installs it from there by version next to
 * byoc-host, trickle, live-runner and byoc-live-runner on the same engine the
 * rest of the test used; a gateway whose discovery-static points at it. Then
 * one job for `byoc/<name>` through the gateway's /v1/jobs and one Live
 * Runner call through the orchestrator's /apps/<name>/…, each its own step.
 * Offchain (no chain, no tickets): the point is the wiring a partner can
 * break — install, hosting, routing — and a dev chain would triple the time.
 * Everything is torn down whatever happened: nodes stopped (byoc-host removes
 * its containers), ports closed, temp dirs removed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishToLocalRegistry } from '@lpx/registry';
import type { PluginManifest } from '@lpx/sdk';
import { byocExampleInput } from '@lpx/sdk/testing';
import { Agent, request } from 'undici';
import { Host } from '../../boot/host.js';
import { loadConfig } from '../../config/load-config.js';
import type { PluginTestStep } from './plugin-test.js';

export interface LocalNetworkContext {
  /** The partner's project folder. */
  readonly dir: string;
  readonly manifest: PluginManifest;
  /** The engine the rest of the test used (DOCKER_HOST form); the orchestrator hosts the app there too. */
  readonly dockerHost: string | undefined;
  /** How long the app may take to become ready; default the manifest's startTimeoutMs, else 120 s. */
  readonly readyTimeoutMs?: number;
}

export type LocalNetworkStep = (context: LocalNetworkContext) => Promise<PluginTestStep[]>;

export const LOCAL_NETWORK_STEP_PREFIX = 'local network';

/** `--no-network`, or nothing to run: one skipped step saying why. */
export function skippedLocalNetwork(detail: string): PluginTestStep {
  return { name: `${LOCAL_NETWORK_STEP_PREFIX}: gateway and orchestrator`, status: 'skipped', detail };
}

const require = createRequire(import.meta.url);
const insecure = new Agent({ connect: { rejectUnauthorized: false } });

interface Answer {
  readonly status: number;
  readonly text: string;
}

async function call(url: string, init: { method?: 'GET' | 'POST'; body?: unknown; timeoutMs?: number } = {}): Promise<Answer> {
  const res = await request(url, {
    method: init.method ?? 'GET',
    dispatcher: insecure,
    headersTimeout: init.timeoutMs ?? 60_000,
    bodyTimeout: init.timeoutMs ?? 60_000,
    ...(init.body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.statusCode, text: await res.body.text() };
}

function bootNode(dataDir: string, raw: Record<string, unknown>): Host {
  // Silent: the CLI's stdout is the report (JSON with --json); what went wrong is in the step's detail.
  // REDIS_URL, when set, is shared: each node keeps its queues under a prefix of its own.
  const prefix = `{lpx-plugin-test-${randomBytes(4).toString('hex')}}`;
  const redis = process.env['REDIS_URL'] !== undefined ? { url: process.env['REDIS_URL'], prefix } : { prefix };
  return new Host({ config: loadConfig({ raw: { log: { level: 'silent' }, http: { host: '127.0.0.1', port: 0 }, redis, ...raw, node: { ...(raw['node'] as object), dataDir } }, env: {} }) });
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface DiscoveredRunner {
  readonly app: string;
  readonly url: string;
  readonly mode: string;
}

export const localNetworkStep: LocalNetworkStep = async ({ dir, manifest, dockerHost, readyTimeoutMs }) => {
  const spec = manifest.byoc!;
  const name = spec.name;
  const capability = `byoc/${name}`;
  const steps: PluginTestStep[] = [];
  const step = async (title: string, body: () => Promise<string>): Promise<boolean> => {
    try {
      steps.push({ name: `${LOCAL_NETWORK_STEP_PREFIX}: ${title}`, status: 'passed', detail: await body() });
      return true;
    } catch (error) {
      steps.push({ name: `${LOCAL_NETWORK_STEP_PREFIX}: ${title}`, status: 'failed', detail: (error as Error).message });
      return false;
    }
  };
  if (spec.container === undefined) return [skippedLocalNetwork('an external app is not hosted by the local orchestrator')];
  if (dockerHost === undefined) return [skippedLocalNetwork("the node's container runtime is not docker")];

  const scratch = await mkdtemp(join(tmpdir(), 'lpx-plugin-test-net-'));
  const hosts: Host[] = [];
  try {
    const registry = join(scratch, 'registry');
    let orchestratorUri = '';
    let gatewayUrl = '';
    let runner: DiscoveredRunner | undefined;
    const readyMs = readyTimeoutMs ?? spec.health?.startTimeoutMs ?? 120_000;
    const booted = await step('orchestrator installs the plugin from a local registry and hosts the app', async () => {
      await publishToLocalRegistry(registry, dir);
      const orchestrator = bootNode(join(scratch, 'orchestrator'), {
        node: { name: 'plugin-test-orchestrator', roles: ['orchestrator', 'worker'] },
        orchestrator: { host: '127.0.0.1', port: 0, secret: randomBytes(16).toString('hex') },
        registry: { dir: registry },
        plugins: {
          'runtime-docker': { module: require.resolve('@lpx/plugin-runtime-docker'), config: { host: dockerHost } },
          'byoc-host': { module: require.resolve('@lpx/plugin-byoc-host'), config: { startTimeoutMs: readyMs } },
          trickle: { module: require.resolve('@lpx/plugin-trickle') },
          'live-runner': { module: require.resolve('@lpx/plugin-live-runner') },
          'byoc-live-runner': { module: require.resolve('@lpx/plugin-byoc-live-runner') },
          [manifest.id]: { version: manifest.version },
        },
      });
      hosts.push(orchestrator);
      await orchestrator.start();
      orchestratorUri = orchestrator.serviceUri!;
      // byoc-live-runner lists the app once byoc-host has it running and healthy.
      runner = await until(
        async () => {
          const nodes = JSON.parse((await call(`${orchestratorUri}/discovery`)).text) as { runners?: DiscoveredRunner[] }[];
          return nodes[0]?.runners?.find((r) => r.app === capability);
        },
        `${capability} to be ready on the orchestrator`,
        readyMs + 30_000,
      );
      const gateway = bootNode(join(scratch, 'gateway'), {
        node: { name: 'plugin-test-gateway', roles: ['gateway'] },
        plugins: { 'discovery-static': { module: require.resolve('@lpx/plugin-discovery-static'), config: { orchAddr: [orchestratorUri] } } },
      });
      hosts.push(gateway);
      await gateway.start();
      gatewayUrl = gateway.url!;
      return `${manifest.id}@${manifest.version} from ${registry}; orchestrator ${orchestratorUri}, gateway ${gatewayUrl}`;
    });
    if (!booted || runner === undefined) return steps;

    const example = byocExampleInput(spec.inputSchema);
    await step(`a job for ${capability} through the gateway`, async () => {
      const answer = await call(`${gatewayUrl}/v1/jobs/${capability}`, { method: 'POST', body: example, timeoutMs: readyMs + 60_000 });
      if (answer.status < 200 || answer.status >= 300) throw new Error(`POST /v1/jobs/${capability} ${JSON.stringify(example)} answered ${answer.status}: ${problemText(answer.text)}`);
      return `${answer.status}: ${answer.text.slice(0, 200)}`;
    });
    await step(`a Live Runner call at /apps/${name}/ (${runner.mode})`, () => liveRunnerCall(orchestratorUri, name, runner!, spec.mode === 'request-response' || spec.mode === 'sse' ? example : undefined));
    return steps;
  } finally {
    // Stop the gateway first (it holds connections to the orchestrator); byoc-host removes its containers on stop.
    const stopped = await Promise.allSettled(hosts.reverse().map((h) => h.stop()));
    await rm(scratch, { recursive: true, force: true });
    const failed = stopped.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) steps.push({ name: `${LOCAL_NETWORK_STEP_PREFIX}: teardown`, status: 'failed', detail: String((failed.reason as Error)?.message ?? failed.reason) });
  }
};

/** The gateway answers problem+json: its code and detail say what went wrong. */
function problemText(text: string): string {
  try {
    const problem = JSON.parse(text) as { code?: string; detail?: string };
    if (typeof problem.detail === 'string') return `${problem.code ?? 'error'}: ${problem.detail}`.slice(0, 500);
  } catch {
    // not JSON: the text as it came
  }
  return text.slice(0, 300);
}

/**
 * Single-shot apps take the request at their app URL; persistent ones open a session, are called
 * in it (when `example` is given: websocket and live-stream apps only open one), and it is stopped.
 */
async function liveRunnerCall(uri: string, name: string, runner: DiscoveredRunner, example: unknown): Promise<string> {
  if (runner.mode === 'single-shot') {
    const answer = await call(`${runner.url}/`, { method: 'POST', body: example });
    if (answer.status < 200 || answer.status >= 300) throw new Error(`POST /apps/${name}/app/ ${JSON.stringify(example)} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    return `single-shot ${answer.status}: ${answer.text.slice(0, 200)}`;
  }
  const opened = await call(`${uri}/apps/${name}/session`, { method: 'POST' });
  if (opened.status !== 200) throw new Error(`POST /apps/${name}/session answered ${opened.status}: ${opened.text.slice(0, 300)}`);
  const session = JSON.parse(opened.text) as { session_id: string; app_url: string; control_url: string };
  try {
    if (example === undefined) return `session ${session.session_id} opened at ${session.app_url}`;
    const answer = await call(`${session.app_url}/`, { method: 'POST', body: example });
    if (answer.status < 200 || answer.status >= 300) throw new Error(`POST in session ${session.session_id} ${JSON.stringify(example)} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    return `session ${session.session_id} ${answer.status}: ${answer.text.slice(0, 200)}`;
  } finally {
    await call(`${session.control_url}/stop`, { method: 'POST' }).catch(() => undefined);
  }
}
