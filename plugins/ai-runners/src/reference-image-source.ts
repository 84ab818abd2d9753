import { errors, type ContainersService, type ImageInfo } from '@lpx/sdk';

/**
 * The built-in runner image: the reference runner, built locally by
 * `src/reference-image` (go-livepeer pulls livepeer/ai-runner images; no
 * registry is reachable here). Loaded lazily so the executor does not pay
 * for the builder unless a pipeline uses the built-in image.
 */
export async function referenceRunnerImage(containers: ContainersService, signal?: AbortSignal): Promise<ImageInfo> {
  const specifier = './reference-image/index.js';
  const builder = (await import(specifier).catch(() => undefined)) as Record<string, unknown> | undefined;
  const ensure = builder && Object.values(builder).find((v): v is (c: ContainersService, o?: unknown) => Promise<ImageInfo> => typeof v === 'function');
  if (!ensure) throw errors.ai.RUNNER_UNAVAILABLE.create('the reference runner image builder is not available');
  return ensure(containers, signal ? { signal } : undefined);
}
