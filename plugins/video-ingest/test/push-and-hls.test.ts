import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import t from 'tap';
import { ingestApp, push, testSegment } from './helpers/ingest-app.js';
import { parseMaster, parseMedia, parseMultipartMixed, probeBytes } from './helpers/parse-answers.js';

t.test('a push with Accept: multipart/mixed gets every rendition back, named as go-livepeer names them', async (t) => {
  const { app, gateway, counts } = await ingestApp(t);
  const segment = await testSegment();
  const res = await push(app, '/live/movie/12.ts', segment, { accept: 'multipart/mixed', 'content-duration': '1000', 'content-resolution': '320x180' });
  t.equal(res.statusCode, 200);
  const parts = parseMultipartMixed(String(res.headers['content-type']), res.rawPayload);
  t.same(parts.map((p) => p.headers['rendition-name']), ['P144p30fps16x9', 'tiny']);
  t.same(parts[0]?.headers, {
    'content-disposition': 'attachment; filename="P144p30fps16x9_12.ts"',
    'content-length': String(parts[0]?.data.length),
    'content-type': 'video/mp2t; name="P144p30fps16x9_12.ts"',
    'rendition-name': 'P144p30fps16x9',
  });
  const sizes = await Promise.all(parts.map(async (p) => (await probeBytes(p.data)).video));
  t.match(sizes, [{ codec: 'H264', width: 256, height: 144 }, { codec: 'H264', width: 160, height: 90 }], 'ffprobe reads the renditions at the asked sizes');
  t.match(gateway.calls[0], { streamId: 'movie', seq: 12, format: 'mpegts', durationMs: 1000 });
  t.same(gateway.calls[0]?.profiles.map((p) => p.name), ['P144p30fps16x9', 'tiny']);
  t.match(counts, { 'segments_in.transcoded': 1, segments_out: 1, renditions_out: 2, streams: 1 });
});

t.test('without Accept: multipart/mixed the answer is 200 with no body (go-livepeer)', async (t) => {
  const { app } = await ingestApp(t);
  const res = await app.inject({ method: 'PUT', url: '/live/movie/0.ts', payload: await testSegment() });
  t.equal(res.statusCode, 200);
  t.equal(res.rawPayload.length, 0);
});

t.test('HLS: master lists source + ladder, media playlists slide over the window, segments are served', async (t) => {
  const { app } = await ingestApp(t, { windowSize: 3 });
  const segment = await testSegment();
  t.equal((await app.inject({ url: '/stream/movie.m3u8' })).statusCode, 404, 'nothing to play before the first segment');
  for (const seq of [0, 1, 2, 3, 4]) t.equal((await push(app, `/live/movie/${seq}.ts`, segment, { 'content-duration': '1000', 'content-resolution': '320x180' })).statusCode, 200);

  const master = await app.inject({ url: '/stream/movie.m3u8' });
  t.equal(master.headers['content-type'], 'application/x-mpegURL');
  const variants = parseMaster(master.body).variants;
  t.same(variants.map((v) => v.uri), ['movie/source.m3u8', 'movie/P144p30fps16x9.m3u8', 'movie/tiny.m3u8']);
  t.same(variants.map((v) => v.resolution), [{ width: 320, height: 180 }, { width: 256, height: 144 }, { width: 160, height: 90 }]);
  t.same(variants.slice(1).map((v) => v.bandwidth), [400_000, 100_000]);
  t.ok(variants[0]!.bandwidth > 0, 'the source bandwidth is measured from its bytes');
  t.match(master.body, /NAME="tiny"/);

  for (const rendition of ['source', 'P144p30fps16x9', 'tiny']) {
    const media = parseMedia((await app.inject({ url: `/stream/movie/${rendition}.m3u8` })).body);
    t.equal(media.mediaSequenceBase, 2, `${rendition}: two segments left the window`);
    t.equal(media.targetDuration, 1);
    t.same(media.segments.map((s) => [s.uri, s.duration]), [[`${rendition}/2.ts`, 1], [`${rendition}/3.ts`, 1], [`${rendition}/4.ts`, 1]]);
    const seg = await app.inject({ url: `/stream/movie/${rendition}/4.ts` });
    t.equal(seg.statusCode, 200);
    t.equal(seg.headers['content-type'], 'video/mp2t');
  }
  const tiny = await app.inject({ url: '/stream/movie/tiny/4.ts' });
  t.match((await probeBytes(tiny.rawPayload)).video, { width: 160, height: 90 });
  const gone = await app.inject({ url: '/stream/movie/tiny/1.ts' });
  t.match(gone.json(), { status: 404, code: 'LPX_ERR_INGEST_STREAM_NOT_FOUND' }, 'out of the window');
  t.match((await app.inject({ url: '/stream/movie/nope.m3u8' })).json(), { code: 'LPX_ERR_INGEST_STREAM_NOT_FOUND' });
  t.match((await app.inject({ url: '/stream/other.m3u8' })).json(), { code: 'LPX_ERR_INGEST_STREAM_NOT_FOUND' });
});

