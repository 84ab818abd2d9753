// The plugin as an operator runs it: loaded on a real gateway Host (its root
// routes on the node's HTTP edge, coreServices.gateway from the kernel), the
// segment routed over go-livepeer's /segment wire to a real lpx orchestrator
// Host whose transcode-ffmpeg plugin runs the real ffmpeg, paid in pixels.
import t from 'tap';
import discoveryStaticPlugin from '@lpx/plugin-discovery-static';
import transcodeFfmpegPlugin from '@lpx/plugin-transcode-ffmpeg';
import { makeHost } from '../../../test/helpers/host.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import videoIngestPlugin from '../src/index.js';
import { testSegment } from './helpers/ingest-app.js';
import { parseMaster, parseMedia, parseMultipartMixed, probeBytes } from './helpers/parse-answers.js';

async function until(check: () => boolean, what: string): Promise<void> {
  // Bounded by tap's test timeout, not by a threshold of ours.
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 50));
  void what;
}

t.test('a 1080p segment pushed to a gateway Host, transcoded by an lpx orchestrator Host into the default ladder, answered as multipart and served as HLS', async (t) => {
  const redis = await testRedis(t);
  const orchestrator = makeHost(t, [transcodeFfmpegPlugin], {
    redis: { url: redis.url, prefix: uniquePrefix('ingest-orch') },
    node: { roles: ['orchestrator', 'worker'] },
    orchestrator: { port: 0 },
    transcode: { heartbeatMs: 200 },
    plugins: { 'transcode-ffmpeg': { config: { ffmpegPath: '/usr/bin/ffmpeg', ffprobePath: '/usr/bin/ffprobe', preset: 'ultrafast', maxSessions: 2 } } },
  });
  await orchestrator.start();
  await until(() => (orchestrator.capabilities.get('video/transcode')?.capacity ?? 0) > 0, 'the orchestrator advertises transcode capacity');

  const gateway = makeHost(t, [discoveryStaticPlugin, videoIngestPlugin], {
    redis: { url: redis.url, prefix: uniquePrefix('ingest-gw') },
    node: { roles: ['gateway'] },
    plugins: { 'discovery-static': { config: { orchAddr: orchestrator.serviceUri } } },
    // The gateway decodes each rendition and refuses a charge that differs from the pixels it holds.
    gateway: { segmentVerification: 'pixels' },
  });
  await gateway.start();

  const segment = await testSegment({ width: 1920, height: 1080, durationMs: 2000 });
  const res = await fetch(`${gateway.url}/live/hoststream/0.ts`, {
    method: 'POST',
    body: segment,
    headers: { 'content-type': 'video/mp2t', 'content-duration': '2000', 'content-resolution': '1920x1080', accept: 'multipart/mixed' },
  });
  t.equal(res.status, 200);
  const parts = parseMultipartMixed(String(res.headers.get('content-type')), Buffer.from(await res.arrayBuffer()));
  t.same(parts.map((p) => p.headers['rendition-name']), ['P240p30fps16x9', 'P360p30fps16x9'], "go-livepeer's default ladder");
  t.match(await Promise.all(parts.map(async (p) => (await probeBytes(p.data)).video)), [{ codec: 'H264', width: 426, height: 240, frames: 60 }, { codec: 'H264', width: 640, height: 360, frames: 60 }]);

  const master = parseMaster(await (await fetch(`${gateway.url}/stream/hoststream.m3u8`)).text());
  t.same(master.variants.map((v) => [v.uri, v.resolution]), [
    ['hoststream/source.m3u8', { width: 1920, height: 1080 }],
    ['hoststream/P240p30fps16x9.m3u8', { width: 426, height: 240 }],
    ['hoststream/P360p30fps16x9.m3u8', { width: 640, height: 360 }],
  ]);
  const media = parseMedia(await (await fetch(`${gateway.url}/stream/hoststream/P360p30fps16x9.m3u8`)).text());
  t.same(media.segments.map((s) => [s.uri, s.duration]), [['P360p30fps16x9/0.ts', 2]]);
  const rendition = await fetch(`${gateway.url}/stream/hoststream/P360p30fps16x9/0.ts`);
  t.same(Buffer.from(await rendition.arrayBuffer()), parts[1]!.data, 'HLS serves the bytes the push was answered with');

  const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
  t.match(metrics, /lpx_video_ingest_segments_in_total\{result="transcoded"\} 1/);
  t.match(metrics, /lpx_video_ingest_renditions_out_total 2/);

  const bad = await fetch(`${gateway.url}/live/hoststream/1.ts`, { method: 'POST', body: 'x', headers: { 'content-type': 'application/json' } });
  t.equal(bad.status, 415);
  t.match(await bad.json(), { code: 'LPX_ERR_INGEST_CONTENT_TYPE' }, 'the kernel edge answers the plugin refusal as problem+json');
});

t.test('on a node without the gateway role a push is refused with the kernel code; segments obey maxSegmentBytes, not the edge-wide body limit', async (t) => {
  const segment = await testSegment();
  const host = makeHost(t, [videoIngestPlugin], { node: { roles: ['worker'] }, http: { port: 0, bodyLimitBytes: 1024 }, plugins: { 'video-ingest': { config: { maxSegmentBytes: segment.length + 1 } } } });
  await host.start();
  const res = await host.http.inject({ method: 'POST', url: '/live/s/0.ts', payload: segment, headers: { 'content-type': 'video/mp2t' } });
  t.equal(res.statusCode, 503, `a ${segment.length}-byte segment passes the 1024-byte edge limit`);
  t.match(res.json(), { code: 'LPX_ERR_GATEWAY_NOT_ENABLED' });
  const big = await host.http.inject({ method: 'POST', url: '/live/s/0.ts', payload: Buffer.concat([segment, Buffer.alloc(2)]), headers: { 'content-type': 'video/mp2t' } });
  t.match(big.json(), { status: 413, code: 'LPX_ERR_INGEST_SEGMENT_TOO_LARGE' });
});

for (const [ladder, message] of [
  ['P240p30fps16x9,P9000p', /unknown preset "P9000p"/],
  [[{ name: 'source', width: 2, height: 2, bitrate: 1 }], /names a profile "source"/],
] as const) {
  t.test(`a bad configured ladder fails the boot: ${JSON.stringify(ladder)}`, async (t) => {
    const host = makeHost(t, [videoIngestPlugin], { node: { roles: ['worker'] }, plugins: { 'video-ingest': { config: { ladder } } } });
    await t.rejects(host.start(), { message });
  });
}
