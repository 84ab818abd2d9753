/** The prompts SAM2 takes, in input-image pixels. */
export interface Prompts {
  readonly points: readonly { readonly x: number; readonly y: number; readonly positive: boolean }[];
  readonly box?: readonly [number, number, number, number];
}

/** Sizes of the three candidate masks, as SAM's whole/part/sub-part. */
const SCALES = [1, 0.66, 1.4];

/**
 * Logit-like values (positive inside, negative outside, by distance to the
 * edge in grid cells, clamped) on a `cols`×`rows` grid covering the image.
 */
export function masksFor(prompts: Prompts, imageWidth: number, imageHeight: number, cols: number, rows: number, count: number): Float32Array[][] {
  const base = 0.15 * Math.min(imageWidth, imageHeight);
  const out: Float32Array[][] = [];
  for (let k = 0; k < count; k++) {
    const scale = SCALES[k] ?? 1;
    const radius = base * scale;
    const grid: Float32Array[] = [];
    for (let r = 0; r < rows; r++) {
      const y = ((r + 0.5) * imageHeight) / rows;
      const row = new Float32Array(cols);
      for (let c = 0; c < cols; c++) {
        const x = ((c + 0.5) * imageWidth) / cols;
        row[c] = inside(prompts, x, y, radius, scale, imageWidth, imageHeight) * (imageWidth / cols);
      }
      grid.push(row);
    }
    out.push(grid);
  }
  return out;
}

/** Signed distance (pixels, >0 inside) of a point to the mask's edge. */
function inside(prompts: Prompts, x: number, y: number, radius: number, scale: number, w: number, h: number): number {
  let best = -Infinity;
  const positives = prompts.points.filter((p) => p.positive);
  if (prompts.box) {
    const [x0, y0, x1, y1] = prompts.box;
    const grow = ((scale - 1) * Math.min(x1 - x0, y1 - y0)) / 4;
    best = Math.min(x - (x0 - grow), x1 + grow - x, y - (y0 - grow), y1 + grow - y);
  }
  for (const p of positives) best = Math.max(best, radius - Math.hypot(x - p.x, y - p.y));
  if (!prompts.box && positives.length === 0) {
    // No prompt: the centre of the picture.
    best = radius * 2 - Math.hypot(x - w / 2, y - h / 2);
  }
  for (const p of prompts.points) {
    if (!p.positive) best = Math.min(best, Math.hypot(x - p.x, y - p.y) - radius / 2);
  }
  return best;
}

/** numpy's `str(array.tolist())`: nested lists, `, ` separators, Python float and bool reprs. */
export function formatPyList(masks: readonly Float32Array[][], kind: 'float' | 'bool'): string {
  const cell =
    kind === 'bool'
      ? (v: number): string => (v > 0 ? 'True' : 'False')
      : (v: number): string => {
          const clamped = Math.max(-32, Math.min(32, v));
          const text = (Math.round(clamped * 10) / 10).toFixed(1);
          return text === '-0.0' ? '0.0' : text;
        };
  const parts: string[] = [];
  for (const grid of masks) {
    const rows = grid.map((row) => `[${Array.from(row, cell).join(', ')}]`);
    parts.push(`[${rows.join(', ')}]`);
  }
  return `[${parts.join(', ')}]`;
}
