// Remote transcoding end to end on real sockets: a go-livepeer-style
// transcoder double registers through the TLS front door (gRPC proxied to
// grpc-js), a gateway posts a real /segment, the double downloads the source,
// "transcodes" and posts multipart results; the gateway gets signed URLs that
// serve the renditions. Plus the refusals and failure paths a real
// go-livepeer transcoder would meet.
import { status } from '@grpc/grpc-js';
import t, { type Test } from 'tap';
import { request } from 'undici';
import { recoverMessageAddress } from 'viem';
import { decodeTranscodeResult, renditionSignatureMessage } from '../../src/network/segment/index.js';
import { GoTranscoderDouble, renditionPixels, type DoubleBehavior, type GoTranscoderDoubleOptions } from './helpers/go-transcoder-double.js';
import { insecureAgent, PROFILES, SECRET, startRemoteTranscoderNode, until } from './helpers/remote-transcoder-node.js';

type Node = Awaited<ReturnType<typeof startRemoteTranscoderNode>>;

function double(t: Test, node: Node, over: Partial<GoTranscoderDoubleOptions> = {}): GoTranscoderDouble {
  const d = new GoTranscoderDouble({ orchAddr: node.orchAddr, secret: SECRET, capacity: 2, ...over });
  t.teardown(() => d.close());
  return d;
}

async function registered(node: Node, count: number): Promise<void> {
  await until(() => node.pool.stats().transcoders === count, `${count} registered transcoders`);
}

function resultOf(body: Uint8Array) {
  return decodeTranscodeResult(body);
}

t.test('a segment goes through a remote transcoder and comes back signed, with URLs serving the renditions', async (t) => {
  const node = await startRemoteTranscoderNode(t);
  const transcoder = double(t, node);
  await registered(node, 1);
  t.same(node.capacityEvents.at(-1), [2, 0], 'capacity reported on registration');

  const source = node.source();
  const res = await node.postSegment(source, node.segmentHeader(source));
  t.equal(res.status, 200);
  const result = resultOf(res.body);
  if (!('data' in result)) throw new Error(`expected data, got ${JSON.stringify(result)}`);
  t.equal(result.data.segments.length, PROFILES.length, 'one URL per profile');
  t.same(result.data.segments.map((s) => s.pixels), PROFILES.map(renditionPixels), 'pixels per rendition from the Pixels part headers');

  const renditions: Uint8Array[] = [];
  for (const [i, segment] of result.data.segments.entries()) {
    t.match(segment.url, new RegExp(`^${node.uri}/stream/[0-9a-f]+/${PROFILES[i]!.name}/7\\.ts$`));
    const got = await request(segment.url, { dispatcher: insecureAgent });
    t.equal(got.statusCode, 200);
    t.equal(got.headers['content-type'], 'video/mp2t');
    const bytes = new Uint8Array(await got.body.arrayBuffer());
    t.same(Buffer.from(bytes), Buffer.concat([source, Buffer.from(`|${PROFILES[i]!.name}|deterministic-rendition`)]), 'the URL serves the rendition');
    renditions.push(bytes);
  }
  const signer = await recoverMessageAddress({ message: { raw: renditionSignatureMessage(renditions) }, signature: `0x${Buffer.from(result.data.sig).toString('hex')}` });
  t.equal(signer, node.orchestrator.address, "the sig recovers to the O's address over go-livepeer's rendition message");

  const task = transcoder.tasks[0]!;
  t.equal(task.taskId, '0', 'task ids start at 0');
  t.equal(task.orchId, node.orchestrator.address.toLowerCase());
  t.equal(task.profilesField, 'invalid', 'the deprecated profiles field holds an invalid value');
  t.equal(task.seq, '7');
  t.equal(task.manifestId, 'manifest-1');
  t.equal(task.durationMs, 2_000);
  t.same(task.profiles.map((p) => p.name), PROFILES.map((p) => p.name));
  t.match(task.url, new RegExp(`^${node.uri}/stream/${task.sessionId}/source/7\\.tempfile$`));
  const gone = await request(task.url, { dispatcher: insecureAgent });
  await gone.body.dump();
  t.equal(gone.statusCode, 404, 'the source is dropped once the task is done');
  t.same(node.capacityEvents.at(-1), [2, 1], 'the session holds one unit of load');

  node.pool.endSession(task.sessionId);
  await until(() => transcoder.teardowns.length === 1, 'the teardown notify');
  t.same(transcoder.teardowns, [task.sessionId], 'endSession sends an empty-url notify with the session id');
  t.same(node.capacityEvents.at(-1), [2, 0], 'and releases the load');
});

