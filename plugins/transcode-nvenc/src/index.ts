import { coreServices, definePlugin, transcodeBackendsExtensionPoint, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { nvencOptions, type NvencConfig } from './config.js';
import { NvencBackend } from './nvenc-backend.js';

export { NVENC_DEFAULTS, nvencOptions, parseDevices, type NvencConfig, type NvencOptions } from './config.js';
export { filterGraph, NVENC_LIMITS, nvencOutputArgs, nvencTestEncodeArgs, nvencTranscodeArgs, type NvencCommand } from './nvenc-args.js';
export { NvencBackend } from './nvenc-backend.js';
export { parseGpuList } from './nvidia-smi.js';
export { probeNvenc } from './probe.js';

const manifest = manifestJson as PluginManifest;

/** Adds the `nvenc` transcode backend; the kernel probes it on start and routes work to it only if it probed available. */
export const transcodeNvencPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.config, backends: transcodeBackendsExtensionPoint },
      init({ config, backends }) {
        backends.addBackend(new NvencBackend(nvencOptions(config.get<NvencConfig>())));
      },
    });
  },
});

export default transcodeNvencPlugin;
