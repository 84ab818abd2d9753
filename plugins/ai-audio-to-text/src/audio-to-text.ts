import { errors } from '@lpx/sdk';
import { checkJsonString, defineAIPipeline, runnerResponses, Type } from '@lpx/sdk/ai-kit';

/** The ai-runner's Body_genAudioToText without the file; unknown fields are refused. */
const fields = Type.Object(
  {
    model_id: Type.Optional(Type.String()),
    return_timestamps: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false'), Type.Literal('sentence'), Type.Literal('word')])),
    metadata: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const audioToTextPipeline = defineAIPipeline({
  name: 'audio-to-text',
  bodyKind: 'multipart',
  defaultModel: 'openai/whisper-large-v3',
  unit: 'ms of audio, in whole seconds (floor(seconds) × 1000)',
  fields,
  files: { audio: { required: true, media: 'audio' } },
  refine({ values, measures }) {
    checkJsonString('metadata', values['metadata'], 'object');
    // go-livepeer prices whole seconds (its duration is an integer) and refuses a file that rounds down to 0 s.
    const seconds = Math.floor(measures['audioMs']! / 1000);
    if (seconds < 1) throw errors.ai.REQUEST_INVALID.create(`audio: ${measures['audioMs']} ms is under 1 s, which go-livepeer cannot price`, { details: { field: 'audio' } });
    return { measures: { audioSeconds: seconds } };
  },
  units: (m) => BigInt(m['audioSeconds']!) * 1000n,
  response: runnerResponses.text,
  toResult: (json: unknown) => ({ kind: 'json', json, files: [] }),
});
