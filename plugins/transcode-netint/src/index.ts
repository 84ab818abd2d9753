import { coreServices, definePlugin, transcodeBackendsExtensionPoint, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { netintOptions, type NetintConfig } from './config.js';
import { NetintBackend } from './netint-backend.js';

export { NETINT_DEFAULTS, netintOptions, parseDevices, type NetintConfig, type NetintOptions } from './config.js';
export { filterGraph, netintTestEncodeArgs, netintTranscodeArgs, xcoderParams, type NetintCommand } from './netint-args.js';
export { NetintBackend } from './netint-backend.js';
export { FAMILIES, LOGAN, NETINT_LIMITS, QUADRA, type NetintFamily, type NetintFamilyName } from './netint-family.js';
export { parseMonitorEncoders, type NetintDevice } from './ni-rsrc-mon.js';
export { probeNetint } from './probe.js';

const manifest = manifestJson as PluginManifest;

/** Adds the `netint` transcode backend; the kernel probes it on start and routes work to it only if it probed available. */
export const transcodeNetintPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.config, backends: transcodeBackendsExtensionPoint },
      init({ config, backends }) {
        backends.addBackend(new NetintBackend(netintOptions(config.get<NetintConfig>())));
      },
    });
  },
});

export default transcodeNetintPlugin;
