import { errors } from '@lpx/sdk';
import { checkLimit, defineAIPipeline, framesToMp4, runnerResponses, Type, type AIPipelineDefinition } from '@lpx/sdk/ai-kit';

/** go-livepeer's gateway sends 1024×576 when unset (the runner's defaults too) and bills 25 frames, what SVD-XT makes. */
export const DEFAULT_WIDTH = 1024;
export const DEFAULT_HEIGHT = 576;
export const BILLED_FRAMES = 25;
/** go-livepeer's orchestrator encodes at 7 fps when the request names none (the runner conditions on 6: a go-livepeer quirk kept for identical output). */
export const DEFAULT_ENCODE_FPS = 7;

const fields = Type.Object(
  {
    model_id: Type.Optional(Type.String()),
    height: Type.Optional(Type.Integer({ minimum: 1 })),
    width: Type.Optional(Type.Integer({ minimum: 1 })),
    fps: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
    motion_bucket_id: Type.Optional(Type.Integer()),
    noise_aug_strength: Type.Optional(Type.Number()),
    safety_check: Type.Optional(Type.Boolean()),
    seed: Type.Optional(Type.Integer()),
    num_inference_steps: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export interface ImageToVideoOptions {
  /** ffmpeg that encodes the runner's frames into the MP4; default `ffmpeg` on PATH. */
  readonly ffmpegPath?: string;
}

type Frames = { frames: { url: string; seed?: number; nsfw?: boolean }[][] };

export function createImageToVideoPipeline(options: ImageToVideoOptions = {}) {
  const definition: AIPipelineDefinition = {
    name: 'image-to-video',
    bodyKind: 'multipart',
    defaultModel: 'stabilityai/stable-video-diffusion-img2vid-xt',
    unit: 'output pixel × 25 frames (height × width × 25)',
    async: true,
    fields,
    files: { image: { required: true, media: 'image' } },
    refine({ values, limits }) {
      const width = (values['width'] as number | undefined) ?? DEFAULT_WIDTH;
      const height = (values['height'] as number | undefined) ?? DEFAULT_HEIGHT;
      checkLimit('width', width, 'maxImageSide', limits);
      checkLimit('height', height, 'maxImageSide', limits);
      const fps = (values['fps'] as number | undefined) ?? DEFAULT_ENCODE_FPS;
      return { set: { width, height }, measures: { width, height, frames: BILLED_FRAMES, fps } };
    },
    units: (m) => BigInt(m['height']!) * BigInt(m['width']!) * BigInt(m['frames']!),
    response: runnerResponses.video,
    async toResult(json: Frames, { request, signal }) {
      // One input image, one video: go-livepeer's orchestrator refuses any other count too.
      if (json.frames.length !== 1) throw errors.ai.RESULT_INVALID.create(`image-to-video runner returned ${json.frames.length} frame batches, expected 1`);
      const batch = json.frames[0]!;
      const m = request.measures;
      const data = await framesToMp4(batch, { fps: m['fps']!, width: m['width']!, height: m['height']!, signal, ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}) });
      const first = batch[0];
      const video = { url: 'video-0.mp4', ...(first?.seed !== undefined ? { seed: first.seed } : {}), ...(first?.nsfw !== undefined ? { nsfw: first.nsfw } : {}) };
      return { kind: 'json', json: { images: [video] }, files: [{ name: 'video-0.mp4', contentType: 'video/mp4', data }] };
    },
  };
  return defineAIPipeline(definition);
}

export const imageToVideoPipeline = createImageToVideoPipeline();
