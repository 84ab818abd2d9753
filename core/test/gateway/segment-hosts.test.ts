// The whole path on real Hosts: a gateway node whose plugin calls
// coreServices.gateway.transcodeSegment, the route job on the gateway's
// video/transcode queue in Redis, the pool discovering two real lpx
// orchestrators over gRPC (discovery-static), the /segment wire, and the
// orchestrators' own transcode workers: one with the transcode-ffmpeg plugin
// (real ffmpeg), one whose backend crashes mid-segment (core/test/transcode's
// ffmpeg test backend with its crash switch). The failing one is tried first
// (a test selection algorithm prefers it), suspended, its session ended; the
// segment comes back from the other, signature and pixel counts verified.
import t from 'tap';
import {
  coreServices,
  definePlugin,
  errors,
  HOST_API_VERSION,
  presetProfile,
  selectionAlgorithmsExtensionPoint,
  type GatewayService,
  type PluginDefinition,
  type TranscodeProfile,
} from '@lpx/sdk';
import { probeMedia } from '@lpx/sdk/testing';
import discoveryStaticPlugin from '@lpx/plugin-discovery-static';
import transcodeFfmpegPlugin from '@lpx/plugin-transcode-ffmpeg';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHost } from '../../../test/helpers/host.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { testBackend, testBackendPlugin } from '../transcode/helpers/ffmpeg-test-backend.js';
import { sourceSegment, until } from '../transcode/helpers/media.js';

/** The ingest side, as small as a plugin gets: it keeps the service for the test to call. */
function ingestPlugin(got: { gateway?: GatewayService }): PluginDefinition {
  return definePlugin({
    manifest: { id: 'segment-ingest-test', version: '1.0.0', host: `^${HOST_API_VERSION}`, permissions: ['spend'], requires: { services: ['core.gateway'] } },
    register(reg) {
      reg.registerInit({ deps: { gateway: coreServices.gateway }, init: ({ gateway }) => void (got.gateway = gateway) });
    },
  });
}

/** Orders candidates by a list the test sets (so the failing orchestrator is tried first). */
function preferPlugin(prefer: () => readonly string[]): PluginDefinition {
  return definePlugin({
    manifest: { id: 'selection-prefer-test', version: '1.0.0', host: `^${HOST_API_VERSION}`, requires: { extensionPoints: [selectionAlgorithmsExtensionPoint.id] } },
    register(reg) {
      reg.registerInit({
        deps: { algorithms: selectionAlgorithmsExtensionPoint },
        init: ({ algorithms }) =>
          algorithms.addAlgorithm({
            name: 'prefer-test',
            select: (candidates) => {
              const rank = (uri: string) => (prefer().includes(uri) ? prefer().indexOf(uri) : Number.MAX_SAFE_INTEGER);
              return [...candidates].sort((a, b) => rank(a.uri) - rank(b.uri));
            },
          }),
      });
    },
  });
}

const small = (name: string, width: number, height: number): TranscodeProfile => ({ ...presetProfile('P144p30fps16x9')!, name, width, height });
const LADDER = [small('P144p30fps16x9', 256, 144), small('tiny', 160, 90)];

