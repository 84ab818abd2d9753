import { defineAIPipeline, imagesToFiles, runnerResponses, Type } from '@lpx/sdk/ai-kit';

/** The ai-runner's Body_genUpscale without the file; unknown fields are refused. */
const fields = Type.Object(
  {
    prompt: Type.String(),
    model_id: Type.Optional(Type.String()),
    safety_check: Type.Optional(Type.Boolean()),
    seed: Type.Optional(Type.Integer()),
    num_inference_steps: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export const upscalePipeline = defineAIPipeline({
  name: 'upscale',
  bodyKind: 'multipart',
  defaultModel: 'stabilityai/stable-diffusion-x4-upscaler',
  unit: 'input pixel (input height × width)',
  fields,
  files: { image: { required: true, media: 'image' } },
  textFields: ['prompt'],
  units: (m) => BigInt(m['inputWidth']!) * BigInt(m['inputHeight']!),
  response: runnerResponses.image,
  toResult: (json: { images: { url: string }[] }) => ({ kind: 'json', ...imagesToFiles(json) }),
});
