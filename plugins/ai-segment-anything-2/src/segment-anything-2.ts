import { checkJsonString, defineAIPipeline, runnerResponses, Type } from '@lpx/sdk/ai-kit';

/** The ai-runner's Body_genSegmentAnything2 without the file; the prompts are JSON arrays in strings, checked. */
const fields = Type.Object(
  {
    model_id: Type.Optional(Type.String()),
    point_coords: Type.Optional(Type.String()),
    point_labels: Type.Optional(Type.String()),
    box: Type.Optional(Type.String()),
    mask_input: Type.Optional(Type.String()),
    multimask_output: Type.Optional(Type.Boolean()),
    return_logits: Type.Optional(Type.Boolean()),
    normalize_coords: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const segmentAnything2Pipeline = defineAIPipeline({
  name: 'segment-anything-2',
  bodyKind: 'multipart',
  defaultModel: 'facebook/sam2-hiera-large',
  unit: 'input pixel (input height × width)',
  fields,
  files: { image: { required: true, media: 'image' } },
  refine({ values }) {
    for (const field of ['point_coords', 'point_labels', 'box', 'mask_input']) checkJsonString(field, values[field], 'array');
  },
  units: (m) => BigInt(m['inputWidth']!) * BigInt(m['inputHeight']!),
  response: runnerResponses.masks,
  toResult: (json: unknown) => ({ kind: 'json', json, files: [] }),
});
