import { join } from 'node:path';
import { RunnerHttpError } from '../http-errors.js';
import { ffmpeg, saveImage } from '../media.js';
import type { RunnerPipeline } from '../pipeline.js';
import type { UploadedFile } from '../fields.js';
import { runChecked, withWorkDir } from '../processes.js';
import { checkTesseract } from './engines.js';

/** The runner's 50 MB cap on image-to-text uploads. */
const MAX_IMAGE_BYTES = 50 * 1024 * 1024;

/**
 * Real on a CPU: tesseract reads the text in the picture. A captioning model
 * (BLIP) describes the picture instead; the route and shape are the same.
 * `prompt` (BLIP's conditioning text) does not apply to OCR and is ignored.
 */
export const imageToText: RunnerPipeline = {
  name: 'image-to-text',
  body: 'multipart',
  modelField: 'model_id',
  fullStops: false,
  engine: 'tesseract',
  failureMessage: 'Image-to-text pipeline error.',
  fields: [
    { name: 'image', type: 'file' },
    { name: 'prompt', type: 'str', default: '' },
    { name: 'model_id', type: 'str', default: '' },
  ],
  load: checkTesseract,
  async run({ values }) {
    const image = (values.image as UploadedFile).data;
    if (image.length > MAX_IMAGE_BYTES) throw new RunnerHttpError(413, 'File size exceeds limit');
    return withWorkDir(async (dir) => {
      const input = await saveImage(dir, image);
      // tesseract reads few formats itself: give it a grey PNG.
      const png = join(dir, 'ocr.png');
      await ffmpeg(['-i', input.path, '-frames:v', '1', '-vf', 'format=gray', png]);
      const out = await runChecked('tesseract', [png, 'stdout', '-l', 'eng'], { timeoutMs: 120_000 });
      const text = out.toString('utf8').replace(/\s+/g, ' ').trim();
      return { kind: 'json', json: { text } };
    });
  },
};
