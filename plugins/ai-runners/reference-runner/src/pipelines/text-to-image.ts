import { RunnerHttpError } from '../http-errors.js';
import { renderPng } from '../media.js';
import { numberValue, optionalNumber, stringValue, type RunnerPipeline } from '../pipeline.js';
import { seedFrom } from '../deterministic.js';
import { checkDivisibleBy8, checkOutputSize, labelled, media, waveFilter } from './images-common.js';
import { checkFfmpeg } from './engines.js';

/** text-to-image without a diffusion model: a wave picture of the requested size, seeded by the prompt or the seed. */
export const textToImage: RunnerPipeline = {
  name: 'text-to-image',
  body: 'json',
  modelField: 'model_id',
  fullStops: true,
  engine: 'deterministic',
  failureMessage: 'Text-to-image pipeline error.',
  fields: [
    { name: 'model_id', type: 'str', default: '' },
    { name: 'loras', type: 'str', default: '' },
    { name: 'prompt', type: 'str' },
    { name: 'height', type: 'int', default: 576 },
    { name: 'width', type: 'int', default: 1024 },
    { name: 'guidance_scale', type: 'float', default: 7.5 },
    { name: 'negative_prompt', type: 'str', default: '' },
    { name: 'safety_check', type: 'bool', default: true },
    { name: 'seed', type: 'int', default: null },
    { name: 'num_inference_steps', type: 'int', default: 50 },
    { name: 'num_images_per_prompt', type: 'int', default: 1 },
  ],
  precheck(values) {
    if (!stringValue(values, 'prompt')) throw new RunnerHttpError(400, 'Prompt must be provided.');
  },
  load: checkFfmpeg,
  async run({ values }) {
    const width = numberValue(values, 'width');
    const height = numberValue(values, 'height');
    const count = numberValue(values, 'num_images_per_prompt');
    checkOutputSize(width, height, 'output image');
    checkDivisibleBy8(width, height);
    if (count < 1 || count > 16) throw new RunnerHttpError(400, `num_images_per_prompt must be between 1 and 16 but is ${count}.`);
    const prompt = stringValue(values, 'prompt');
    const negative = stringValue(values, 'negative_prompt');
    // The real runner draws a random seed when none is given; here it comes from the prompt so replies repeat.
    const seed = optionalNumber(values, 'seed') ?? seedFrom(prompt, negative);
    const images = [];
    for (let i = 0; i < count; i++) {
      const imageSeed = seed + i;
      const png = await renderPng(['-f', 'lavfi', '-i', `color=c=black:s=${width}x${height}:d=1`], waveFilter(seedFrom(prompt, negative, imageSeed)));
      images.push(media(labelled(png, 'text-to-image', imageSeed), imageSeed));
    }
    return { kind: 'json', json: { images } };
  },
};
