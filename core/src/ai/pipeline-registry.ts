/**
 * The kernel's side of `ai.pipelines`: pipeline plugins add their pipeline
 * during init (on every role — gateways validate and price with them, workers
 * run them), the kernel locks the point with its other points, and from then
 * on the set is fixed.
 */
import { errors, isAIPipelineName, type AIPipeline, type AIPipelineName, type AIPipelinesExtensionPoint } from '@lpx/sdk';

export class AIPipelineRegistry implements AIPipelinesExtensionPoint {
  readonly #pipelines = new Map<AIPipelineName, AIPipeline>();

  addPipeline(pipeline: AIPipeline): void {
    const name = pipeline?.name;
    if (typeof name !== 'string' || !isAIPipelineName(name)) {
      throw errors.plugin.REGISTER_INVALID.create(`an AI pipeline needs one of go-livepeer's pipeline names, got ${JSON.stringify(name)}`);
    }
    if (this.#pipelines.has(name)) throw errors.ai.PIPELINE_DUPLICATE.create(`two plugins added the AI pipeline "${name}"`, { details: { pipeline: name } });
    this.#pipelines.set(name, pipeline);
  }

  get size(): number {
    return this.#pipelines.size;
  }

  get(name: string): AIPipeline | undefined {
    return isAIPipelineName(name) ? this.#pipelines.get(name) : undefined;
  }

  list(): AIPipeline[] {
    return [...this.#pipelines.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}
