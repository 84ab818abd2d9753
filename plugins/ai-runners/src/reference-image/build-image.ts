import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainersService, ImageInfo } from '@lpx/sdk';
import { bundleRunner } from './bundle.js';
import { recipeHash, REFERENCE_ROOTFS_RECIPE } from './recipe.js';
import { ensureRootfsTarball, type RootfsOptions } from './rootfs-cache.js';

/** The runner image's repository; tags are `<version>-<content hash>`. */
export const REFERENCE_RUNNER_REPO = 'lpx/ai-runner-reference';
/** The imported Debian root filesystem; tags are the recipe hash. */
export const REFERENCE_BASE_REPO = 'lpx/ai-runner-reference-base';
/** The runner's version (also `/version` in the container). */
export const REFERENCE_RUNNER_IMAGE_VERSION = '0.1.0';
/** Label on both images, naming them as lpx's reference runner. */
export const REFERENCE_RUNNER_LABEL = 'io.lpx.reference-runner';

/** What the builder needs from a container runtime: `coreServices.containers` and a bare ContainerRuntime both fit. */
export type ImageBuilderRuntime = Pick<ContainersService, 'ensureImage' | 'inspectImage'>;

export interface BuildReferenceImageOptions extends Omit<RootfsOptions, 'onProgress'> {
  readonly onProgress?: (line: string) => void;
}

export interface ReferenceImage {
  readonly ref: string;
  readonly image: ImageInfo;
  /** Set for each step this call did (absent: it was already there). */
  readonly timings: { readonly bundleMs: number; readonly rootfsMs?: number; readonly importMs?: number; readonly buildMs?: number };
  readonly rootfsTarBytes?: number;
}

function dockerfile(baseRef: string): string {
  return [
    `FROM ${baseRef}`,
    'COPY runner.mjs /opt/lpx-runner/runner.mjs',
    // ai-runner's environment: PIPELINE and MODEL_ID come from whoever starts the container.
    `ENV VERSION=${REFERENCE_RUNNER_IMAGE_VERSION} HOST=0.0.0.0 PORT=8000 LANG=C.UTF-8`,
    `LABEL ${REFERENCE_RUNNER_LABEL}="${REFERENCE_RUNNER_IMAGE_VERSION}"`,
    'EXPOSE 8000',
    'WORKDIR /tmp',
    // nobody: the runner needs no privilege, only /tmp.
    'USER 65534:65534',
    'CMD ["node", "/opt/lpx-runner/runner.mjs"]',
    '',
  ].join('\n');
}

/**
 * Makes `lpx/ai-runner-reference:<version>-<hash>` present on the engine:
 * the runner bundled with esbuild, over a Debian rootfs made by debootstrap
 * (cached as a tarball) and imported. The tag is a hash of the recipe, the
 * Dockerfile and the bundle, so an unchanged runner is found by one inspect
 * and any change gets a new tag. Works through coreServices.containers or a
 * ContainerRuntime directly (scripts, tests).
 */
export async function buildReferenceRunnerImage(runtime: ImageBuilderRuntime, options: BuildReferenceImageOptions = {}): Promise<ReferenceImage> {
  const recipe = options.recipe ?? REFERENCE_ROOTFS_RECIPE;
  const baseRef = `${REFERENCE_BASE_REPO}:${recipeHash(recipe)}`;
  let started = Date.now();
  const bundle = await bundleRunner();
  const file = dockerfile(baseRef);
  const contentHash = createHash('sha256').update(baseRef).update('\0').update(file).update('\0').update(bundle.sha256).digest('hex').slice(0, 12);
  const ref = `${REFERENCE_RUNNER_REPO}:${REFERENCE_RUNNER_IMAGE_VERSION}-${contentHash}`;
  const timings: { bundleMs: number; rootfsMs?: number; importMs?: number; buildMs?: number } = { bundleMs: Date.now() - started };
  const present = await runtime.inspectImage(ref);
  if (present) return { ref, image: present, timings };

  let rootfsTarBytes: number | undefined;
  if (!(await runtime.inspectImage(baseRef))) {
    started = Date.now();
    const tarball = await ensureRootfsTarball({ ...options, recipe });
    rootfsTarBytes = tarball.sizeBytes;
    if (tarball.builtMs !== undefined) timings.rootfsMs = Date.now() - started;
    started = Date.now();
    await runtime.ensureImage(
      { ref: baseRef, source: { kind: 'import', tarPath: tarball.path, changes: ['ENV LANG=C.UTF-8', 'CMD ["/bin/sh"]'] }, labels: { [REFERENCE_RUNNER_LABEL]: 'base' } },
      { ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
    );
    timings.importMs = Date.now() - started;
  }

  const context = await mkdtemp(join(tmpdir(), 'lpx-reference-runner-'));
  try {
    await writeFile(join(context, 'Dockerfile'), file);
    await writeFile(join(context, 'runner.mjs'), bundle.code);
    started = Date.now();
    const image = await runtime.ensureImage(
      { ref, source: { kind: 'build', contextDir: context }, labels: { [REFERENCE_RUNNER_LABEL]: REFERENCE_RUNNER_IMAGE_VERSION } },
      { ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
    );
    timings.buildMs = Date.now() - started;
    return { ref, image, timings, ...(rootfsTarBytes !== undefined ? { rootfsTarBytes } : {}) };
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
