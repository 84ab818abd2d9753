import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunnerHttpError } from './http-errors.js';
import { runChecked, runProcess } from './processes.js';

/** The runner's media URLs are data URLs, as in ai-runner's routes. */
export function dataUrl(mime: string, data: Uint8Array): string {
  return `data:${mime};base64,${Buffer.from(data).toString('base64')}`;
}

export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

const ENGINE_TIMEOUT_MS = 120_000;

/**
 * Writes an uploaded image and checks it is one picture ffmpeg can decode
 * (png, jpeg, webp, bmp, gif, tiff...). The real runner lets PIL's error
 * escape as a bare 500; a file that is not an image is the caller's fault,
 * so this answers 400 in the runner's error shape.
 */
export async function saveImage(dir: string, data: Uint8Array, name = 'input'): Promise<{ path: string } & ImageSize> {
  const path = join(dir, name);
  await writeFile(path, data);
  const probe = await runProcess('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height:format=format_name', '-of', 'json', path], { timeoutMs: ENGINE_TIMEOUT_MS });
  let parsed: { streams?: { width?: number; height?: number }[]; format?: { format_name?: string } } = {};
  try {
    parsed = JSON.parse(probe.stdout.toString('utf8')) as typeof parsed;
  } catch {
    // handled below: no stream
  }
  const stream = parsed.streams?.[0];
  const format = parsed.format?.format_name ?? '';
  const isPicture = /(_pipe|^gif|^image2)$/.test(format);
  if (probe.code !== 0 || !stream?.width || !stream.height || !isPicture) {
    throw new RunnerHttpError(400, `cannot identify image file (${data.length} bytes${format ? `, ${format}` : ''}).`);
  }
  return { path, width: stream.width, height: stream.height };
}

/** ffmpeg with the options every call shares; stdout is the output when `-` is the target. */
export function ffmpeg(args: readonly string[], stdin?: Uint8Array): Promise<Buffer> {
  return runChecked('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], { timeoutMs: ENGINE_TIMEOUT_MS, ...(stdin ? { stdin } : {}) });
}

/** One PNG on stdout from an input and a filter graph. */
export function renderPng(inputArgs: readonly string[], filter: string): Promise<Buffer> {
  return ffmpeg([...inputArgs, '-vf', filter, '-frames:v', '1', '-c:v', 'png', '-f', 'image2pipe', '-']);
}
