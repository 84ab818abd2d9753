import { checkJsonString, defineAIPipeline, imagesToFiles, runnerResponses, Type } from '@lpx/sdk/ai-kit';

/** The ai-runner's Body_genImageToImage (multipart) without the file; unknown fields are refused. */
const fields = Type.Object(
  {
    prompt: Type.String(),
    model_id: Type.Optional(Type.String()),
    loras: Type.Optional(Type.String()),
    strength: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    guidance_scale: Type.Optional(Type.Number()),
    image_guidance_scale: Type.Optional(Type.Number()),
    negative_prompt: Type.Optional(Type.String()),
    safety_check: Type.Optional(Type.Boolean()),
    seed: Type.Optional(Type.Integer()),
    num_inference_steps: Type.Optional(Type.Integer({ minimum: 1 })),
    num_images_per_prompt: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export const imageToImagePipeline = defineAIPipeline({
  name: 'image-to-image',
  bodyKind: 'multipart',
  defaultModel: 'stabilityai/sdxl-turbo',
  unit: 'input pixel × images (input height × width × num_images_per_prompt)',
  fields,
  files: { image: { required: true, media: 'image' } },
  textFields: ['prompt', 'negative_prompt'],
  refine({ values }) {
    checkJsonString('loras', values['loras'], 'object');
    const images = (values['num_images_per_prompt'] as number | undefined) ?? 1;
    // go-livepeer's gateway always sends the count it priced.
    return { set: { num_images_per_prompt: images }, measures: { images } };
  },
  units: (m) => BigInt(m['inputWidth']!) * BigInt(m['inputHeight']!) * BigInt(m['images']!),
  response: runnerResponses.image,
  toResult: (json: { images: { url: string }[] }) => ({ kind: 'json', ...imagesToFiles(json) }),
});
