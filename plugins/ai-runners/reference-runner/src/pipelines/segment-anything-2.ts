import { RunnerHttpError } from '../http-errors.js';
import { saveImage } from '../media.js';
import { boolValue, stringValue, type RunnerPipeline } from '../pipeline.js';
import type { UploadedFile } from '../fields.js';
import { prng, seedFrom } from '../deterministic.js';
import { withWorkDir } from '../processes.js';
import { checkFfmpeg } from './engines.js';
import { formatPyList, masksFor, type Prompts } from './sam2-masks.js';

/** Beyond this many mask values the strings get too large to answer (the real model runs out of GPU memory first). */
const MAX_MASK_VALUES = 1 << 24;

function parseArray(values: Parameters<RunnerPipeline['run']>[0]['values'], name: string): unknown {
  const text = stringValue(values, name);
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new RunnerHttpError(400, `Error parsing JSON for ${name}: ${(error as Error).message}`);
  }
}

function isNumberList(value: unknown, length?: number): value is number[] {
  return Array.isArray(value) && (length === undefined || value.length === length) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

function prompts(values: Parameters<RunnerPipeline['run']>[0]['values']): Prompts {
  const coords = parseArray(values, 'point_coords');
  const labels = parseArray(values, 'point_labels');
  const box = parseArray(values, 'box');
  parseArray(values, 'mask_input');
  const points: { x: number; y: number; positive: boolean }[] = [];
  if (coords !== undefined) {
    if (!Array.isArray(coords) || !coords.every((p) => isNumberList(p, 2))) throw new RunnerHttpError(400, 'point_coords must be an Nx2 array of (X,Y) points.');
    if (!isNumberList(labels, coords.length)) throw new RunnerHttpError(400, 'point_labels must give one label per point in point_coords.');
    coords.forEach((p, i) => points.push({ x: (p as number[])[0]!, y: (p as number[])[1]!, positive: labels[i] !== 0 }));
  } else if (labels !== undefined) {
    throw new RunnerHttpError(400, 'point_labels given without point_coords.');
  }
  if (box !== undefined && !isNumberList(box, 4)) throw new RunnerHttpError(400, 'box must be a length 4 array in XYXY format.');
  return { points, ...(box ? { box: box as [number, number, number, number] } : {}) };
}

/**
 * segment-anything-2 without the model: masks drawn from the prompts (discs
 * around foreground points, minus background ones, or the box; the centre
 * when there is no prompt), at three sizes when multimask_output, with
 * seeded scores; as strings in numpy's `tolist()` print form, sorted by score
 * like the runner's.
 */
export const segmentAnything2: RunnerPipeline = {
  name: 'segment-anything-2',
  body: 'multipart',
  modelField: 'model_id',
  fullStops: true,
  engine: 'deterministic',
  failureMessage: 'Segment-anything-2 pipeline error.',
  fields: [
    { name: 'image', type: 'file' },
    { name: 'model_id', type: 'str', default: '' },
    { name: 'point_coords', type: 'str', default: null },
    { name: 'point_labels', type: 'str', default: null },
    { name: 'box', type: 'str', default: null },
    { name: 'mask_input', type: 'str', default: null },
    { name: 'multimask_output', type: 'bool', default: true },
    { name: 'return_logits', type: 'bool', default: true },
    { name: 'normalize_coords', type: 'bool', default: true },
  ],
  load: checkFfmpeg,
  async run({ values }) {
    const given = prompts(values);
    const count = boolValue(values, 'multimask_output') ? 3 : 1;
    const logitsWanted = boolValue(values, 'return_logits');
    return withWorkDir(async (dir) => {
      const { width, height } = await saveImage(dir, (values.image as UploadedFile).data);
      if (width * height * count > MAX_MASK_VALUES) throw new RunnerHttpError(500, 'Out of memory error. Try reducing input image resolution.');
      const rand = prng(seedFrom(width, height, given));
      const scores = Array.from({ length: count }, () => Math.round((0.55 + rand() * 0.44) * 10000) / 10000);
      const order = scores.map((s, i) => ({ s, i })).sort((a, b) => b.s - a.s).map((e) => e.i);
      const masks = masksFor(given, width, height, width, height, count);
      const lowRes = masksFor(given, width, height, 256, 256, count);
      return {
        kind: 'json',
        json: {
          masks: formatPyList(order.map((i) => masks[i]!), logitsWanted ? 'float' : 'bool'),
          scores: `[${order.map((i) => pyFloat(scores[i]!)).join(', ')}]`,
          logits: formatPyList(order.map((i) => lowRes[i]!), 'float'),
        },
      };
    });
  },
};

function pyFloat(value: number): string {
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}
