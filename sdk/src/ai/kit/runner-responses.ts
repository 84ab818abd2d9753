import { Type } from '@sinclair/typebox';

/**
 * The ai-runner API's 200 answers (its OpenAPI components), as loose as the
 * runner's own models: required fields checked, extra fields allowed, since a
 * newer runner may add some.
 */
const Media = Type.Object({ url: Type.String(), seed: Type.Optional(Type.Integer()), nsfw: Type.Optional(Type.Boolean()) });

export const runnerResponses = {
  image: Type.Object({ images: Type.Array(Media) }),
  video: Type.Object({ frames: Type.Array(Type.Array(Media)) }),
  text: Type.Object({ text: Type.String(), chunks: Type.Optional(Type.Array(Type.Object({ text: Type.String(), timestamp: Type.Array(Type.Unknown()) }))) }),
  imageToText: Type.Object({ text: Type.String() }),
  masks: Type.Object({ masks: Type.String(), scores: Type.String(), logits: Type.String() }),
  audio: Type.Object({ audio: Type.Object({ url: Type.String() }) }),
  llm: Type.Object({
    id: Type.String(),
    model: Type.String(),
    created: Type.Integer(),
    choices: Type.Array(Type.Object({ index: Type.Integer() })),
    usage: Type.Object({ prompt_tokens: Type.Integer(), completion_tokens: Type.Integer(), total_tokens: Type.Integer() }),
  }),
} as const;
