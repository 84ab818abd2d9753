/**
 * The reference AI runner image on the shared test engine, for tests that
 * run runners in containers:
 *
 *   const { ref, runtime } = await referenceRunnerImage(t);
 *
 * Built once per engine (later calls find the tag: one inspect); the Debian
 * rootfs tarball comes from the cache tap's before script fills
 * (reference-rootfs-before.mjs), so this takes an import and a build at most.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReferenceRunnerImage, type ReferenceImage } from '../../plugins/ai-runners/src/reference-image/index.js';
import { createDockerRuntime, type DockerRuntime } from '../../plugins/runtime-docker/src/index.js';
import { testDocker, type Teardownable } from './docker.js';

export interface ReferenceRunnerImage extends ReferenceImage {
  /** A runtime on the shared test engine (closed at teardown). */
  readonly runtime: DockerRuntime;
}

let built: Promise<ReferenceImage> | undefined;

export async function referenceRunnerImage(t: Teardownable): Promise<ReferenceRunnerImage> {
  const { dockerHost } = await testDocker(t);
  const runtime = createDockerRuntime({ host: dockerHost, dataDir: await mkdtemp(join(tmpdir(), 'lpx-ref-runtime-')) });
  t.teardown(() => runtime.close());
  const status = await runtime.probe(AbortSignal.timeout(60_000));
  if (!status.available) throw new Error(`the test docker engine is not available: ${status.reason ?? 'unknown'}`);
  built ??= buildReferenceRunnerImage(runtime, { build: false }).catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return { ...(await built), runtime };
}