t.test('an .mp4 push gets .mp4 renditions', async (t) => {
  const { app, gateway } = await ingestApp(t, { keepSource: false });
  const res = await push(app, '/live/clip/1.mp4', await testSegment({ format: 'mp4' }), { accept: 'multipart/mixed', 'content-type': 'video/mp4' });
  t.equal(res.statusCode, 200);
  const parts = parseMultipartMixed(String(res.headers['content-type']), res.rawPayload);
  t.same(parts.map((p) => p.headers['content-disposition']), ['attachment; filename="P144p30fps16x9_1.mp4"', 'attachment; filename="tiny_1.mp4"']);
  t.equal(parts[0]?.headers['content-type'], 'video/mp4; name="P144p30fps16x9_1.mp4"');
  t.match((await probeBytes(parts[1]!.data, 'mp4')).video, { width: 160, height: 90 });
  t.equal(gateway.calls[0]?.format, 'mp4');
  t.same(gateway.calls[0]?.profiles.map((p) => p.format), ['mp4', 'mp4']);
  t.same(parseMaster((await app.inject({ url: '/stream/clip.m3u8' })).body).variants.map((v) => v.uri), ['clip/P144p30fps16x9.m3u8', 'clip/tiny.m3u8'], 'no source when keepSource is off');
});

t.test('a replayed seq with the same bytes is answered from memory: not transcoded or paid twice', async (t) => {
  const { app, gateway, counts } = await ingestApp(t);
  const segment = await testSegment();
  const first = await push(app, '/live/movie/7.ts', segment, { accept: 'multipart/mixed' });
  const again = await push(app, '/live/movie/7.ts', segment, { accept: 'multipart/mixed' });
  t.equal(again.statusCode, 200);
  const a = parseMultipartMixed(String(first.headers['content-type']), first.rawPayload);
  const b = parseMultipartMixed(String(again.headers['content-type']), again.rawPayload);
  t.same(b.map((p) => p.data), a.map((p) => p.data), 'the same rendition bytes');
  t.equal(gateway.calls.length, 1, 'one transcode');
  t.match(counts, { 'segments_in.transcoded': 1, 'segments_in.replayed': 1, renditions_out: 2 });
  t.equal(parseMedia((await app.inject({ url: '/stream/movie/tiny.m3u8' })).body).segments.length, 1, 'listed once');
});

