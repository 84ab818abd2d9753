/**
 * `lpx plugin test [dir]`: what a partner runs before signing and
 * publishing. In order: the manifest validates; the image archive exists and
 * holds the pinned digest; the archive loads into the node's engine and the
 * container starts; the sdk's BYOC conformance suite passes against it; the
 * local-network steps (see local-network-step.ts); the project's own
 * `npm test`. Every step runs that can (a failed suite still runs the
 * partner's tests), and the report lists them all.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { validateManifest } from '@lpx/registry';
import { errors, type ByocContainer, type ContainerRuntime, type PluginManifest } from '@lpx/sdk';
import { byocAppSuite, runConformanceSuite } from '@lpx/sdk/testing';
import { defaultDockerHost, withNodeRuntime, type NodeRuntimeOptions } from '../node-runtime.js';
import { dockerSaveImages } from './docker-save-id.js';
import { localNetworkStep, skippedLocalNetwork, type LocalNetworkStep } from './local-network-step.js';

export const UNBUILT_DIGEST = `sha256:${'0'.repeat(64)}`;

export interface PluginTestStep {
  readonly name: string;
  /** `info`: context for a failure (the container's logs), not a step of its own. */
  readonly status: 'passed' | 'failed' | 'skipped' | 'info';
  readonly detail?: string;
}

export interface PluginTestOptions extends NodeRuntimeOptions {
  /** The partner's project folder (plugin.manifest.json at its root). */
  readonly dir: string;
  /** How long the container may take to pass its health check; default the manifest's startTimeoutMs, else 30 s. */
  readonly readyTimeoutMs?: number;
  /** Bound on the project's own `npm test`; default 10 min. */
  readonly ownTestsTimeoutMs?: number;
  /** false: skip the local-network step (`--no-network`). */
  readonly network?: boolean;
  /** The local-network step (default localNetworkStep). */
  readonly localNetwork?: LocalNetworkStep;
  /** Each step as it finishes (the CLI prints progress). */
  readonly onStep?: (step: PluginTestStep) => void;
}

/** Runs every step; never throws for a failed step (see pluginTestFailure). */
export async function runPluginTest(options: PluginTestOptions): Promise<PluginTestStep[]> {
  const dir = resolve(options.dir);
  const steps: PluginTestStep[] = [];
  const record = (step: PluginTestStep): PluginTestStep => {
    steps.push(step);
    options.onStep?.(step);
    return step;
  };
  const attempt = async (name: string, body: () => Promise<string | undefined>): Promise<boolean> => {
    try {
      const detail = await body();
      return record({ name, status: 'passed', ...(detail ? { detail } : {}) }).status === 'passed';
    } catch (error) {
      record({ name, status: 'failed', detail: (error as Error).message });
      return false;
    }
  };

  let manifest: PluginManifest | undefined;
  await attempt('manifest', async () => {
    const file = join(dir, 'plugin.manifest.json');
    const text = await readFile(file, 'utf8').catch((error: Error) => {
      throw new Error(`cannot read ${file}: ${error.message}`);
    });
    manifest = validateManifest(JSON.parse(text) as unknown, { source: file });
    if (manifest.byoc === undefined) throw new Error(`${file} has no "byoc" section: not a BYOC plugin`);
    return `${manifest.id}@${manifest.version}, app ${manifest.byoc.name} (${manifest.byoc.mode})`;
  });
  const spec = manifest?.byoc;
  // The engine the container ran on: the project's own tests use it too (the image was just loaded there).
  let engine: string | undefined = options.config === undefined ? options.dockerHost : undefined;
  const container = spec?.container;

  let archiveOk = false;
  if (container === undefined) record({ name: 'image archive', status: 'skipped', detail: spec?.external ? 'an external app has no image' : 'no valid manifest' });
  else archiveOk = await attempt('image archive', () => checkArchive(dir, container));

  // An external app is already running where its manifest says: no engine needed.
  if (manifest !== undefined && spec?.external !== undefined) await runSuite(manifest, spec.external.url);
  if (manifest !== undefined && spec !== undefined && archiveOk) {
    const app = manifest;
    try {
      await withNodeRuntime(options, async ({ runtime, ownerId, dockerHost }) => {
        engine = dockerHost ?? engine;
        const loaded = await attempt('image loads into the node', () => loadImage(runtime, dir, container!));
        if (!loaded) return;
        const name = `lpx-plugin-test-${app.id}-${randomBytes(3).toString('hex')}`;
        let id: string | undefined;
        try {
          let baseUrl = '';
          const started = await attempt('container starts', async () => {
            const created = await runtime.create(
              {
                name,
                image: container!.image,
                ports: [{ containerPort: container!.port }],
                ...(container!.env ? { env: container!.env } : {}),
                ...(container!.command ? { command: container!.command } : {}),
                ...(spec.resources?.memoryBytes ? { memoryBytes: spec.resources.memoryBytes } : {}),
                labels: { 'io.lpx.plugin-test': app.id },
              },
              { ownerId, pluginId: app.id, specHash: 'plugin-test' },
            );
            id = created.id;
            const info = await runtime.start(created.id);
            const port = info.ports.find((p) => p.containerPort === container!.port);
            if (port === undefined) throw new Error(`container ${name} publishes no port for ${container!.port}`);
            baseUrl = `http://127.0.0.1:${port.hostPort}`;
            return `${name} at ${baseUrl}`;
          });
          if (started && !(await runSuite(app, baseUrl)) && id !== undefined) {
            const logs = await runtime.logs(id, { tail: 20 }).catch(() => '');
            if (logs.trim() !== '') record({ name: 'container logs (last 20 lines)', status: 'info', detail: logs.trimEnd() });
          }
        } finally {
          if (id !== undefined) await runtime.remove(id, { force: true }).catch(() => undefined);
        }
      });
    } catch (error) {
      record({ name: 'container runtime', status: 'failed', detail: (error as Error).message });
    }
  }

  async function runSuite(app: PluginManifest, baseUrl: string): Promise<boolean> {
    const report = await runConformanceSuite(byocAppSuite(options.readyTimeoutMs !== undefined ? { readyTimeoutMs: options.readyTimeoutMs } : {}), () => ({ manifest: app, baseUrl }));
    for (const passed of report.passed) record({ name: `conformance: ${passed}`, status: 'passed' });
    for (const failed of report.failed) record({ name: `conformance: ${failed.name}`, status: 'failed', detail: failed.error });
    return report.failed.length === 0;
  }

  if (manifest === undefined) record(skippedLocalNetwork('no valid manifest'));
  else if (options.network === false) record(skippedLocalNetwork('--no-network'));
  else if (container !== undefined && !archiveOk) record(skippedLocalNetwork('the image archive did not pass'));
  else {
    const dockerHost = engine ?? (options.config === undefined ? defaultDockerHost() : undefined);
    const network = options.localNetwork ?? localNetworkStep;
    for (const step of await network({ dir, manifest, dockerHost, ...(options.readyTimeoutMs !== undefined ? { readyTimeoutMs: options.readyTimeoutMs } : {}) })) record(step);
  }

  await ownTests(dir, engine, options.ownTestsTimeoutMs, record, attempt);
  return steps;
}