t.test('registration refusals carry go-livepeer texts', async (t) => {
  const node = await startRemoteTranscoderNode(t);
  const wrong = double(t, node, { secret: 'nope' });
  const refused = await wrong.ended;
  t.equal(refused.code, status.UNKNOWN, 'a plain Go error: status UNKNOWN');
  t.equal(refused.details, 'invalid secret');
  t.same(refused.metadata.get('lpx-error-code'), ['LPX_ERR_TRANSCODER_SECRET_INVALID']);
  const zero = await double(t, node, { capacity: 0 }).ended;
  t.equal(zero.details, 'zero capacity');
  t.same(zero.metadata.get('lpx-error-code'), ['LPX_ERR_TRANSCODER_CAPACITY_INVALID']);
  t.equal(node.pool.stats().transcoders, 0);
});

t.test('no transcoder: the segment result carries "no transcoders available"', async (t) => {
  const node = await startRemoteTranscoderNode(t);
  const source = node.source();
  const result = resultOf((await node.postSegment(source, node.segmentHeader(source))).body);
  t.same('error' in result ? result.error : undefined, 'no transcoders available');
});

t.test('a transcoder that disconnects mid-task: the task is retried on another', async (t) => {
  const node = await startRemoteTranscoderNode(t);
  const first = double(t, node, { capacity: 5, behavior: () => ({ kind: 'disconnect' }) });
  await registered(node, 1);
  const second = double(t, node, { capacity: 1 });
  await registered(node, 2);
  const source = node.source();
  const result = resultOf((await node.postSegment(source, node.segmentHeader(source))).body);
  t.ok('data' in result, 'the segment still succeeds');
  t.equal(first.tasks.length, 1, 'the least loaded (by factor, then first registered) took it first');
  t.equal(second.tasks.length, 1, 'and the second got the retry');
  t.not(second.tasks[0]!.taskId, first.tasks[0]!.taskId, 'under a new task id');
  t.equal((await first.ended).code, status.CANCELLED);
  await registered(node, 1);
});

t.test('a transcoder that times out is dropped and the segment fails without a retry', async (t) => {
  const node = await startRemoteTranscoderNode(t, { pool: { taskTimeoutMs: () => 300 } });
  const slow = double(t, node, { behavior: () => ({ kind: 'hang' }) });
  await registered(node, 1);
  const spare = double(t, node, { capacity: 1 });
  await registered(node, 2);
  const source = node.source();
  const result = resultOf((await node.postSegment(source, node.segmentHeader(source))).body);
  t.same('error' in result ? result.error : undefined, 'Remote transcoder took too long');
  t.equal(spare.tasks.length, 0, 'no retry after a timeout');
  const end = await slow.ended;
  t.equal(end.code, status.OK, 'the dropped transcoder sees its stream end cleanly (it will reconnect)');
  t.equal(node.pool.stats().transcoders, 1);
});

const failing = (behavior: DoubleBehavior) => () => behavior;

t.test('transcoder-reported errors and short results reach the gateway as go-livepeer texts', async (t) => {
  // As in go-livepeer, only an error from the transcoder itself ends the session's claim;
  // the orchestrator's own output checks run after a successful task.
  const cases: [string, DoubleBehavior, string, number][] = [
    ['transcoding error body', { kind: 'error', text: 'Unsupported input pixel format' }, 'Unsupported input pixel format', 0],
    ['fewer renditions than profiles', { kind: 'transcode', dropProfiles: 1 }, 'MismatchedSegments', 1],
    ['renditions under 25 bytes', { kind: 'transcode', tinyOutputs: true }, 'ZeroSegments', 1],
  ];
  for (const [name, behavior, text, load] of cases) {
    const node = await startRemoteTranscoderNode(t);
    double(t, node, { behavior: failing(behavior) });
    await registered(node, 1);
    const source = node.source();
    const result = resultOf((await node.postSegment(source, node.segmentHeader(source))).body);
    t.same('error' in result ? result.error : undefined, text, name);
    t.equal(node.pool.stats().transcoders, 1, `${name}: the transcoder stays registered`);
    t.equal(node.pool.stats().load, load, `${name}: session load afterwards`);
  }
});

t.test('/transcodeResults refusals', async (t) => {
  const node = await startRemoteTranscoderNode(t);
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
});
