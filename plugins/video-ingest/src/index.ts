import { coreServices, definePlugin, errors, parseLadder, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { withDefaults, type VideoIngestConfig } from './ingest-config.js';
import { ingestMetrics } from './ingest-metrics.js';
import { ingestRoutes } from './ingest-routes.js';
import { VideoIngest } from './video-ingest.js';

export { buildMultipartMixed, type MultipartRendition } from './multipart-mixed.js';
export { masterPlaylist, mediaPlaylist } from './hls-playlists.js';
export { ingestRoutes } from './ingest-routes.js';
export { DEFAULT_CONFIG, withDefaults, type VideoIngestConfig } from './ingest-config.js';
export { VideoIngest, type PushInput, type VideoIngestOptions } from './video-ingest.js';
export type { IngestMetrics } from './ingest-metrics.js';

const manifest = manifestJson as PluginManifest;

/**
 * go-livepeer's HTTP push ingest and HLS output on a gateway node: segments
 * pushed to /live/... are transcoded through coreServices.gateway and served
 * back as multipart/mixed and under /stream/... .
 */
export const videoIngestPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.config, logger: coreServices.logger, lifecycle: coreServices.lifecycle, http: coreServices.http, metrics: coreServices.metrics, gateway: coreServices.gateway },
      init({ config, logger, lifecycle, http, metrics, gateway }) {
        const settings = withDefaults(config.get<Partial<VideoIngestConfig>>());
        // A bad configured ladder fails the boot, not the first push.
        if (settings.keepSource && parseLadder(settings.ladder).some((profile) => profile.name === 'source')) {
          throw errors.transcode.PROFILE_INVALID.create('the configured ladder names a profile "source", which is the pushed segment\'s own rendition (keepSource)');
        }
        if (!gateway.enabled) {
          logger.warn('this node has no gateway role: pushes to /live/... will be refused with LPX_ERR_GATEWAY_NOT_ENABLED');
        }
        const ingest = new VideoIngest({ config: settings, gateway, logger, metrics: ingestMetrics(metrics), signal: lifecycle.signal });
        for (const route of ingestRoutes(ingest, settings)) http.rootRoute(route);
        let sweeper: NodeJS.Timeout | undefined;
        lifecycle.onStart(() => {
          // A quarter of the idle timeout (at most 5 s) keeps an idle stream's end within 25% of its timeout.
          sweeper = setInterval(() => void ingest.sweep(), Math.min(5_000, Math.max(50, settings.idleTimeoutMs / 4)));
          sweeper.unref();
        });
        lifecycle.onShutdown(async () => {
          clearInterval(sweeper);
          await ingest.close();
        });
      },
    });
  },
});

export default videoIngestPlugin;
