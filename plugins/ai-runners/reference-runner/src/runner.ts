import { access } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunnerHealth } from './health.js';
import { RUNNER_PIPELINES } from './pipelines/index.js';
import { createRunnerServer } from './server.js';

/** The runner's own version (the image tag's first part, `/version` unless VERSION says otherwise). */
export const REFERENCE_RUNNER_VERSION = '0.1.0';

export interface RunningRunner {
  readonly url: string;
  readonly health: RunnerHealth;
  /** Settles when loading ended (ready or failed). */
  readonly loaded: Promise<void>;
  close(): Promise<void>;
}

/** Refused configuration (the real runner raises EnvironmentError at start). */
export class RunnerConfigError extends Error {
  override name = 'RunnerConfigError';
}

async function waitForGate(path: string): Promise<void> {
  for (;;) {
    try {
      await access(path);
      return;
    } catch {
      await sleep(100);
    }
  }
}

/**
 * Starts the runner from ai-runner's environment: PIPELINE and MODEL_ID
 * (required), HOST/PORT (0.0.0.0:8000), AUTH_TOKEN, VERSION, and two of its
 * own: MAX_BODY_BYTES, and LPX_REFERENCE_LOAD_GATE, a path loading waits for
 * (lets tests hold a runner in LOADING as long as they need).
 */
export async function startReferenceRunner(env: Readonly<Record<string, string | undefined>>, log: (line: string) => void = (l) => console.log(l)): Promise<RunningRunner> {
  const pipelineName = env.PIPELINE ?? '';
  const modelId = env.MODEL_ID ?? '';
  if (!pipelineName || !modelId) throw new RunnerConfigError('Pipeline must be provided or set through the PIPELINE and MODEL_ID environment variables');
  const pipeline = RUNNER_PIPELINES[pipelineName];
  if (!pipeline) throw new RunnerConfigError(`${pipelineName} is not a valid pipeline for model ${modelId}`);
  const { server, health } = createRunnerServer({
    pipeline,
    modelId,
    version: env.VERSION ?? REFERENCE_RUNNER_VERSION,
    maxBodyBytes: Number(env.MAX_BODY_BYTES ?? 128 * 1024 * 1024),
    log,
    ...(env.AUTH_TOKEN ? { authToken: env.AUTH_TOKEN } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(env.PORT ?? 8000), env.HOST ?? '0.0.0.0', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  log(`lpx reference runner ${REFERENCE_RUNNER_VERSION}: ${pipelineName} (${modelId}, engine ${pipeline.engine}) on ${host}:${address.port}, loading`);
  const started = Date.now();
  const loaded = (async () => {
    try {
      if (env.LPX_REFERENCE_LOAD_GATE) await waitForGate(env.LPX_REFERENCE_LOAD_GATE);
      await pipeline.load(modelId);
      health.ready();
      log(`loaded in ${Date.now() - started} ms`);
    } catch (error) {
      health.failed((error as Error).message);
      log(`loading failed: ${(error as Error).message}`);
    }
  })();
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`,
    health,
    loaded,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
