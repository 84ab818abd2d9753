import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunnerHttpError } from '../http-errors.js';
import { ffmpeg } from '../media.js';
import { stringValue, type RunnerPipeline } from '../pipeline.js';
import type { UploadedFile } from '../fields.js';
import { runChecked, runProcess, withWorkDir } from '../processes.js';
import { checkPocketsphinx, pocketsphinxArgs } from './engines.js';
import { parsePocketsphinx, toChunks } from './pocketsphinx-output.js';

/** The runner's 50 MB cap on audio uploads. */
const MAX_AUDIO_BYTES = 50 * 1024 * 1024;
const AUDIO_FORMAT_ERROR = 'Unsupported audio format or malformed file.';

/** The runner's return_timestamps reading: sentence is the default (true); other words pass through. */
export function parseReturnTimestamps(value: string): boolean | string {
  const lower = value.toLowerCase();
  if (['true', '1', 'sentence'].includes(lower)) return true;
  if (['false', '0'].includes(lower)) return false;
  return lower;
}

async function durationOf(path: string, metadata: string): Promise<number> {
  let given: unknown;
  try {
    given = (JSON.parse(metadata) as Record<string, unknown> | null)?.duration;
  } catch {
    throw new RunnerHttpError(400, 'Unable to calculate duration of file');
  }
  if (given !== undefined && given !== null) {
    const seconds = Number(given);
    if (!Number.isFinite(seconds)) throw new RunnerHttpError(400, 'Unable to calculate duration of file');
    return seconds;
  }
  const probe = await runProcess('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=noprint_wrappers=1:nokey=1', path], { timeoutMs: 60_000 });
  const seconds = Number.parseFloat(probe.stdout.toString('utf8').trim());
  if (probe.code !== 0 || !Number.isFinite(seconds)) throw new RunnerHttpError(400, 'Unable to calculate duration of file');
  return seconds;
}

/**
 * Real on a CPU: pocketsphinx (CMU Sphinx, US English) transcribes the audio
 * after ffmpeg converts it to 16 kHz mono. Sentence chunks are its
 * utterances, word chunks its word segments. Whisper is far more accurate;
 * the route and the response shape are the same.
 */
export const audioToText: RunnerPipeline = {
  name: 'audio-to-text',
  body: 'multipart',
  modelField: 'model_id',
  fullStops: true,
  engine: 'pocketsphinx',
  failureMessage: 'Audio-to-text pipeline error.',
  fields: [
    { name: 'audio', type: 'file' },
    { name: 'model_id', type: 'str', default: '' },
    { name: 'return_timestamps', type: 'str', default: 'true' },
    { name: 'metadata', type: 'str', default: '{}' },
  ],
  load: checkPocketsphinx,
  async run({ values }) {
    const audio = (values.audio as UploadedFile).data;
    if (audio.length > MAX_AUDIO_BYTES) throw new RunnerHttpError(413, 'File size exceeds limit.');
    const timestamps = parseReturnTimestamps(stringValue(values, 'return_timestamps'));
    if (typeof timestamps === 'string' && timestamps !== 'word') {
      throw new RunnerHttpError(400, `return_timestamps must be 'sentence', 'word', 'true' or 'false', got '${timestamps}'.`);
    }
    return withWorkDir(async (dir) => {
      const input = join(dir, 'input');
      await writeFile(input, audio);
      await durationOf(input, stringValue(values, 'metadata'));
      const wav = join(dir, 'speech.wav');
      try {
        await ffmpeg(['-i', input, '-vn', '-ar', '16000', '-ac', '1', '-c:a', 'pcm_s16le', wav]);
      } catch {
        throw new RunnerHttpError(415, AUDIO_FORMAT_ERROR);
      }
      const out = await runChecked('pocketsphinx_continuous', pocketsphinxArgs(wav), { timeoutMs: 600_000 });
      const utterances = parsePocketsphinx(out.toString('utf8'));
      const text = utterances.map((u) => u.text).join(' ');
      return { kind: 'json', json: { text, chunks: toChunks(utterances, timestamps) } };
    });
  },
};
