// The remote backend on real sockets: go-livepeer-style transcoder doubles
// (core/test/network/helpers/go-transcoder-double.ts, an independent
// implementation of the transcoder side with its own .proto) register
// through the TLS front door (gRPC proxied to grpc-js), the backend serves
// the real source at /stream, the double downloads it, "transcodes" and
// posts multipart results to /transcodeResults; the renditions land in the
// task's directory with the transcoder's pixel counts. Plus the refusals and
// failure paths a real go-livepeer transcoder would meet.
import { readFile } from 'node:fs/promises';
import { status } from '@grpc/grpc-js';
import t, { type Test } from 'tap';
import { request } from 'undici';
import type { TranscodeBackendStatus } from '@lpx/sdk';
import { GoTranscoderDouble, renditionPixels, type DoubleBehavior, type GoTranscoderDoubleOptions } from '../../../core/test/network/helpers/go-transcoder-double.js';
import { REASON } from '../../../plugins/transcode-remote/src/index.js';
import { insecureAgent, ORCH_ADDRESS, PROFILES, SECRET, sourceSegment, startRemoteNode, until } from './helpers/remote-node.js';

type Node = Awaited<ReturnType<typeof startRemoteNode>>;

function double(t: Test, node: Node, over: Partial<GoTranscoderDoubleOptions> = {}): GoTranscoderDouble {
  const d = new GoTranscoderDouble({ orchAddr: node.orchAddr, secret: SECRET, capacity: 2, ...over });
  t.teardown(() => d.close());
  return d;
}

async function registered(node: Node, count: number): Promise<void> {
  await until(() => (node.backend.status().devices?.length ?? 0) === count, `${count} registered transcoders`);
}

t.test('a segment goes through a remote transcoder; renditions land in the task directory with its pixel counts', async (t) => {
  const node = await startRemoteNode(t);
  const seen: TranscodeBackendStatus[] = [];
  t.teardown(node.backend.watch((s) => seen.push(s)));
  t.same(await node.backend.probe(new AbortController().signal), { available: false, reason: REASON.noTranscoder, capacity: 0, decode: [], encode: [], formats: [] });

  const transcoder = double(t, node);
  await registered(node, 1);
  const probed = await node.backend.probe(new AbortController().signal);
  t.match(probed, { available: true, capacity: 2, encode: ['H264'], formats: ['mpegts', 'mp4'] }, 'available once a transcoder registered (legacy: default capabilities)');
  t.same(seen.map((s) => [s.available, s.capacity]), [[true, 2]], 'watch reports the registration');

  const source = await readFile(await sourceSegment());
  const task = await node.task();
  const output = await node.backend.transcode(task);
  t.equal(output.renditions.length, PROFILES.length);
  for (const [i, rendition] of output.renditions.entries()) {
    const profile = PROFILES[i]!;
    t.equal(rendition.profile, profile.name);
    t.ok(rendition.path.startsWith(task.outputDir), 'written inside the task directory');
    t.same(await readFile(rendition.path), Buffer.concat([source, Buffer.from(`|${profile.name}|deterministic-rendition`)]), 'the bytes the transcoder posted');
    t.equal(rendition.pixels, renditionPixels(profile), "the part's Pixels header");
    t.equal(rendition.frames, 60, 'frames = pixels / (width × height)');
  }
  t.equal(output.decodedPixels, BigInt(source.length) * 100n, "the result's Pixels header");

  const sent = transcoder.tasks[0]!;
  t.equal(sent.taskId, '0', 'task ids start at 0');
  t.equal(sent.orchId, ORCH_ADDRESS, "orchId is the orchestrator's address");
  t.equal(sent.profilesField, 'invalid', 'the deprecated profiles field holds an invalid value');
  t.equal(sent.sessionId, 'session-1');
  t.equal(sent.seq, '7');
  t.equal(sent.durationMs, 2_000);
  t.same(sent.profiles, PROFILES.map((p) => ({ name: p.name, width: p.width, height: p.height, fps: p.fps })), 'the ladder in fullProfiles');
  t.match(sent.url, new RegExp(`^${node.uri}/stream/session-1/source/7\\.tempfile$`));
  const gone = await request(sent.url, { dispatcher: insecureAgent });
  await gone.body.dump();
  t.equal(gone.statusCode, 404, 'the source is dropped once the task is done');
  t.match(node.backend.status().devices, [{ capacity: 2, load: 1 }], 'the session holds one unit of load');

  node.backend.endSession('session-1');
  await until(() => transcoder.teardowns.length === 1, 'the teardown notify');
  t.same(transcoder.teardowns, ['session-1'], 'endSession sends an empty-url notify with the session id');
  t.match(node.backend.status().devices, [{ load: 0 }], 'and releases the load');

  transcoder.disconnect();
  await until(() => !node.backend.status().available, 'the transcoder leaving');
  t.same(seen.at(-1), { available: false, reason: REASON.noTranscoder, capacity: 0, decode: [], encode: [], formats: [] }, 'watch reports the departure');
});

