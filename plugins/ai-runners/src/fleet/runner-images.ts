import type { AIPipelineName, ContainersService, ImageInfo, LoggerService } from '@lpx/sdk';
import { imageFor, type ImageOverrides } from '../config/plugin-config.js';

/** Makes the built-in runner image present (the reference runner, built locally) and says which it is. */
export type BuiltInImage = (containers: ContainersService, signal?: AbortSignal) => Promise<ImageInfo>;

/**
 * Which image each pipeline runs and whether it is present. go-livepeer
 * pulls missing images at start and offers no capacity for a model whose
 * image is absent; lpx cannot pull (no registry), so an override must be
 * present already, and the built-in one is built.
 */
export class RunnerImages {
  readonly #present = new Map<string, ImageInfo>();
  #builtIn: ImageInfo | undefined;

  constructor(
    private readonly containers: ContainersService,
    private readonly overrides: ImageOverrides,
    private readonly builtIn: BuiltInImage,
    private readonly logger: LoggerService,
  ) {}

  /** Image ref for the pipeline; undefined while the built-in image is not built. */
  refFor(pipeline: AIPipelineName): string | undefined {
    const builtInRef = this.#builtIn?.ref ?? '';
    const ref = imageFor(this.overrides, pipeline, builtInRef);
    return ref === '' ? undefined : ref;
  }

  /**
   * Present image for the pipeline, checking the engine again if it was
   * missing (an operator may have loaded it since), or always with `refresh`
   * (a retry after a failed start: the operator may have rebuilt the tag).
   */
  async present(pipeline: AIPipelineName, options: { readonly refresh?: boolean } = {}): Promise<ImageInfo | undefined> {
    const ref = this.refFor(pipeline);
    if (ref === undefined) return undefined;
    const known = this.#present.get(ref);
    if (known && !options.refresh) return known;
    let info: ImageInfo | undefined;
    try {
      info = await this.containers.inspectImage(ref);
    } catch {
      // An engine too busy to answer says nothing about the tag: keep what we knew.
      return known;
    }
    if (info) this.#present.set(ref, info);
    else this.#present.delete(ref);
    return info;
  }

  isPresent(pipeline: AIPipelineName): boolean {
    const ref = this.refFor(pipeline);
    return ref !== undefined && this.#present.has(ref);
  }

  /** At start: build the built-in image if any pipeline uses it, and look up overrides. */
  async prepare(pipelines: readonly AIPipelineName[], signal?: AbortSignal): Promise<void> {
    const needsBuiltIn = pipelines.some((p) => imageFor(this.overrides, p, '') === '');
    if (needsBuiltIn) {
      try {
        this.#builtIn = await this.builtIn(this.containers, signal);
        this.#present.set(this.#builtIn.ref, this.#builtIn);
      } catch (error) {
        this.logger.error({ err: error }, `the reference runner image could not be made present: ${(error as Error).message}; managed runners that need it offer no capacity`);
      }
    }
    for (const pipeline of new Set(pipelines)) {
      const ref = this.refFor(pipeline);
      if (ref === undefined || this.#present.has(ref)) continue;
      const info = await this.present(pipeline);
      if (!info) this.logger.error({ pipeline, image: ref }, `runner image ${ref} for ${pipeline} is not present on the engine and no registry is reachable: load or build it (docker load / docker build -t ${ref}); ${pipeline} offers no managed capacity until then`);
    }
  }
}
