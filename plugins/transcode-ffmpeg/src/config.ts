import { availableParallelism } from 'node:os';

/** `plugins.transcode-ffmpeg.config`, after the manifest schema applied its defaults. */
export interface FfmpegPluginConfig {
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  /** Concurrent segments; absent means one per CPU core. */
  readonly maxSessions?: number;
  readonly preset: string;
  readonly threads: number;
  readonly killGraceMs: number;
}

export const CONFIG_DEFAULTS = Object.freeze({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe', preset: 'veryfast', threads: 0, killGraceMs: 2000 });

export function resolveConfig(raw: Partial<FfmpegPluginConfig>): FfmpegPluginConfig & { readonly maxSessions: number } {
  return { ...CONFIG_DEFAULTS, ...raw, maxSessions: raw.maxSessions ?? availableParallelism() };
}