/** PLUGIN_TEST_FAILED naming every failed step, or undefined when none failed. */
export function pluginTestFailure(dir: string, steps: readonly PluginTestStep[]) {
  const failed = steps.filter((s) => s.status === 'failed');
  if (failed.length === 0) return undefined;
  return errors.byoc.PLUGIN_TEST_FAILED.create(`${failed.length} of ${steps.length} steps failed in ${resolve(dir)}: ${failed.map((s) => s.name).join('; ')}`, {
    details: { failures: failed.map((s) => ({ step: s.name, detail: s.detail ?? '' })) },
  });
}

async function checkArchive(dir: string, container: ByocContainer): Promise<string> {
  if (container.archive === undefined) throw new Error('byoc.container.archive is not set: the plugin package must carry its image (npm run build:image writes image/app.tar)');
  if (container.digest === UNBUILT_DIGEST) throw new Error('byoc.container.digest is still the placeholder: run npm run build:image');
  const path = resolve(dir, container.archive);
  const file = await stat(path).catch(() => undefined);
  if (file === undefined || !file.isFile()) throw new Error(`${container.archive} does not exist: run npm run build:image`);
  let images;
  try {
    images = await dockerSaveImages(path);
  } catch (error) {
    throw new Error(`${container.archive} is not a readable docker save archive: ${(error as Error).message}`);
  }
  const image = images.find((i) => i.repoTags.includes(container.image));
  if (image === undefined) throw new Error(`${container.archive} holds no image tagged ${container.image} (it has ${images.flatMap((i) => i.repoTags).join(', ') || 'untagged images'})`);
  if (image.id !== container.digest) throw errors.byoc.IMAGE_DIGEST_MISMATCH.create(`${container.archive} holds ${container.image} as ${image.id}, but the manifest pins ${container.digest}: run npm run build:image again`);
  return `${container.archive}: ${container.image} is ${image.id}`;
}

/** Loads the archive; an image of that name with another id (an older build) is replaced, so what runs is what ships. */
async function loadImage(runtime: ContainerRuntime, dir: string, container: ByocContainer): Promise<string> {
  const present = await runtime.inspectImage(container.image);
  if (present !== undefined && present.id !== container.digest) await runtime.removeImage(container.image);
  const info = await runtime.ensureImage({ ref: container.image, source: { kind: 'load', tarPath: resolve(dir, container.archive!) } });
  if (info.id !== container.digest) throw errors.byoc.IMAGE_DIGEST_MISMATCH.create(`the node's engine has ${container.image} as ${info.id}, not the pinned ${container.digest}`);
  return `${container.image} ${info.id}`;
}

async function ownTests(
  dir: string,
  engine: string | undefined,
  timeoutMs: number | undefined,
  record: (step: PluginTestStep) => PluginTestStep,
  attempt: (name: string, body: () => Promise<string | undefined>) => Promise<boolean>,
): Promise<void> {
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8').catch(() => '{}')) as { scripts?: Record<string, string> };
  if (pkg.scripts?.['test'] === undefined) {
    record({ name: 'own tests (npm test)', status: 'skipped', detail: 'package.json has no test script' });
    return;
  }
  await attempt('own tests (npm test)', async () => {
    // The project's tests use the docker CLI: point it at the engine the node used.
    const env = { ...process.env, ...(engine !== undefined ? { DOCKER_HOST: engine } : {}) };
    const { code, output } = await run('npm', ['test'], dir, env, timeoutMs ?? 600_000);
    const tail = output.trimEnd().split('\n').slice(-20).join('\n');
    if (code !== 0) throw new Error(`npm test exited ${code}:\n${tail}`);
    return undefined;
  });
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-64_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 128 : 1), output: signal === 'SIGKILL' ? `${output}\n(killed after ${timeoutMs} ms)` : output });
    });
  });
}
