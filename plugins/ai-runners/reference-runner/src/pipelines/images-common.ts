import { RunnerHttpError } from '../http-errors.js';
import { dataUrl } from '../media.js';
import { labelPng } from '../png-label.js';
import { prng } from '../deterministic.js';

/** The largest picture the deterministic renderers make (the real models run out of GPU memory well before). */
export const MAX_OUTPUT_PIXELS = 4096 * 4096;

export function checkOutputSize(width: number, height: number, what: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RunnerHttpError(400, `\`height\` and \`width\` must be positive but are ${height} and ${width}.`);
  }
  if (width * height > MAX_OUTPUT_PIXELS) {
    throw new RunnerHttpError(500, `Out of memory error. Try reducing ${what} resolution.`);
  }
}

export function checkDivisibleBy8(width: number, height: number): void {
  if (height % 8 !== 0 || width % 8 !== 0) {
    throw new RunnerHttpError(400, `\`height\` and \`width\` have to be divisible by 8 but are ${height} and ${width}.`);
  }
}

/** A deterministic picture's label, in the PNG itself (survives storage and download). */
export function labelled(png: Buffer, pipeline: string, seed: number): Buffer {
  return labelPng(png, {
    Software: 'lpx reference runner',
    Comment: `deterministic ${pipeline} output derived from the request (seed ${seed}); no model ran`,
  });
}

export function media(png: Buffer, seed: number): { url: string; seed: number; nsfw: boolean } {
  return { url: dataUrl('image/png', png), seed, nsfw: false };
}

/**
 * A geq expression set (r, g, b) drawing interfering waves whose
 * frequencies and phases come from the seed: cheap to render on a CPU and
 * visibly different for different prompts.
 */
export function waveFilter(seed: number): string {
  const rand = prng(seed);
  const channel = (): string => {
    const fx = (1 + rand() * 9).toFixed(3);
    const fy = (1 + rand() * 9).toFixed(3);
    const phase = (rand() * 6.283).toFixed(3);
    const base = Math.round(64 + rand() * 128);
    return `'clip(${base}+90*sin(2*PI*(X*${fx}/W+Y*${fy}/H)+${phase})*cos(2*PI*Y*${fx}/H),0,255)'`;
  };
  return `format=gbrp,geq=r=${channel()}:g=${channel()}:b=${channel()}`;
}
