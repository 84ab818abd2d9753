/**
 * What the gateway needs of the AI pipelines the kernel collected
 * (`ai.pipelines`): find one by name, and the node's request limits. The
 * kernel's AI module fills it; tests pass their own.
 */
import type { AIPipeline, AIPipelineName, AIRequestLimits } from '@lpx/sdk';

export interface AIPipelineSource {
  get(name: AIPipelineName): AIPipeline | undefined;
  readonly limits: AIRequestLimits;
}

/** Used until the node's `ai.limits` say otherwise: generous, but bounded. */
export const DEFAULT_AI_REQUEST_LIMITS: AIRequestLimits = Object.freeze({
  maxBodyBytes: 64 * 1024 * 1024,
  maxPromptChars: 20_000,
  maxImageSide: 8_192,
  maxAudioMs: 4 * 60 * 60 * 1000,
  maxTokens: 32_768,
});

/** A source over a fixed list (tests, or a kernel that hands over a snapshot). */
export function pipelineSourceOf(pipelines: Iterable<AIPipeline>, limits: AIRequestLimits = DEFAULT_AI_REQUEST_LIMITS): AIPipelineSource {
  const byName = new Map<AIPipelineName, AIPipeline>();
  for (const pipeline of pipelines) byName.set(pipeline.name, pipeline);
  return { get: (name) => byName.get(name), limits };
}
