import t from 'tap';
import { errors } from '@lpx/sdk';
import { ingestApp, push, testSegment } from './helpers/ingest-app.js';
import { parseMedia } from './helpers/parse-answers.js';

const problem = 'application/problem+json';

t.test('refusals before any transcode, each a coded problem+json', async (t) => {
  const { app, gateway, counts } = await ingestApp(t, { maxSegmentBytes: 4096 });
  const small = Buffer.alloc(100, 0x47);
  const cases: [string, Promise<{ statusCode: number; headers: Record<string, unknown>; json(): unknown }>, number, string][] = [
    ['zero bytes', push(app, '/live/s/1.ts', Buffer.alloc(0)), 422, 'LPX_ERR_TRANSCODE_INPUT_INVALID'],
    ['wrong content type', push(app, '/live/s/1.ts', small, { 'content-type': 'application/json' }), 415, 'LPX_ERR_INGEST_CONTENT_TYPE'],
    ['form-encoded (curl -d)', push(app, '/live/s/1.ts', small, { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'LPX_ERR_INGEST_CONTENT_TYPE'],
    ['a declared body over the limit', push(app, '/live/s/1.ts', Buffer.alloc(5000)), 413, 'LPX_ERR_INGEST_SEGMENT_TOO_LARGE'],
    ['a seq that is not a number', push(app, '/live/s/abc.ts', small), 400, 'LPX_ERR_INGEST_PUSH_URL_INVALID'],
    ['an m3u8 push (ffmpeg HLS muxer)', push(app, '/live/s/index.m3u8', small), 400, 'LPX_ERR_INGEST_PUSH_URL_INVALID'],
    ['a bad manifest id', push(app, '/live/s%20x/1.ts', small), 400, 'LPX_ERR_INGEST_PUSH_URL_INVALID'],
    ['a negative duration', push(app, '/live/s/1.ts', small, { 'content-duration': '-5' }), 400, 'LPX_ERR_INGEST_DURATION_INVALID'],
    ['a ten-minute duration', push(app, '/live/s/1.ts', small, { 'content-duration': '600000' }), 400, 'LPX_ERR_INGEST_DURATION_INVALID'],
    ['a config header that is not JSON', push(app, '/live/s/1.ts', small, { 'livepeer-transcode-configuration': '{"end brace": "is missing"' }), 400, 'LPX_ERR_INGEST_CONFIG_HEADER_INVALID'],
    ['unknown preset in the header', push(app, '/live/s/1.ts', small, { 'livepeer-transcode-configuration': '{"presets":["P9000p"]}' }), 400, 'LPX_ERR_TRANSCODE_PROFILE_INVALID'],
    ['odd resolution in the header', push(app, '/live/s/1.ts', small, { 'livepeer-transcode-configuration': '{"profiles":[{"width":321,"height":180,"bitrate":1000}]}' }), 400, 'LPX_ERR_TRANSCODE_PROFILE_INVALID'],
    ['zero resolution in the header', push(app, '/live/s/1.ts', small, { 'livepeer-transcode-configuration': '{"profiles":[{"width":0,"height":0,"bitrate":1000}]}' }), 400, 'LPX_ERR_TRANSCODE_PROFILE_INVALID'],
    ['a profile named source', push(app, '/live/s/1.ts', small, { 'livepeer-transcode-configuration': '{"profiles":[{"name":"source","width":2,"height":2,"bitrate":1000}]}' }), 400, 'LPX_ERR_TRANSCODE_PROFILE_INVALID'],
  ];
  for (const [name, pending, status, code] of cases) {
    const res = await pending;
    t.equal(res.statusCode, status, name);
    t.match(String(res.headers['content-type']), problem, `${name}: problem+json`);
    t.match(res.json(), { status, code }, name);
  }
  t.equal(gateway.calls.length, 0, 'nothing reached the routing');
  t.equal(counts['failure.LPX_ERR_TRANSCODE_INPUT_INVALID'], 1, 'refusals inside the ingest are counted by code');
});

t.test('a chunked body over the limit is refused while reading (no Content-Length)', async (t) => {
  const { app } = await ingestApp(t, { maxSegmentBytes: 1024 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < 8; i++) controller.enqueue(new Uint8Array(512));
      controller.close();
    },
  });
  const res = await fetch(`http://127.0.0.1:${address.port}/live/s/1.ts`, { method: 'POST', body, headers: { 'content-type': 'video/mp2t' }, duplex: 'half' } as RequestInit);
  t.equal(res.status, 413);
  t.match(await res.json(), { code: 'LPX_ERR_INGEST_SEGMENT_TOO_LARGE' });
});

t.test('corrupt TS and audio-only input: the routing error is passed on and nothing is published', async (t) => {
  const { app } = await ingestApp(t);
  await push(app, '/live/s/1.ts', await testSegment());
  const garbage = await push(app, '/live/s/2.ts', Buffer.alloc(4000, 7));
  t.equal(garbage.statusCode, 502);
  t.match(garbage.json(), { code: 'LPX_ERR_TRANSCODE_FAILED' });
  const audio = await push(app, '/live/s/3.ts', await testSegment({ video: false }));
  t.match(audio.json(), { code: 'LPX_ERR_TRANSCODE_FAILED' });
  t.same(parseMedia((await app.inject({ url: '/stream/s/tiny.m3u8' })).body).segments.map((s) => s.uri), ['tiny/1.ts']);
});

