import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunnerHttpError } from '../http-errors.js';
import { dataUrl } from '../media.js';
import { stringValue, type RunnerPipeline } from '../pipeline.js';
import { runChecked, withWorkDir } from '../processes.js';
import { checkEspeak } from './engines.js';

/** parler-tts's default description in the runner. */
export const DEFAULT_VOICE_DESCRIPTION = 'A male speaker delivers a slightly expressive and animated speech with a moderate speed and pitch.';

/** espeak-ng voice settings from a parler-style description: the words a description uses for sex, speed and pitch. */
export function voiceFor(description: string): { voice: string; speed: number; pitch: number } {
  const d = description.toLowerCase();
  const voice = /\b(female|woman|girl|she)\b/.test(d) ? 'en-us+f3' : 'en-us+m3';
  const speed = /\b(slow|slowly)\b/.test(d) ? 130 : /\b(fast|quick|quickly|rapid)\b/.test(d) ? 200 : 165;
  const pitch = /\b(high|high-pitched)\b/.test(d) ? 70 : /\b(low|deep)\b/.test(d) ? 30 : 50;
  return { voice, speed, pitch };
}

/** Real on a CPU: espeak-ng speaks the text; WAV out as a data URL, as the runner returns. */
export const textToSpeech: RunnerPipeline = {
  name: 'text-to-speech',
  body: 'json',
  modelField: 'model_id',
  fullStops: false,
  engine: 'espeak-ng',
  failureMessage: 'Text-to-speech pipeline error.',
  fields: [
    { name: 'model_id', type: 'str', default: '' },
    { name: 'text', type: 'str', default: '' },
    { name: 'description', type: 'str', default: DEFAULT_VOICE_DESCRIPTION },
  ],
  precheck(values) {
    if (!stringValue(values, 'text')) throw new RunnerHttpError(400, 'Text input must be provided.');
  },
  load: checkEspeak,
  async run({ values }) {
    const { voice, speed, pitch } = voiceFor(stringValue(values, 'description'));
    return withWorkDir(async (dir) => {
      const path = join(dir, 'speech.wav');
      // Text on stdin: never parsed as options, any length. A file (not --stdout) gets a WAV header with real sizes.
      await runChecked('espeak-ng', ['--stdin', '-w', path, '-v', voice, '-s', String(speed), '-p', String(pitch)], { stdin: stringValue(values, 'text'), timeoutMs: 120_000 });
      return { kind: 'json', json: { audio: { url: dataUrl('audio/wav', await readFile(path)) } } };
    });
  },
};