t.test('unavailable: no secret, no transcoder — coded refusals, nothing written', async (t) => {
  const noSecret = await startRemoteNode(t, { secret: '' });
  t.equal(noSecret.backend.status().reason, REASON.noSecret);
  const refused = await double(t, noSecret).ended;
  t.equal(refused.details, 'invalid secret', 'with no secret every registration is refused');
  const node = await startRemoteNode(t);
  await t.rejects(node.backend.transcode(await node.task()), { code: 'LPX_ERR_TRANSCODE_BACKEND_UNAVAILABLE', message: new RegExp(REASON.noTranscoder) });
});

t.test('registration refusals carry go-livepeer texts', async (t) => {
  const node = await startRemoteNode(t);
  const refused = await double(t, node, { secret: 'nope' }).ended;
  t.equal(refused.code, status.UNKNOWN, 'a plain Go error: status UNKNOWN');
  t.equal(refused.details, 'invalid secret');
  t.same(refused.metadata.get('lpx-error-code'), ['LPX_ERR_TRANSCODER_SECRET_INVALID']);
  const zero = await double(t, node, { capacity: 0 }).ended;
  t.equal(zero.details, 'zero capacity');
  t.same(zero.metadata.get('lpx-error-code'), ['LPX_ERR_TRANSCODER_CAPACITY_INVALID']);
  t.equal(node.backend.status().available, false);
});

t.test('bad input and bad profiles are refused before a transcoder is bothered', async (t) => {
  const node = await startRemoteNode(t);
  const transcoder = double(t, node);
  await registered(node, 1);
  const { writeFile } = await import('node:fs/promises');
  const cases: [string, Buffer][] = [['empty', Buffer.alloc(0)], ['random bytes', Buffer.from('x'.repeat(4_000))], ['ts without a PMT', Buffer.alloc(188 * 4, 0x47)]];
  for (const [name, bytes] of cases) {
    const task = await node.task();
    const path = `${task.outputDir}/in.ts`;
    await writeFile(path, bytes);
    await t.rejects(node.backend.transcode({ ...task, input: { ...task.input, path, sizeBytes: bytes.length } }), { code: 'LPX_ERR_TRANSCODE_INPUT_INVALID' }, name);
  }
  await t.rejects(node.backend.transcode(await node.task({ profiles: [PROFILES[0]!, { ...PROFILES[1]!, width: 427 }] })), { code: 'LPX_ERR_TRANSCODE_PROFILE_INVALID' }, 'odd width');
  t.equal(transcoder.tasks.length, 0, 'no task was sent');
});

t.test('a transcoder that disconnects mid-task: the task is retried on another', async (t) => {
  const node = await startRemoteNode(t);
  const first = double(t, node, { capacity: 5, behavior: () => ({ kind: 'disconnect' }) });
  await registered(node, 1);
  const second = double(t, node, { capacity: 1 });
  await registered(node, 2);
  const output = await node.backend.transcode(await node.task());
  t.equal(output.renditions.length, 2, 'the segment still succeeds');
  t.equal(first.tasks.length, 1, 'the least loaded (by factor, then first registered) took it first');
  t.equal(second.tasks.length, 1, 'and the second got the retry');
  t.not(second.tasks[0]!.taskId, first.tasks[0]!.taskId, 'under a new task id');
  t.equal((await first.ended).code, status.CANCELLED);
  await registered(node, 1);
});

t.test('a transcoder that times out is dropped and the segment fails without a retry', async (t) => {
  const node = await startRemoteNode(t, { config: { taskTimeoutMs: 300 } });
  const slow = double(t, node, { behavior: () => ({ kind: 'hang' }) });
  await registered(node, 1);
  const spare = double(t, node, { capacity: 1 });
  await registered(node, 2);
  await t.rejects(node.backend.transcode(await node.task()), { code: 'LPX_ERR_TRANSCODER_TIMEOUT', message: 'Remote transcoder took too long' });
  t.equal(spare.tasks.length, 0, 'no retry after a timeout');
  t.equal((await slow.ended).code, status.OK, 'the dropped transcoder sees its stream end cleanly (it will reconnect)');
  await registered(node, 1);
});

