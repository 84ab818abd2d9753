import type { AIPipelineName, AIRequestBody, AIRequestLimits, AIUpload } from '../../ai/pipelines.js';
import type { MediaTools } from '../media/run-tool.js';
import { aiTestAudio, aiTestImage } from './ai-test-media.js';

/** What the AI pipeline suite checks a pipeline with: a good request and the ways to break it. */
export interface AIPipelineSamples {
  /** A request the pipeline must accept (and a runner must answer). */
  readonly valid: AIRequestBody;
  /** Fields (or file fields) whose absence is REQUEST_INVALID. */
  readonly required: readonly string[];
  /** field → a value of the wrong type (multipart: sent as its string). */
  readonly wrongType: Readonly<Record<string, unknown>>;
  /** Limits the valid request can be pushed over (each set to 1 in turn → LIMIT_EXCEEDED). */
  readonly overLimits: readonly (keyof AIRequestLimits)[];
  /** Units the valid request costs on each side, when the sample knows them. */
  readonly units?: { readonly gateway: bigint; readonly orchestrator: bigint };
}

const image = (data: Uint8Array): AIUpload => ({ field: 'image', filename: 'image.png', contentType: 'image/png', data });
const form = (fields: Record<string, string>, files: AIUpload[]): AIRequestBody => ({ kind: 'multipart', fields, files });

/**
 * The standard samples for a go-livepeer batch pipeline, with media made by
 * ffmpeg (a PNG with words on it, a WAV). `model` names the model the runner
 * under test serves; default: go-livepeer's gateway default for the pipeline.
 */
export async function aiPipelineSamples(pipeline: AIPipelineName, options: MediaTools & { model?: string; audio?: Uint8Array } = {}): Promise<AIPipelineSamples> {
  const model: Record<string, string> = options.model !== undefined ? { model_id: options.model } : {};
  const picture = () => aiTestImage({ width: 160, height: 96, text: 'LPX', ...options });
  switch (pipeline) {
    case 'text-to-image':
      return {
        valid: { kind: 'json', json: { prompt: 'a blue square', width: 256, height: 192, num_inference_steps: 1, ...model } },
        required: ['prompt'],
        wrongType: { width: 'wide', prompt: 5, safety_check: 'yes' },
        overLimits: ['maxBodyBytes', 'maxPromptChars', 'maxImageSide'],
        units: { gateway: 256n * 192n, orchestrator: 256n * 192n },
      };
    case 'image-to-image':
      return {
        valid: form({ prompt: 'make it red', num_inference_steps: '1', ...model }, [image(await picture())]),
        required: ['prompt', 'image'],
        wrongType: { strength: 'strong', num_images_per_prompt: 'two' },
        overLimits: ['maxBodyBytes', 'maxPromptChars', 'maxImageSide'],
        units: { gateway: 160n * 96n, orchestrator: 160n * 96n },
      };
    case 'image-to-video':
      return {
        valid: form({ width: '256', height: '144', num_inference_steps: '1', ...model }, [image(await picture())]),
        required: ['image'],
        wrongType: { fps: 'fast', noise_aug_strength: 'lots' },
        overLimits: ['maxBodyBytes', 'maxImageSide'],
        units: { gateway: 256n * 144n * 25n, orchestrator: 256n * 144n * 25n },
      };
    case 'upscale':
      return {
        valid: form({ prompt: 'sharper', num_inference_steps: '1', ...model }, [image(await aiTestImage({ width: 64, height: 48, ...options }))]),
        required: ['prompt', 'image'],
        wrongType: { seed: 'random' },
        overLimits: ['maxBodyBytes', 'maxPromptChars', 'maxImageSide'],
        units: { gateway: 64n * 48n, orchestrator: 64n * 48n },
      };
    case 'audio-to-text': {
      const audio = options.audio ?? (await aiTestAudio({ durationMs: 2500, ...options }));
      return {
        valid: form({ ...model }, [{ field: 'audio', filename: 'audio.wav', contentType: 'audio/wav', data: audio }]),
        required: ['audio'],
        wrongType: { return_timestamps: 'sometimes', metadata: 'not json' },
        overLimits: ['maxBodyBytes', 'maxAudioMs'],
        ...(options.audio ? {} : { units: { gateway: 2000n, orchestrator: 2000n } }),
      };
    }
    case 'segment-anything-2':
      return {
        valid: form({ point_coords: '[[80, 48]]', point_labels: '[1]', multimask_output: 'true', ...model }, [image(await picture())]),
        required: ['image'],
        wrongType: { multimask_output: 'maybe', point_coords: 'not json' },
        overLimits: ['maxBodyBytes', 'maxImageSide'],
        units: { gateway: 160n * 96n, orchestrator: 160n * 96n },
      };
    case 'llm':
      return {
        valid: {
          kind: 'json',
          json: { model: options.model ?? 'meta-llama/llama-3.1-8B-Instruct', messages: [{ role: 'user', content: 'Say hello.' }], stream: false, max_tokens: 32 },
        },
        required: ['model', 'messages', 'stream', 'max_tokens'],
        wrongType: { max_tokens: 'many', stream: 'yes', messages: 'hi' },
        overLimits: ['maxBodyBytes', 'maxPromptChars', 'maxTokens'],
        units: { gateway: 32n, orchestrator: 32n },
      };
    case 'image-to-text':
      return {
        valid: form({ prompt: '', ...model }, [image(await picture())]),
        required: ['image'],
        wrongType: {},
        overLimits: ['maxBodyBytes', 'maxImageSide'],
        units: { gateway: 160n * 96n, orchestrator: 160n * 96n },
      };
    case 'text-to-speech':
      // Not ASCII on purpose: 14 runes in 16 UTF-8 bytes shows the two sides' counts differ.
      return {
        valid: { kind: 'json', json: { text: 'Héllo, wörld 1', ...model } },
        required: ['text'],
        wrongType: { text: 42, description: ['deep'] },
        overLimits: ['maxBodyBytes', 'maxPromptChars'],
        units: { gateway: 16n, orchestrator: 14_000n },
      };
  }
}
