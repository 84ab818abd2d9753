import { PNG } from 'pngjs';

export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  /** RGBA, 4 bytes per pixel. */
  readonly rgba: Uint8Array;
}

/** A screenshot's pixels, decoded by pngjs, so a test can look at them. */
export function decodePng(png: Buffer): DecodedPng {
  const image = PNG.sync.read(png);
  return { width: image.width, height: image.height, rgba: image.data };
}

/** How varied an image is: distinct colours, and the share of pixels unlike the top-left (background) one. */
export function pngVariety(image: DecodedPng): { colors: number; foreground: number } {
  const { rgba } = image;
  const view = new DataView(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  const background = view.getUint32(0);
  const colors = new Set<number>();
  let other = 0;
  const count = rgba.length / 4;
  for (let i = 0; i < count; i++) {
    const value = view.getUint32(i * 4);
    colors.add(value);
    if (value !== background) other++;
  }
  return { colors: colors.size, foreground: other / count };
}
