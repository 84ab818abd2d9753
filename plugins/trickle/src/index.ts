/**
 * @lpx/plugin-trickle: go-livepeer's trickle protocol on an orchestrator.
 * The server is mounted at `/ai/trickle/` on the front door through
 * coreServices.orchestratorWire (autocreate off, as on go-livepeer's
 * orchestrator); channels are made in-process through the `trickle.channels`
 * service, whose URLs publishers and subscribers (`@lpx/sdk/trickle-kit`)
 * then use over HTTP. See docs/adr/0039-trickle-plugin.md.
 */
import { coreServices, definePlugin, trickleServiceRef, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { createTrickleService } from './channel-service.js';
import { mountTrickle } from './server/mount.js';
import { TrickleServer, type TrickleStats } from './server/trickle-server.js';

export { createTrickleService, DEFAULT_CHANNEL_MIME_TYPE } from './channel-service.js';
export { localChannel } from './local-channel.js';
export { Channel, type ReadTarget } from './server/channel.js';
export { handleTrickle, type HandlerOptions, type RawRequest, type RawResponse } from './server/http-handler.js';
export { mountTrickle } from './server/mount.js';
export { Segment, SegmentCursor } from './server/segment.js';
export { TrickleServer, type TrickleServerOptions, type TrickleStats } from './server/trickle-server.js';

const manifest = manifestJson as PluginManifest;

export interface TrickleConfig {
  readonly idleTimeoutMs?: number;
  readonly sweepIntervalMs?: number;
}

export const tricklePlugin = definePlugin({
  manifest,
  register(reg) {
    // One server per node that loads the plugin; the service factory below hands it out.
    let server: TrickleServer | undefined;
    reg.registerInit({
      deps: { config: coreServices.config, logger: coreServices.logger, lifecycle: coreServices.lifecycle, metrics: coreServices.metrics, wire: coreServices.orchestratorWire },
      init({ config, logger, lifecycle, metrics, wire }) {
        const settings = config.get<TrickleConfig>();
        const channels = metrics.gauge({ name: 'channels', help: 'Trickle channels open on this node' });
        const subscribers = metrics.gauge({ name: 'subscribers', help: 'GET requests streaming (or waiting for) a segment' });
        const bytesIn = metrics.counter({ name: 'bytes_in_total', help: 'Bytes publishers wrote into trickle segments' });
        const bytesOut = metrics.counter({ name: 'bytes_out_total', help: 'Bytes sent to trickle subscribers over HTTP' });
        const stats: TrickleStats = {
          onChannels: (count) => channels.set({}, count),
          onSubscribers: (delta) => subscribers.inc({}, delta),
          onBytesIn: (bytes) => bytesIn.inc({}, bytes),
          onBytesOut: (bytes) => bytesOut.inc({}, bytes),
        };
        server = new TrickleServer({ ...(settings.idleTimeoutMs !== undefined ? { idleTimeoutMs: settings.idleTimeoutMs } : {}), ...(settings.sweepIntervalMs !== undefined ? { sweepIntervalMs: settings.sweepIntervalMs } : {}) }, stats);
        const running = server;
        if (!wire.enabled) {
          logger.info('no orchestrator role: trickle channels are not served on this node');
          return;
        }
        wire.register(async (scope) => mountTrickle(scope, running));
        running.onRemoved((names) => logger.debug({ channels: names }, 'trickle channels removed (idle or deleted by a client)'));
        lifecycle.onStart(() => running.start());
        // Closing every channel as soon as shutdown begins answers the preconnected requests with
        // end of stream, before the front door starts draining (it would otherwise wait on them).
        lifecycle.signal.addEventListener('abort', () => running.stop(), { once: true });
        lifecycle.onShutdown(() => running.stop());
      },
    });
    reg.registerService(trickleServiceRef, {
      deps: { wire: coreServices.orchestratorWire },
      factory: ({ wire }) => createTrickleService(server!, wire),
    });
  },
});

export default tricklePlugin;
