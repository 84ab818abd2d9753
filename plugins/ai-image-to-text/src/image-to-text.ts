import { defineAIPipeline, runnerResponses, Type } from '@lpx/sdk/ai-kit';

/** The ai-runner's Body_genImageToText without the file; unknown fields are refused. */
const fields = Type.Object({ prompt: Type.Optional(Type.String()), model_id: Type.Optional(Type.String()) }, { additionalProperties: false });

export const imageToTextPipeline = defineAIPipeline({
  name: 'image-to-text',
  bodyKind: 'multipart',
  defaultModel: 'Salesforce/blip-image-captioning-large',
  unit: 'input pixel (input height × width)',
  fields,
  files: { image: { required: true, media: 'image' } },
  textFields: ['prompt'],
  units: (m) => BigInt(m['inputWidth']!) * BigInt(m['inputHeight']!),
  response: runnerResponses.imageToText,
  toResult: (json: unknown) => ({ kind: 'json', json, files: [] }),
});
