/**
 * The reference AI runner image, from the command line:
 *   node --import tsx scripts/build-reference-runner-image.ts            # into DOCKER_HOST (or /var/run/docker.sock)
 *   node --import tsx scripts/build-reference-runner-image.ts --rootfs   # only the cached Debian rootfs tarball (tap's before script)
 * Prints the timings as JSON on the last line.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { rootfsTarballPath } from '../plugins/ai-runners/src/reference-image/cache-paths.js';

const progress = (line: string): void => {
  if (process.env['LPX_VERBOSE'] === '1') process.stderr.write(`${line}\n`);
};

if (process.argv.includes('--rootfs') && existsSync(rootfsTarballPath())) {
  process.stdout.write(`${JSON.stringify({ path: rootfsTarballPath(), cached: true })}\n`);
} else if (process.argv.includes('--rootfs')) {
  const { ensureRootfsTarball } = await import('../plugins/ai-runners/src/reference-image/rootfs-cache.js');
  const tarball = await ensureRootfsTarball({ onProgress: progress });
  process.stdout.write(`${JSON.stringify(tarball)}\n`);
} else {
  // Loaded only here: the --rootfs path (tap's before script, every run) stays quick.
  const { buildReferenceRunnerImage } = await import('../plugins/ai-runners/src/reference-image/index.js');
  const { createDockerRuntime } = await import('../plugins/runtime-docker/src/index.js');
  const runtime = createDockerRuntime({ host: process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock', dataDir: await mkdtemp(join(tmpdir(), 'lpx-image-build-')) });
  const status = await runtime.probe(AbortSignal.timeout(60_000));
  if (!status.available) throw new Error(`no docker engine: ${status.reason ?? 'unknown'}`);
  try {
    const built = await buildReferenceRunnerImage(runtime, { onProgress: progress });
    process.stdout.write(`${JSON.stringify({ ref: built.ref, sizeBytes: built.image.sizeBytes, timings: built.timings, rootfsTarBytes: built.rootfsTarBytes })}\n`);
  } finally {
    await runtime.close();
  }
}