t.test('a gateway plugin transcodes through the route queue on real orchestrators; the failing one is suspended', async (t) => {
  const redis = await testRedis(t);
  const orchestratorNode = (prefix: string, plugin: PluginDefinition, config: Record<string, unknown> = {}) =>
    makeHost(t, [plugin], { redis: { url: redis.url, prefix: uniquePrefix(prefix) }, node: { roles: ['orchestrator', 'worker'] }, orchestrator: { port: 0 }, transcode: { heartbeatMs: 200 }, ...config });
  const good = orchestratorNode('seg-good', transcodeFfmpegPlugin, {
    plugins: { 'transcode-ffmpeg': { config: { ffmpegPath: '/usr/bin/ffmpeg', ffprobePath: '/usr/bin/ffprobe', preset: 'ultrafast', maxSessions: 2 } } },
  });
  const crashing = testBackend({ capacity: 2, behavior: 'crash' });
  const bad = orchestratorNode('seg-bad', testBackendPlugin('test-transcode', crashing));
  await Promise.all([good.start(), bad.start()]);
  await until(() => (good.capabilities.get('video/transcode')?.capacity ?? 0) > 0 && (bad.capabilities.get('video/transcode')?.capacity ?? 0) > 0, 'both orchestrators advertise transcode capacity');

  const got: { gateway?: GatewayService } = {};
  const gateway = makeHost(t, [discoveryStaticPlugin, preferPlugin(() => [bad.serviceUri!, good.serviceUri!]), ingestPlugin(got)], {
    redis: { url: redis.url, prefix: uniquePrefix('seg-gateway') },
    node: { roles: ['gateway'] },
    plugins: { 'discovery-static': { config: { orchAddr: `${bad.serviceUri},${good.serviceUri}` } } },
    gateway: { selection: 'prefer-test', segmentVerification: 'pixels' },
  });
  await gateway.start();
  const service = got.gateway!;
  t.ok(service.enabled, 'enabled on a gateway node');

  const source = await sourceSegment();
  const result = await service.transcodeSegment({ streamId: 'hosts-stream', seq: 0, data: source, format: 'mpegts', durationMs: 1_000, profiles: LADDER });
  t.equal(result.orchestrator, good.serviceUri, 'done by the working orchestrator');
  t.equal(result.attempts, 2, 'after the crashing one');
  t.equal(crashing.tasks.length, 1, 'the crashing backend got the segment first');
  t.same(result.renditions.map((r) => r.profile), LADDER.map((p) => p.name));

  const dir = await mkdtemp(join(tmpdir(), 'lpx-seg-hosts-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  for (const [i, rendition] of result.renditions.entries()) {
    const path = join(dir, `${i}.ts`);
    await writeFile(path, rendition.data);
    const probed = await probeMedia(path, { ffprobePath: '/usr/bin/ffprobe' });
    t.equal(probed.video?.width, LADDER[i]!.width, `${rendition.profile}: width`);
    t.equal(probed.video?.height, LADDER[i]!.height, `${rendition.profile}: height`);
    t.equal(rendition.pixels, BigInt(probed.video!.width * probed.video!.height * probed.video!.frames), `${rendition.profile}: charged pixels = decoded pixels`);
  }
  // The crashing orchestrator's session was dropped and ended over gRPC (EndTranscodingSession).
  await until(() => crashing.ended.length > 0, 'the failed session ended at the crashing orchestrator');
  t.equal(crashing.ended[0], crashing.tasks[0]!.sessionId);

  const next = await service.transcodeSegment({ streamId: 'hosts-stream', seq: 1, data: source, format: 'mpegts', durationMs: 1_000, profiles: LADDER });
  t.equal(next.orchestrator, good.serviceUri);
  t.equal(next.attempts, 1, 'the stream sticks to the orchestrator that worked');
  t.equal(crashing.tasks.length, 1, 'the suspended one gets nothing more');

  const metric = async (name: string) => gateway.metrics.getSingleMetricAsString(name);
  t.match(await metric('lpx_gateway_segments_total'), /lpx_gateway_segments_total\{outcome="transcoded"\} 2/, '/metrics counts the segments');
  t.match(await metric('lpx_gateway_segment_renditions_total'), new RegExp(`orchestrator="${good.serviceUri}"\\} 4`), 'and the renditions per orchestrator');
  const pixels = result.renditions.concat(next.renditions).reduce((sum, r) => sum + r.pixels, 0n);
  t.match(await metric('lpx_gateway_segment_pixels_total'), new RegExp(`\\} ${pixels}$`, 'm'), 'and the pixels paid for');
  const phases = await metric('lpx_gateway_segment_seconds');
  for (const phase of ['prepare', 'transcode', 'download', 'verify']) {
    t.match(phases, new RegExp(`lpx_gateway_segment_seconds_count\\{phase="${phase}"\\} 2$`, 'm'), `the ${phase} time of both successful attempts is observed`);
  }

  await service.endStream('hosts-stream');
  await t.rejects(service.transcodeSegment({ streamId: 'hosts-stream', seq: 2, data: new Uint8Array(0), format: 'mpegts', durationMs: 1_000, profiles: LADDER }), {
    code: errors.transcode.INPUT_INVALID.code,
  }, 'an empty segment is refused before anything is queued or paid');
});

t.test('on a node without the gateway role the service says so', async (t) => {
  const got: { gateway?: GatewayService } = {};
  const host = makeHost(t, [ingestPlugin(got)], { node: { roles: ['worker'] } });
  await host.start();
  t.equal(got.gateway!.enabled, false);
  await t.rejects(got.gateway!.transcodeSegment({ streamId: 's', seq: 0, data: new Uint8Array(1), format: 'mpegts', durationMs: 0, profiles: LADDER }), { code: errors.gateway.NOT_ENABLED.code });
  await t.rejects(got.gateway!.endStream('s'), { code: errors.gateway.NOT_ENABLED.code });
});

t.test('a tenant is checked before anything is queued: unknown, not allowed to transcode, out of budget', async (t) => {
  const got: { gateway?: GatewayService } = {};
  const redis = await testRedis(t);
  const host = makeHost(t, [ingestPlugin(got)], {
    redis: { url: redis.url, prefix: uniquePrefix('seg-tenants') },
    node: { roles: ['gateway'] },
    gateway: {
      tenants: {
        echoer: { keys: ['a'.repeat(64)], capabilities: ['byoc/*'] },
        broke: { keys: ['b'.repeat(64)], budget: { spendPerPeriod: '0', periodSeconds: 3600 } },
      },
    },
  });
  await host.start();
  const ask = (tenant: string) => got.gateway!.transcodeSegment({ streamId: 's', seq: 0, data: new Uint8Array(1), format: 'mpegts', durationMs: 1_000, profiles: LADDER, tenant });
  await t.rejects(ask('nobody'), { code: errors.gateway.API_KEY_INVALID.code });
  await t.rejects(ask('echoer'), { code: errors.gateway.CAPABILITY_NOT_ALLOWED.code });
  await t.rejects(ask('broke'), { code: errors.gateway.BUDGET_EXHAUSTED.code });
});
