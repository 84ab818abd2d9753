import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The runner's sources (plugins/ai-runners/reference-runner). */
export const RUNNER_SOURCE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'reference-runner');

export interface RunnerBundle {
  /** One ES module for Node 18, no imports but node: built-ins. */
  readonly code: string;
  readonly sha256: string;
}

/**
 * Bundles the runner into one file for Debian's Node 18 in the image. The
 * working directory is the runner's own, so the path comments esbuild writes
 * (and so the content hash, and the image tag) do not depend on where the
 * repository is checked out.
 */
export async function bundleRunner(): Promise<RunnerBundle> {
  const result = await build({
    absWorkingDir: RUNNER_SOURCE_DIR,
    entryPoints: ['src/main.ts'],
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'esm',
    write: false,
    outfile: 'runner.mjs',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  return { code, sha256: createHash('sha256').update(code).digest('hex') };
}
