import { checkJsonString, checkLimit, defineAIPipeline, imagesToFiles, runnerResponses, Type } from '@lpx/sdk/ai-kit';

/** go-livepeer's gateway sends 512×512 when the app names no size (and its orchestrator bills 512×512 then too). */
export const DEFAULT_SIDE = 512;

/** The ai-runner's TextToImageParams; unknown fields are refused. */
const fields = Type.Object(
  {
    prompt: Type.String(),
    model_id: Type.Optional(Type.String()),
    loras: Type.Optional(Type.String()),
    height: Type.Optional(Type.Integer({ minimum: 1 })),
    width: Type.Optional(Type.Integer({ minimum: 1 })),
    guidance_scale: Type.Optional(Type.Number()),
    negative_prompt: Type.Optional(Type.String()),
    safety_check: Type.Optional(Type.Boolean()),
    seed: Type.Optional(Type.Integer()),
    num_inference_steps: Type.Optional(Type.Integer({ minimum: 1 })),
    num_images_per_prompt: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export const textToImagePipeline = defineAIPipeline({
  name: 'text-to-image',
  bodyKind: 'json',
  defaultModel: 'stabilityai/sdxl-turbo',
  unit: 'output pixel (height × width × images)',
  fields,
  textFields: ['prompt', 'negative_prompt'],
  refine({ values, limits }) {
    checkJsonString('loras', values['loras'], 'object');
    const height = (values['height'] as number | undefined) ?? DEFAULT_SIDE;
    const width = (values['width'] as number | undefined) ?? DEFAULT_SIDE;
    const images = (values['num_images_per_prompt'] as number | undefined) ?? 1;
    checkLimit('height', height, 'maxImageSide', limits);
    checkLimit('width', width, 'maxImageSide', limits);
    // Sent explicitly so the runner makes what was priced: its own default is 1024×576.
    return { set: { height, width, num_images_per_prompt: images }, measures: { width, height, images } };
  },
  units: (m) => BigInt(m['height']!) * BigInt(m['width']!) * BigInt(m['images']!),
  response: runnerResponses.image,
  toResult: (json: { images: { url: string }[] }) => ({ kind: 'json', ...imagesToFiles(json) }),
});
