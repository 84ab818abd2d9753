import { runProcess } from './run-process.js';
import { stderrReason } from './stderr-reason.js';

export type ListKind = 'encoders' | 'decoders' | 'filters';

/**
 * Names in `ffmpeg -encoders` / `-decoders` / `-filters`: lines of
 * `<flags> <name> <description>`, under a `------` rule for codecs.
 */
export function parseFfmpegList(kind: ListKind, stdout: string): Set<string> {
  const names = new Set<string>();
  const lines = stdout.split(/\r?\n/);
  const start = lines.findIndex((line) => /^\s*-{3,}\s*$/.test(line));
  for (const line of lines.slice(start + 1)) {
    const name = /^\s*\S+\s+(\S+)/.exec(line)?.[1];
    if (name !== undefined) names.add(name);
  }
  return names;
}

export type ListResult = { readonly names: Set<string> } | { readonly reason: string };

/** Runs `ffmpeg -hide_banner -<kind>`; the reason names the binary when it is missing, so it is the first thing an operator reads. */
export async function ffmpegList(ffmpegPath: string, kind: ListKind, signal: AbortSignal, timeoutMs: number): Promise<ListResult> {
  const result = await runProcess(ffmpegPath, ['-hide_banner', `-${kind}`], { signal, timeoutMs });
  if (result.notFound) return { reason: `ffmpeg not found at ${ffmpegPath}` };
  if (result.aborted) return { reason: 'probe aborted' };
  if (result.timedOut) return { reason: `${ffmpegPath} -${kind} did not answer within ${timeoutMs} ms` };
  if (result.code !== 0) return { reason: `${ffmpegPath} -${kind} failed: ${stderrReason(result.stderr)}` };
  return { names: parseFfmpegList(kind, result.stdout) };
}
