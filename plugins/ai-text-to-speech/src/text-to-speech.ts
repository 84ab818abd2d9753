import { audioToFile, defineAIPipeline, runeCount, runnerResponses, Type, utf8Bytes } from '@lpx/sdk/ai-kit';

/** The ai-runner's TextToSpeechParams; `text` is required (go-livepeer's gateway refuses a request without it). */
const fields = Type.Object(
  {
    text: Type.String({ minLength: 1 }),
    model_id: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const textToSpeechPipeline = defineAIPipeline({
  name: 'text-to-speech',
  bodyKind: 'json',
  defaultModel: 'parler-tts/parler-tts-large-v1',
  unit: 'gateway: UTF-8 byte of text; orchestrator: 1000 × character of text (go-livepeer quirk)',
  fields,
  textFields: ['text', 'description'],
  refine({ values }) {
    const text = values['text'] as string;
    return { measures: { textBytes: utf8Bytes(text), textRunes: runeCount(text) } };
  },
  // go-livepeer's gateway pays for len(text) bytes while its orchestrator debits 1000 × runes; both kept so lpx interoperates with either side.
  units: (m, side) => (side === 'gateway' ? BigInt(m['textBytes']!) : 1000n * BigInt(m['textRunes']!)),
  response: runnerResponses.audio,
  toResult: (json: { audio: { url: string } }) => ({ kind: 'json', ...audioToFile(json) }),
});
