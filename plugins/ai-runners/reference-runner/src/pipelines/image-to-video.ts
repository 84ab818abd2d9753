import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpeg, saveImage } from '../media.js';
import { numberValue, optionalNumber, type RunnerPipeline } from '../pipeline.js';
import type { UploadedFile } from '../fields.js';
import { seedFrom } from '../deterministic.js';
import { withWorkDir } from '../processes.js';
import { checkDivisibleBy8, checkOutputSize, labelled, media } from './images-common.js';
import { checkFfmpeg } from './engines.js';

/** stable-video-diffusion-img2vid-xt makes 25 frames; go-livepeer bills h×w×25. */
export const VIDEO_FRAMES = 25;

/**
 * image-to-video without a video model: the input picture fitted to the
 * requested size, slowly zoomed (faster for a higher motion_bucket_id) with
 * seeded noise (noise_aug_strength), as `frames[0]`.
 */
export const imageToVideo: RunnerPipeline = {
  name: 'image-to-video',
  body: 'multipart',
  modelField: 'model_id',
  fullStops: true,
  engine: 'deterministic',
  failureMessage: 'Image-to-video pipeline error.',
  fields: [
    { name: 'image', type: 'file' },
    { name: 'model_id', type: 'str', default: '' },
    { name: 'height', type: 'int', default: 576 },
    { name: 'width', type: 'int', default: 1024 },
    { name: 'fps', type: 'int', default: 6 },
    { name: 'motion_bucket_id', type: 'int', default: 127 },
    { name: 'noise_aug_strength', type: 'float', default: 0.02 },
    { name: 'safety_check', type: 'bool', default: true },
    { name: 'seed', type: 'int', default: null },
    { name: 'num_inference_steps', type: 'int', default: 25 },
  ],
  load: checkFfmpeg,
  async run({ values }) {
    const width = numberValue(values, 'width');
    const height = numberValue(values, 'height');
    checkDivisibleBy8(width, height);
    checkOutputSize(width, height, 'output video');
    const image = (values.image as UploadedFile).data;
    const seed = optionalNumber(values, 'seed') ?? seedFrom(Buffer.from(image).toString('base64').slice(0, 4096));
    const zoomStep = (Math.max(0, numberValue(values, 'motion_bucket_id')) / 127) * 0.004;
    const noise = Math.round(Math.min(1, Math.max(0, numberValue(values, 'noise_aug_strength'))) * 100);
    return withWorkDir(async (dir) => {
      const input = await saveImage(dir, image);
      const filter = [
        `scale=${width}:${height}:force_original_aspect_ratio=increase`,
        `crop=${width}:${height}`,
        `zoompan=z='1+${zoomStep.toFixed(5)}*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=${VIDEO_FRAMES}:s=${width}x${height}`,
        ...(noise > 0 ? [`noise=alls=${noise}:allf=t:all_seed=${seed % 2147483647}`] : []),
        'format=rgb24',
      ].join(',');
      await ffmpeg(['-i', input.path, '-vf', filter, '-frames:v', String(VIDEO_FRAMES), '-c:v', 'png', join(dir, 'frame-%03d.png')]);
      const names = (await readdir(dir)).filter((n) => n.startsWith('frame-')).sort();
      const frames = [];
      for (const name of names) frames.push(media(labelled(await readFile(join(dir, name)), 'image-to-video', seed), seed));
      return { kind: 'json', json: { frames: [frames] } };
    });
  },
};
