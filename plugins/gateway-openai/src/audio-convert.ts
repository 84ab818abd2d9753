/**
 * Speech from the runner is WAV; OpenAI's default is mp3 and apps ask for
 * opus, aac, flac or raw pcm, or a speed. Debian's ffmpeg does all of that
 * from a pipe to a pipe in well under the time the speech took to make, so
 * the gateway converts rather than refusing (ADR 0035). ffmpeg missing
 * is a refusal that says so; a failed conversion is a coded 500.
 */
import { spawn } from 'node:child_process';
import { errors } from '@lpx/sdk';
import { unsupported } from './request-fields.js';
import type { SpeechFormat } from './speech.js';

/** OpenAI's pcm: 24 kHz, 16-bit signed little-endian, mono, no header. */
const OUTPUT_ARGS: Readonly<Record<SpeechFormat, readonly string[]>> = {
  mp3: ['-c:a', 'libmp3lame', '-q:a', '4', '-f', 'mp3'],
  opus: ['-c:a', 'libopus', '-b:a', '64k', '-f', 'ogg'],
  aac: ['-c:a', 'aac', '-b:a', '128k', '-f', 'adts'],
  flac: ['-c:a', 'flac', '-f', 'flac'],
  wav: ['-c:a', 'pcm_s16le', '-f', 'wav'],
  pcm: ['-c:a', 'pcm_s16le', '-ar', '24000', '-ac', '1', '-f', 's16le'],
};

/** atempo takes 0.5–100 per instance; slower speeds chain two. */
function tempoFilter(speed: number): string[] {
  if (speed === 1) return [];
  const stages = speed < 0.5 ? ['0.5', String(speed / 0.5)] : [String(speed)];
  return ['-filter:a', stages.map((stage) => `atempo=${stage}`).join(',')];
}

export interface ConvertOptions {
  readonly ffmpegPath: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export async function convertSpeech(wav: Buffer, format: SpeechFormat, speed: number, options: ConvertOptions): Promise<Buffer> {
  if (format === 'wav' && speed === 1) return wav;
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'wav', '-i', 'pipe:0', ...tempoFilter(speed), '-vn', ...OUTPUT_ARGS[format], 'pipe:1'];
  return new Promise((resolve, reject) => {
    const child = spawn(options.ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    let settled = false;
    const finish = (error: Error | undefined, data?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
      if (error !== undefined) reject(error);
      else resolve(data!);
    };
    const stop = () => {
      child.kill('SIGKILL');
      finish(errors.ai.CANCELLED.create('the request ended while its speech was being converted'));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(errors.ai.OPENAI_AUDIO_CONVERSION_FAILED.create(`ffmpeg took longer than ${options.timeoutMs} ms to convert speech to ${format}`));
    }, options.timeoutMs);
    if (options.signal?.aborted) return stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EACCES') {
        finish(unsupported(speed === 1 ? 'response_format' : 'speed', `this gateway has no ffmpeg (${options.ffmpegPath}) to convert speech; ask for response_format "wav" at speed 1`));
      } else {
        finish(errors.ai.OPENAI_AUDIO_CONVERSION_FAILED.create(`ffmpeg could not run: ${error.message}`, { cause: error }));
      }
    });
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4096)));
    // ffmpeg may exit before reading all input (bad WAV); that EPIPE is reported by the exit code.
    child.stdin.on('error', () => undefined);
    child.stdin.end(wav);
    child.on('close', (code) => {
      if (code === 0) finish(undefined, Buffer.concat(out));
      else finish(errors.ai.OPENAI_AUDIO_CONVERSION_FAILED.create(`ffmpeg could not convert speech to ${format}: ${stderr.trim().split('\n').pop() ?? `exit ${code}`}`, { details: { format, exitCode: code } }));
    });
  });
}