t.test('a failed transcode leaves the playlists consistent; a retry of that seq transcodes again', async (t) => {
  const { app, gateway, counts } = await ingestApp(t);
  const segment = await testSegment();
  await push(app, '/live/s/1.ts', segment);
  gateway.failNext(errors.gateway.NOT_ENABLED.create('routing down'));
  const failed = await push(app, '/live/s/2.ts', segment, { accept: 'multipart/mixed' });
  t.equal(failed.statusCode, 503);
  t.match(failed.json(), { code: 'LPX_ERR_GATEWAY_NOT_ENABLED' });
  gateway.failNext(new Error('socket hang up'));
  const uncoded = await push(app, '/live/s/2.ts', segment);
  t.equal(uncoded.statusCode, 502);
  t.match(uncoded.json(), { code: 'LPX_ERR_INGEST_TRANSCODE_FAILED' }, 'an uncoded failure gets the ingest code');
  for (const rendition of ['source', 'P144p30fps16x9', 'tiny']) {
    t.same(parseMedia((await app.inject({ url: `/stream/s/${rendition}.m3u8` })).body).segments.map((s) => s.uri), [`${rendition}/1.ts`], `${rendition}: seq 2 absent`);
  }
  t.equal((await app.inject({ url: '/stream/s/source/2.ts' })).statusCode, 404, 'not even its source');
  t.equal((await push(app, '/live/s/2.ts', segment)).statusCode, 200, 'the retry is transcoded');
  t.equal(gateway.calls.length, 4);
  t.same(parseMedia((await app.inject({ url: '/stream/s/tiny.m3u8' })).body).segments.map((s) => s.uri), ['tiny/1.ts', 'tiny/2.ts']);
  t.match(counts, { 'segments_in.failed': 2, 'segments_in.transcoded': 2 });
});

t.test('a routing result missing a rendition is refused whole (no partial segment)', async (t) => {
  const { app, gateway } = await ingestApp(t);
  const original = gateway.transcodeSegment.bind(gateway);
  gateway.transcodeSegment = async (request) => {
    const result = await original(request);
    return { ...result, renditions: result.renditions.slice(0, 1) };
  };
  const res = await push(app, '/live/s/1.ts', await testSegment());
  t.match(res.json(), { status: 502, code: 'LPX_ERR_TRANSCODE_RESULT_INVALID' });
  t.equal((await app.inject({ url: '/stream/s.m3u8' })).statusCode, 404);
});

t.test('a replayed seq with other bytes is a 409, in flight or done; after the window it is a 409 too', async (t) => {
  const { app, gateway } = await ingestApp(t, { windowSize: 1 });
  const segment = await testSegment();
  const other = await testSegment({ durationMs: 500 });
  const release = gateway.hold();
  const first = push(app, '/live/s/1.ts', segment);
  while (gateway.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
  const clash = await push(app, '/live/s/1.ts', other);
  t.match(clash.json(), { status: 409, code: 'LPX_ERR_INGEST_SEQ_REPLAYED' }, 'other bytes while in flight');
  release();
  t.equal((await first).statusCode, 200);
  t.match((await push(app, '/live/s/1.ts', other)).json(), { status: 409, code: 'LPX_ERR_INGEST_SEQ_REPLAYED' }, 'other bytes after');
  await push(app, '/live/s/2.ts', segment);
  t.match((await push(app, '/live/s/1.ts', segment)).json(), { status: 409, code: 'LPX_ERR_INGEST_SEQ_REPLAYED', detail: /no longer held/ }, 'same bytes, no longer held');
  t.equal(gateway.calls.length, 2, 'none of the replays was transcoded');
});

t.test('maxStreams: a new stream beyond it is a 503; an ended one frees its place', async (t) => {
  const { app, ingest, advance } = await ingestApp(t, { maxStreams: 1, idleTimeoutMs: 1000 });
  const segment = await testSegment();
  t.equal((await push(app, '/live/a/1.ts', segment)).statusCode, 200);
  t.match((await push(app, '/live/b/1.ts', segment)).json(), { status: 503, code: 'LPX_ERR_INGEST_STREAM_LIMIT' });
  advance(1000);
  await ingest.sweep();
  t.equal((await push(app, '/live/b/1.ts', segment)).statusCode, 200);
});

t.test('the global byte cap evicts the oldest segments across streams, never a stream’s newest', async (t) => {
  const segment = await testSegment();
  const { app, ingest } = await ingestApp(t, { maxBufferBytes: segment.length * 3, windowSize: 6 });
  for (const seq of [1, 2, 3]) await push(app, `/live/a/${seq}.ts`, segment);
  await push(app, '/live/b/1.ts', segment);
  t.ok(ingest.bufferedBytes <= segment.length * 3 || (ingest.stream('a')!.window.length === 1 && ingest.stream('b')!.window.length === 1));
  t.equal(ingest.stream('a')!.window.length, 1, 'stream a kept its newest segment only');
  t.same(ingest.stream('a')!.window.map((s) => s.seq), [3]);
  t.equal(ingest.stream('b')!.window.length, 1);
  t.equal(parseMedia((await app.inject({ url: '/stream/a/tiny.m3u8' })).body).mediaSequenceBase, 2);
});

t.test('accepted as pushers send them: video-only input, go-livepeer’s video/MP2T, octet-stream, no Content-Type, an unparseable Content-Duration', async (t) => {
  const { app, gateway } = await ingestApp(t);
  const videoOnly = await testSegment({ audio: false });
  t.equal((await push(app, '/live/v/1.ts', videoOnly, { 'content-type': 'video/MP2T' })).statusCode, 200);
  t.equal((await push(app, '/live/v/2.ts', videoOnly, { 'content-type': 'application/octet-stream', 'content-duration': 'soon' })).statusCode, 200);
  t.equal((await app.inject({ method: 'PUT', url: '/live/v/3.ts', payload: videoOnly })).statusCode, 200);
  t.same(gateway.calls.map((c) => c.durationMs), [2000, 2000, 2000], 'missing or unparseable duration: 2000 ms, as go-livepeer');
});