t.test('concurrent pushes of one seq share one transcode', async (t) => {
  const { app, gateway } = await ingestApp(t);
  const segment = await testSegment();
  const release = gateway.hold();
  const pending = [push(app, '/live/movie/3.ts', segment, { accept: 'multipart/mixed' }), push(app, '/live/movie/3.ts', segment, { accept: 'multipart/mixed' })];
  while (gateway.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
  release();
  const answers = await Promise.all(pending);
  t.same(answers.map((r) => r.statusCode), [200, 200]);
  t.equal(gateway.calls.length, 1);
  t.same(parseMultipartMixed(String(answers[1]!.headers['content-type']), answers[1]!.rawPayload).map((p) => p.data.length), parseMultipartMixed(String(answers[0]!.headers['content-type']), answers[0]!.rawPayload).map((p) => p.data.length));
});

t.test('a late, lower seq is answered but not inserted mid-playlist', async (t) => {
  const { app } = await ingestApp(t);
  const segment = await testSegment();
  await push(app, '/live/movie/5.ts', segment);
  const late = await push(app, '/live/movie/4.ts', segment, { accept: 'multipart/mixed' });
  t.equal(late.statusCode, 200);
  t.equal(parseMultipartMixed(String(late.headers['content-type']), late.rawPayload).length, 2);
  t.same(parseMedia((await app.inject({ url: '/stream/movie/tiny.m3u8' })).body).segments.map((s) => s.uri), ['tiny/5.ts']);
});

t.test("ffmpeg's segment muxer pushes a live source over real HTTP: hanging up early cancels nothing, segments finishing out of order are published in order", async (t) => {
  const { app, gateway, ingest } = await ingestApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  await promisify(execFile)('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30:duration=3',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-f', 'segment', '-segment_time', '1', '-segment_format', 'mpegts',
    '-method', 'POST', '-content_type', 'video/mp2t', `http://127.0.0.1:${port}/live/cam/%d.ts`,
  ]);
  // ffmpeg does not wait for the answers: the transcodes finish after it exits.
  while ((ingest.stream('cam')?.window.length ?? 0) < 3) await new Promise((resolve) => setTimeout(resolve, 20));
  t.same(gateway.calls.map((c) => [c.streamId, c.seq, c.signal?.aborted ?? false]), [['cam', 0, false], ['cam', 1, false], ['cam', 2, false]]);
  const media = parseMedia((await app.inject({ url: '/stream/cam/P144p30fps16x9.m3u8' })).body);
  t.same(media.segments.map((s) => s.uri), ['P144p30fps16x9/0.ts', 'P144p30fps16x9/1.ts', 'P144p30fps16x9/2.ts']);
  t.equal(media.segments[0]!.duration, 2, 'no Content-Duration from ffmpeg: 2 s as go-livepeer assumes');
});

t.test('a seq that finishes before a lower one still in flight is answered at once and published after it', async (t) => {
  const { app, gateway, ingest } = await ingestApp(t);
  const segment = await testSegment();
  const release = gateway.hold(1);
  const first = push(app, '/live/o/1.ts', segment);
  while (gateway.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
  const second = await push(app, '/live/o/2.ts', segment, { accept: 'multipart/mixed' });
  t.equal(second.statusCode, 200, 'seq 2 is answered while seq 1 is still in flight');
  t.same(ingest.stream('o')!.window.map((s) => s.seq), [], 'but not published before seq 1');
  release();
  t.equal((await first).statusCode, 200);
  t.same(ingest.stream('o')!.window.map((s) => s.seq), [1, 2]);
});

t.test('a failed seq in between holds nothing back; later seqs still wait for lower ones in flight', async (t) => {
  const { app, gateway, ingest } = await ingestApp(t);
  const segment = await testSegment();
  const release = gateway.hold(1);
  const first = push(app, '/live/o/1.ts', segment);
  while (gateway.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
  gateway.failNext(new Error('orchestrator gone'));
  t.equal((await push(app, '/live/o/2.ts', segment)).statusCode, 502);
  t.equal((await push(app, '/live/o/3.ts', segment)).statusCode, 200);
  t.same(ingest.stream('o')!.window.map((s) => s.seq), [], 'seq 3 waits for seq 1');
  release();
  t.equal((await first).statusCode, 200);
  t.same(ingest.stream('o')!.window.map((s) => s.seq), [1, 3]);
});
