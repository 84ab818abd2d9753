import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DockerRuntime } from '../../../../plugins/runtime-docker/src/index.js';
import type { Teardownable } from '../../../helpers/docker.js';

export interface RunnerContainer {
  readonly id: string;
  readonly url: string;
  /** From start() to /health leaving LOADING. */
  readonly coldStartMs: number;
  readonly health: string;
}

/**
 * fetch with a deadline held by a ref'd timer: right after a container
 * starts, the engine's port proxy may accept a connection and sit on it, and
 * Node's fetch holds no ref'd handle meanwhile, so a bare fetch can let the
 * test process drain its event loop and end mid-test.
 */
export async function fetchBounded(url: string, init: RequestInit = {}, timeoutMs = 120_000): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`${url}: no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    const res = await fetch(url, { ...init, signal: controller.signal });
    // The body is read under the same deadline.
    const body = await res.arrayBuffer();
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  } finally {
    clearTimeout(timer);
  }
}

const CONTEXT = { ownerId: 'lpx-test-reference-runner', pluginId: 'ai-runners', specHash: 'test' };

/** A reference runner container for one pipeline, published on an ephemeral 127.0.0.1 port, removed at teardown. */
export async function startRunnerContainer(t: Teardownable, runtime: DockerRuntime, image: string, env: Record<string, string>): Promise<RunnerContainer> {
  const created = await runtime.create(
    { name: `lpx-ref-${(env['PIPELINE'] ?? 'none').replace(/[^a-z0-9]/g, '')}-${randomBytes(4).toString('hex')}`, image, env, ports: [{ containerPort: 8000 }], memoryBytes: 1024 * 1024 * 1024 },
    CONTEXT,
  );
  t.teardown(() => runtime.remove(created.id, { force: true }));
  const started = Date.now();
  const info = await runtime.start(created.id);
  const port = info.ports.find((p) => p.containerPort === 8000)?.hostPort;
  if (!port) throw new Error(`no published port: ${JSON.stringify(info.ports)}`);
  const url = `http://127.0.0.1:${port}`;
  // Until /health answers something other than LOADING (or the container dies).
  for (;;) {
    const status = await fetchBounded(`${url}/health`, {}, 2_000)
      .then(async (r) => ((await r.json()) as { status: string }).status)
      .catch(() => undefined);
    if (status !== undefined && status !== 'LOADING') return { id: created.id, url, coldStartMs: Date.now() - started, health: status };
    const now = await runtime.inspect(created.id);
    if (now?.state === 'exited' || now?.state === 'dead') throw new Error(`runner exited (${now.exitCode ?? '?'}): ${await runtime.logs(created.id, { tail: 20 })}`);
    if (Date.now() - started > 90_000) throw new Error(`runner not ready after 90 s: ${await runtime.logs(created.id, { tail: 20 })}`);
    await sleep(100);
  }
}

export function postJson(url: string, body: unknown): Promise<Response> {
  return fetchBounded(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export function postForm(url: string, fields: Record<string, string | Blob>): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value, ...(typeof value === 'string' ? [] : ['upload']));
  return fetchBounded(url, { method: 'POST', body: form });
}

export function fromDataUrl(url: string): { mime: string; data: Buffer } {
  const match = /^data:([^;]+);base64,(.*)$/s.exec(url);
  if (!match) throw new Error(`not a data URL: ${url.slice(0, 40)}`);
  return { mime: match[1]!, data: Buffer.from(match[2]!, 'base64') };
}
