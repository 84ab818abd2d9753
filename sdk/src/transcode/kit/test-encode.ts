import { runProcess } from './run-process.js';
import { stderrReason } from './stderr-reason.js';

export interface TestEncodeOptions {
  /** What ran, for the reason: `test encode with h264_nvenc on GPU 0`. */
  readonly label: string;
  readonly signal: AbortSignal;
  /** A probe step must end: a wedged driver is a reason, not a hung start. */
  readonly timeoutMs: number;
}

/**
 * Runs a probe's one-frame test encode (the arguments are the backend's) and
 * returns undefined when it encoded, else the reason for an unavailable
 * status or an excluded device: listed is not enough, ADR 0025's probing rule
 * wants the encoder to open on the device.
 */
export async function testEncodeFailure(ffmpegPath: string, args: readonly string[], options: TestEncodeOptions): Promise<string | undefined> {
  const result = await runProcess(ffmpegPath, args, { signal: options.signal, timeoutMs: options.timeoutMs });
  if (result.aborted) return 'probe aborted';
  if (result.timedOut) return `${options.label} did not finish within ${options.timeoutMs} ms`;
  if (result.notFound) return `ffmpeg not found at ${ffmpegPath}`;
  if (result.code !== 0) return `${options.label} failed: ${stderrReason(result.stderr)}`;
  return undefined;
}
