import { coreServices, definePlugin, transcodeBackendsExtensionPoint, type LoggerService, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { resolveConfig, type FfmpegPluginConfig } from './config.js';
import { FfmpegTranscodeBackend } from './ffmpeg-backend.js';
import { fluentFfmpegRunner } from './ffmpeg-runner.js';

export { CONFIG_DEFAULTS, resolveConfig, type FfmpegPluginConfig } from './config.js';
export { FfmpegTranscodeBackend, type FfmpegBackendOptions } from './ffmpeg-backend.js';
export { fluentFfmpegRunner, type FfmpegJob, type FfmpegRunner } from './ffmpeg-runner.js';
export { buildLadderJob, type LadderOptions } from './ladder-args.js';

const manifest = manifestJson as PluginManifest;

/** Makes the backend from a config slice: what the plugin does at init, and what tests and benches call directly. */
export function createFfmpegBackend(raw: Partial<FfmpegPluginConfig> = {}, logger?: LoggerService): FfmpegTranscodeBackend {
  const config = resolveConfig(raw);
  const runner = fluentFfmpegRunner({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath, killGraceMs: config.killGraceMs });
  return new FfmpegTranscodeBackend({ runner, capacity: config.maxSessions, preset: config.preset, threads: config.threads, ...(logger ? { logger } : {}) });
}

/** Adds the `ffmpeg` transcode backend (libx264 on the CPU). */
export const transcodeFfmpegPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.config, logger: coreServices.logger, backends: transcodeBackendsExtensionPoint },
      // The kernel probes the backend on start and calls close() on shutdown.
      init({ config, logger, backends }) {
        const backend = createFfmpegBackend(config.get<Partial<FfmpegPluginConfig>>(), logger);
        backends.addBackend(backend);
      },
    });
  },
});

export default transcodeFfmpegPlugin;