t.test('cancellation: the task stops waiting, the transcoder stays, its late result is dropped', async (t) => {
  const node = await startRemoteNode(t);
  const transcoder = double(t, node, { behavior: () => ({ kind: 'hang' }) });
  await registered(node, 1);
  const controller = new AbortController();
  const running = node.backend.transcode(await node.task({ signal: controller.signal }));
  const sent = await transcoder.nextTask();
  controller.abort();
  await t.rejects(running, { code: 'LPX_ERR_TRANSCODE_CANCELLED' });
  t.equal(node.backend.status().devices?.length, 1, 'a cancelled task does not drop the transcoder');
  t.same(await transcoder.postResult(sent.taskId, 'multipart/mixed; boundary=b', Buffer.from('--b--\r\n'), 0n), { status: 200, text: 'OK' }, 'the late result is accepted and dropped, as go-livepeer does');
  const aborted = new AbortController();
  aborted.abort();
  await t.rejects(node.backend.transcode(await node.task({ signal: aborted.signal })), { code: 'LPX_ERR_TRANSCODE_CANCELLED' }, 'already aborted');
});

const failing = (behavior: DoubleBehavior) => () => behavior;

t.test('transcoder-reported errors and short results: go-livepeer texts under transcoder codes', async (t) => {
  const cases: [string, DoubleBehavior, string, string, number][] = [
    ['transcoding error body', { kind: 'error', text: 'Unsupported input pixel format' }, 'LPX_ERR_TRANSCODER_TASK_FAILED', 'Unsupported input pixel format', 0],
    ['fewer renditions than profiles', { kind: 'transcode', dropProfiles: 1 }, 'LPX_ERR_TRANSCODER_RESULT_INVALID', 'MismatchedSegments', 1],
    ['renditions under 25 bytes', { kind: 'transcode', tinyOutputs: true }, 'LPX_ERR_TRANSCODER_RESULT_INVALID', 'ZeroSegments', 1],
  ];
  for (const [name, behavior, code, text, load] of cases) {
    const node = await startRemoteNode(t);
    double(t, node, { behavior: failing(behavior) });
    await registered(node, 1);
    await t.rejects(node.backend.transcode(await node.task()), { code, message: text }, name);
    t.equal(node.backend.status().devices?.length, 1, `${name}: the transcoder stays registered`);
    t.equal(node.backend.status().devices?.[0]?.load, load, `${name}: session load afterwards (only the transcoder's own error ends the claim)`);
  }
});

t.test('/transcodeResults refusals', async (t) => {
  const node = await startRemoteNode(t);
  const d = double(t, node);
  await registered(node, 1);
  const ok = 'multipart/mixed; boundary=b';
  const empty = Buffer.from('--b--\r\n');
  t.same(await d.postResult('0', ok, empty, 0n, 'wrong'), { status: 401, text: 'Unauthorized\n' }, 'wrong secret');
  t.same(await d.postResult('0', '', empty, 0n), { status: 415, text: 'mime: no media type\n' }, 'no content type');
  t.equal((await d.postResult('0', 'video/mp2t', empty, 0n)).status, 415, 'neither multipart nor a transcoding error');
  t.same(await d.postResult('x1', ok, empty, 0n), { status: 400, text: 'Invalid Task ID\n' }, 'bad TaskId');
  t.same(await d.postResult('99999999999999999999', ok, empty, 0n), { status: 400, text: 'Invalid Task ID\n' }, 'TaskId beyond int64');
  const res = await request(`${node.uri}/transcodeResults`, {
    method: 'POST',
    dispatcher: insecureAgent,
    headers: { authorization: 'Livepeer-Transcoder-1.0', credentials: SECRET, 'content-type': ok, taskid: '1', pixels: 'lots' },
    body: empty,
  });
  t.same({ status: res.statusCode, text: await res.body.text() }, { status: 400, text: 'Invalid Pixels\n' });
  const basic = await request(`${node.uri}/transcodeResults`, { method: 'POST', dispatcher: insecureAgent, headers: { authorization: 'Basic x', credentials: SECRET }, body: empty });
  t.same({ status: basic.statusCode, text: await basic.body.text() }, { status: 401, text: 'Unauthorized\n' }, 'wrong protocol');
  t.same(await d.postResult('12345', ok, empty, 0n), { status: 200, text: 'OK' }, 'an unknown task id is accepted and dropped, as go-livepeer does');
  t.same(await d.postResult('12345', 'multipart/mixed', empty, 0n), { status: 400, text: 'multipart content type has no boundary parameter\n' }, 'an unreadable body is 400 with the reason');
  t.same(await d.postResult('12345', ok, Buffer.from('garbage without parts'), 0n), { status: 400, text: 'multipart body has no opening delimiter\n' }, 'a broken body with the right secret is 400, not 500');
  t.same(await d.postResult('12345', ok, Buffer.from('--b\r\nPixels: 1\r\n\r\nunterminated'), 0n), { status: 400, text: 'multipart body has no closing delimiter\n' }, 'a truncated body is 400');
  const stream = await request(`${node.uri}/stream/nothing/here.ts`, { dispatcher: insecureAgent });
  t.same({ status: stream.statusCode, text: await stream.body.text() }, { status: 404, text: '404 page not found\n' }, 'an unknown /stream path');
});
