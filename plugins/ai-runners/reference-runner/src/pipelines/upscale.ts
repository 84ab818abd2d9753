import { renderPng, saveImage } from '../media.js';
import { optionalNumber, stringValue, type RunnerPipeline } from '../pipeline.js';
import type { UploadedFile } from '../fields.js';
import { seedFrom } from '../deterministic.js';
import { withWorkDir } from '../processes.js';
import { checkOutputSize, media } from './images-common.js';
import { checkFfmpeg } from './engines.js';

/** Real on a CPU: x4 with ffmpeg's lanczos scaler, as stable-diffusion-x4-upscaler's output size. */
export const upscale: RunnerPipeline = {
  name: 'upscale',
  body: 'multipart',
  modelField: 'model_id',
  fullStops: true,
  engine: 'ffmpeg',
  failureMessage: 'Upscale pipeline error.',
  fields: [
    { name: 'prompt', type: 'str' },
    { name: 'image', type: 'file' },
    { name: 'model_id', type: 'str', default: '' },
    { name: 'safety_check', type: 'bool', default: true },
    { name: 'seed', type: 'int', default: null },
    { name: 'num_inference_steps', type: 'int', default: 75 },
  ],
  load: checkFfmpeg,
  async run({ values }) {
    // The runner replaces seed 0 too (`seed or random`); the prompt stands in for the random draw.
    const seed = optionalNumber(values, 'seed') || seedFrom(stringValue(values, 'prompt'));
    return withWorkDir(async (dir) => {
      const input = await saveImage(dir, (values.image as UploadedFile).data);
      checkOutputSize(input.width * 4, input.height * 4, 'input image');
      const png = await renderPng(['-i', input.path], 'scale=iw*4:ih*4:flags=lanczos,format=rgb24');
      return { kind: 'json', json: { images: [media(png, seed)] } };
    });
  },
};
