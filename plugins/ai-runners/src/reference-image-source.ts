import type { ContainersService, ImageInfo } from '@lpx/sdk';

/**
 * The built-in runner image: the reference runner, built locally by
 * `src/reference-image` (go-livepeer pulls livepeer/ai-runner images; no
 * registry is reachable here). Imported on first use so a node whose
 * pipelines all have image overrides never loads the builder (esbuild).
 */
export async function referenceRunnerImage(containers: ContainersService, signal?: AbortSignal): Promise<ImageInfo> {
  const { buildReferenceRunnerImage } = await import('./reference-image/index.js');
  const built = await buildReferenceRunnerImage(containers, signal ? { signal } : {});
  return { ...built.image, ref: built.ref };
}
