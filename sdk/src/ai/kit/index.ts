/**
 * `@lpx/sdk/ai-kit`: what every AI pipeline plugin needs and should not write
 * again (docs/adr/0033-ai-pipelines-and-billing-units.md).
 *
 * - defineAIPipeline / defineAIPipelinePlugin: a pipeline from its runner
 *   schema, file fields, checks, units and result mapping; the plugin that adds it to `ai.pipelines`.
 * - checkFields / checkSchema: JSON or multipart fields against the runner's schema, unknown fields refused.
 * - measureImage / measureAudio / runeCount / utf8Bytes: what pricing measures, malformed media refused.
 * - checkJsonString: fields that carry JSON in a string (loras, metadata, point_coords).
 * - Type: TypeBox's builder, for pipeline field schemas (plugins depend on @lpx/sdk alone).
 * - checkLimit / bodyBytes: AIRequestLimits as LIMIT_EXCEEDED naming the field.
 * - postToRunner / readRunnerJson / runnerRequestBody: the runner call (JSON or multipart, Bearer, signal).
 * - runnerMessage / runnerStatusError / runnerTransportError: runner failures as errors.ai.* codes.
 * - decodeDataUrl / imagesToFiles / audioToFile: data URLs out of answers, into files.
 * - framesToMp4: image-to-video frames into an H.264 MP4 with ffmpeg, as go-livepeer's orchestrator does.
 * - sseObjects: a streamed answer as JSON objects.
 * - runnerResponses: the runner's answer shapes.
 *
 * A subpath of its own: it decodes media, spawns ffmpeg and makes HTTP
 * calls, none of which the main entry does, and only pipelines need it.
 */
export { defineAIPipelinePlugin } from './ai-pipeline-plugin.js';
export { decodeDataUrl, extensionFor, type DecodedDataUrl } from './data-url.js';
export { defineAIPipeline, type AIPipelineDefinition, type Measures, type RefineInput, type RefineOutput, type RunContext } from './define-ai-pipeline.js';
export { framesToMp4, type FramesToVideoOptions } from './frames-to-video.js';
export { checkJsonString } from './json-string.js';
export { bodyBytes, checkLimit } from './limits.js';
export { measureAudio, measureImage, runeCount, utf8Bytes, type AudioMeasure, type ImageMeasure } from './measure-media.js';
export { checkFields, checkSchema, type AIFileField, type CheckedFields } from './request-fields.js';
export { audioToFile, imagesToFiles } from './result-files.js';
export { postToRunner, readRunnerJson, runnerRequestBody } from './runner-call.js';
export { runnerMessage, runnerStatusError, runnerTransportError } from './runner-errors.js';
export { runnerResponses } from './runner-responses.js';
export { sseObjects } from './sse-events.js';
export { Type } from '@sinclair/typebox';
