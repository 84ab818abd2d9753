import { runProcess } from './run-process.js';
import { stderrReason } from './stderr-reason.js';

export type FfmpegListKind = 'encoders' | 'decoders' | 'filters' | 'hwaccels';

/**
 * Names in `ffmpeg -encoders` / `-decoders` / `-filters` / `-hwaccels`.
 * Codec and filter lines are `<flags> <name> <description>` (under a `------`
 * rule for codecs); -hwaccels prints one name per line under a heading.
 */
export function parseFfmpegList(kind: FfmpegListKind, stdout: string): Set<string> {
  const names = new Set<string>();
  const lines = stdout.split(/\r?\n/);
  if (kind === 'hwaccels') {
    for (const line of lines) if (/^[a-z0-9_]+$/.test(line.trim())) names.add(line.trim());
    return names;
  }
  const start = lines.findIndex((line) => /^\s*-{3,}\s*$/.test(line));
  for (const line of lines.slice(start + 1)) {
    const name = /^\s*\S+\s+(\S+)/.exec(line)?.[1];
    if (name !== undefined) names.add(name);
  }
  return names;
}

export type FfmpegListResult = { readonly names: Set<string> } | { readonly reason: string };

/**
 * Runs `ffmpeg -hide_banner -<kind>` and never throws: a failure is a reason
 * ready for an unavailable status. It names the binary when it is missing,
 * so that is the first thing an operator reads.
 */
export async function ffmpegList(ffmpegPath: string, kind: FfmpegListKind, signal: AbortSignal, timeoutMs: number): Promise<FfmpegListResult> {
  const result = await runProcess(ffmpegPath, ['-hide_banner', `-${kind}`], { signal, timeoutMs });
  if (result.notFound) return { reason: `ffmpeg not found at ${ffmpegPath}` };
  if (result.aborted) return { reason: 'probe aborted' };
  if (result.timedOut) return { reason: `${ffmpegPath} -${kind} did not answer within ${timeoutMs} ms` };
  if (result.code !== 0) return { reason: `${ffmpegPath} -${kind} failed: ${stderrReason(result.stderr)}` };
  return { names: parseFfmpegList(kind, result.stdout) };
}
