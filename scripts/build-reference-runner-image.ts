/**
 * The reference AI runner image, from the command line:
 *   node --import tsx scripts/build-reference-runner-image.ts            # into DOCKER_HOST (or /var/run/docker.sock)
 *   node --import tsx scripts/build-reference-runner-image.ts --rootfs   # only the cached Debian rootfs tarball (tap's before script)
 * Prints the timings as JSON on the last line.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReferenceRunnerImage, ensureRootfsTarball } from '../plugins/ai-runners/src/reference-image/index.js';
import { createDockerRuntime } from '../plugins/runtime-docker/src/index.js';

const progress = (line: string): void => {
  if (process.env['LPX_VERBOSE'] === '1') process.stderr.write(`${line}\n`);
};

if (process.argv.includes('--rootfs')) {
  const tarball = await ensureRootfsTarball({ onProgress: progress });
  process.stdout.write(`${JSON.stringify(tarball)}\n`);
} else {
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
