import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool, type MediaTools } from '../media/run-tool.js';

async function ffmpegBytes(tools: MediaTools, args: readonly string[], name: string): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-ai-media-'));
  try {
    const out = join(dir, name);
    await runTool(tools.ffmpegPath ?? 'ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args, out]);
    return new Uint8Array(await readFile(out));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A PNG made by ffmpeg: a light background and, when given, black text large
 * enough for OCR/captioning models to read, so image-to-text against a real
 * runner has something to say.
 */
export function aiTestImage(options: { width: number; height: number; text?: string } & MediaTools): Promise<Uint8Array> {
  const { width, height, text } = options;
  const escaped = text?.replace(/[\\:']/g, (c) => `\\${c}`);
  const draw = escaped ? `,drawtext=text='${escaped}':fontcolor=black:fontsize=${Math.max(12, Math.floor(height / 4))}:x=(w-text_w)/2:y=(h-text_h)/2` : '';
  return ffmpegBytes(options, ['-f', 'lavfi', '-i', `color=c=0xf0f0e0:size=${width}x${height}${draw}`, '-frames:v', '1', '-c:v', 'png'], 'image.png');
}

/** A 16 kHz mono WAV tone made by ffmpeg. */
export function aiTestAudio(options: { durationMs: number } & MediaTools): Promise<Uint8Array> {
  const seconds = (options.durationMs / 1000).toFixed(3);
  return ffmpegBytes(options, ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=16000:duration=${seconds}`, '-ac', '1', '-c:a', 'pcm_s16le'], 'audio.wav');
}
