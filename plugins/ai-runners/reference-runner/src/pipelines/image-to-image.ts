import { RunnerHttpError } from '../http-errors.js';
import { renderPng, saveImage } from '../media.js';
import { numberValue, optionalNumber, stringValue, type RunnerPipeline } from '../pipeline.js';
import type { UploadedFile } from '../fields.js';
import { seedFrom, prng } from '../deterministic.js';
import { withWorkDir } from '../processes.js';
import { checkOutputSize, labelled, media } from './images-common.js';
import { checkFfmpeg } from './engines.js';

/**
 * image-to-image without a diffusion model: the input picture, hue-rotated
 * and tinted by amounts drawn from the prompt and seed, scaled by `strength`.
 */
export const imageToImage: RunnerPipeline = {
  name: 'image-to-image',
  body: 'multipart',
  modelField: 'model_id',
  fullStops: true,
  engine: 'deterministic',
  failureMessage: 'Image-to-image pipeline error.',
  fields: [
    { name: 'prompt', type: 'str' },
    { name: 'image', type: 'file' },
    { name: 'model_id', type: 'str', default: '' },
    { name: 'loras', type: 'str', default: '' },
    { name: 'strength', type: 'float', default: 0.8 },
    { name: 'guidance_scale', type: 'float', default: 7.5 },
    { name: 'image_guidance_scale', type: 'float', default: 1.5 },
    { name: 'negative_prompt', type: 'str', default: '' },
    { name: 'safety_check', type: 'bool', default: true },
    { name: 'seed', type: 'int', default: null },
    { name: 'num_inference_steps', type: 'int', default: 100 },
    { name: 'num_images_per_prompt', type: 'int', default: 1 },
  ],
  load: checkFfmpeg,
  async run({ values }) {
    const count = numberValue(values, 'num_images_per_prompt');
    if (count < 1 || count > 16) throw new RunnerHttpError(400, `num_images_per_prompt must be between 1 and 16 but is ${count}.`);
    const strength = Math.min(1, Math.max(0, numberValue(values, 'strength')));
    const prompt = stringValue(values, 'prompt');
    const seed = optionalNumber(values, 'seed') ?? seedFrom(prompt, stringValue(values, 'negative_prompt'));
    return withWorkDir(async (dir) => {
      const input = await saveImage(dir, (values.image as UploadedFile).data);
      checkOutputSize(input.width, input.height, 'input image');
      const images = [];
      for (let i = 0; i < count; i++) {
        const imageSeed = seed + i;
        const rand = prng(seedFrom(prompt, imageSeed));
        const hue = Math.round((rand() * 360 - 180) * strength);
        const saturation = (1 + (rand() - 0.5) * strength).toFixed(3);
        const brightness = ((rand() - 0.5) * 0.3 * strength).toFixed(3);
        const png = await renderPng(['-i', input.path], `format=rgb24,hue=h=${hue}:s=${saturation},eq=brightness=${brightness}`);
        images.push(media(labelled(png, 'image-to-image', imageSeed), imageSeed));
      }
      return { kind: 'json', json: { images } };
    });
  },
};
