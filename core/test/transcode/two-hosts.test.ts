// The kernel's transcode dispatch across two real Hosts sharing one Redis: an
// orchestrator without the worker role and a worker node, each with its own
// data dir and blob store. The worker probes its backend (real ffmpeg),
// heartbeats its capacity; the orchestrator advertises the sum and the bits
// derived from the worker's codecs, takes a go-livepeer /segment, and the
// worker fetches the segment from the orchestrator's blob store over HTTP.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { recoverMessageAddress } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { probeMedia } from '@lpx/sdk/testing';
import { capabilityIdsIn, jobCapabilitiesForTranscode, SOFTWARE_TRANSCODE_CAPABILITY_IDS } from '../../src/capabilities/index.js';
import { getOrchestratorInfo } from '../../src/network/index.js';
import { decodeTranscodeResult, emptySegData, encodeSegDataHeader, renditionSignatureMessage, TRANSCODER_UNAVAILABLE_TEXT } from '../../src/network/segment/index.js';
import { keccak256 } from '../../src/payments/index.js';
import { transcodeJobId } from '../../src/transcode/transcode-job.js';
import { makeHost } from '../../../test/helpers/host.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { testBackend, testBackendPlugin } from './helpers/ffmpeg-test-backend.js';
import { insecureAgent, LADDER, sourceSegment, until } from './helpers/media.js';

t.test('orchestrator + separate worker host: capacity, bits, /segment → ffprobe-able signed renditions from the front door', async (t) => {
  const redis = await testRedis(t);
  const prefix = uniquePrefix('transcode');
  const shared = { redis: { url: redis.url, prefix }, transcode: { heartbeatMs: 200 } };
  const backend = testBackend({ capacity: 3 });
  const worker = makeHost(t, [testBackendPlugin('test-transcode', backend)], { ...shared, node: { roles: ['worker'], name: 'worker-1' } });
  const orchestrator = makeHost(t, [testBackendPlugin('test-transcode', testBackend({ capacity: 99 }))], { ...shared, node: { roles: ['orchestrator'] }, orchestrator: { port: 0, maxSessions: 'auto' } });
  await orchestrator.start();
  t.equal(orchestrator.capabilities.get('video/transcode')?.providedBy, 'kernel.transcode', 'the kernel declares video/transcode for a configured backend plugin');
  t.equal(orchestrator.capabilities.get('video/transcode')?.capacity, 0, 'no worker yet: capacity 0 (the orchestrator itself does not probe)');

  const gateway = privateKeyToAccount(generatePrivateKey());
  const source = await sourceSegment();
  const postSegment = async (body: Buffer, seq: bigint, authToken: NonNullable<Awaited<ReturnType<typeof getOrchestratorInfo>>['authToken']>) => {
    const header = encodeSegDataHeader({
      ...emptySegData(),
      manifestId: 'two-hosts',
      seq,
      hash: keccak256(body),
      duration: 1_000,
      capabilities: jobCapabilitiesForTranscode({ profiles: [{ format: 'mpegts' }] }),
      authToken,
      fullProfiles: LADDER,
    });
    const res = await request(`${orchestrator.serviceUri}/segment`, {
      method: 'POST',
      dispatcher: insecureAgent,
      headers: { 'livepeer-payment': '', 'livepeer-segment': header, 'content-type': 'video/MP2T' },
      body,
    });
    t.equal(res.statusCode, 200);
    return decodeTranscodeResult(new Uint8Array(await res.body.arrayBuffer()));
  };

  // maxSessions 'auto' follows the workers' capacity: none yet, no new session.
  await t.rejects(getOrchestratorInfo(orchestrator.serviceUri!, { signer: gateway }), /OrchestratorCapped/, 'GetOrchestrator refuses while no worker offers capacity');

  await worker.start();
  await until(() => orchestrator.capabilities.get('video/transcode')?.capacity === 3, "the worker's capacity on the orchestrator");
  const statuses = (await (await request(`${worker.url}/v1/transcode/backends`)).body.json()) as { probed: boolean; backends: { name: string; available: boolean; capacity: number }[] };
  t.same(statuses.backends.map((b) => [b.name, b.available, b.capacity]), [['test-ffmpeg', true, 3]], 'GET /v1/transcode/backends on the worker');

  const info = await getOrchestratorInfo(orchestrator.serviceUri!, { signer: gateway });
  const bits = capabilityIdsIn(info.capabilities!.bitstring);
  for (const id of SOFTWARE_TRANSCODE_CAPABILITY_IDS) t.ok(bits.includes(id), `bit ${id} advertised (libx264 + H.264/VP8 decode)`);
  for (const id of [15, 16, 18, 19, 20]) t.notOk(bits.includes(id), `bit ${id} not advertised: no backend lists that codec`);
  t.equal(info.capabilities!.capacities[0], 3, "H.264's capacity is the worker's");

  const result = await postSegment(source, 2n, info.authToken!);
  if (!('data' in result) || result.data === undefined) throw new Error(`expected renditions, got ${JSON.stringify(result)}`);
  t.equal(result.data.segments.length, LADDER.length);
  t.equal(backend.tasks.length, 1, 'the worker host transcoded it');
  t.equal(backend.tasks[0]!.sessionId, info.authToken!.sessionId);

  // Redis holds the job's references, never the segment or rendition bytes.
  const client = await redis.connect();
  const jobKey = `${prefix}:cap.video.transcode.v1:${transcodeJobId(info.authToken!.sessionId, 2n)}`;
  const [data, returned] = await client.hmget(jobKey, 'data', 'returnvalue');
  const job = JSON.parse(data!) as { source: { id: string; size: number; url?: string } };
  t.equal(job.source.size, source.length, 'the job names the segment blob');
  t.match(job.source.url, /\/v1\/blobs\/[0-9a-f]{32}$/, "on the orchestrator's HTTP edge, where the worker fetched it");
  t.ok(data!.length < 4_096 && returned!.length < 8_192, `job data ${data!.length} B and result ${returned!.length} B: references only`);

  const dir = await mkdtemp(join(tmpdir(), 'lpx-two-hosts-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const renditions: Uint8Array[] = [];
  for (const [i, segment] of result.data.segments.entries()) {
    t.match(segment.url, new RegExp(`^${orchestrator.serviceUri}/v1/blobs/`), "served by the orchestrator's front door");
    const res = await request(segment.url, { dispatcher: insecureAgent });
    t.equal(res.statusCode, 200);
    const bytes = new Uint8Array(await res.body.arrayBuffer());
    renditions.push(bytes);
    const path = join(dir, `${i}.ts`);
    await writeFile(path, bytes);
    const probed = await probeMedia(path);
    t.equal(probed.video?.width, LADDER[i]!.width, `${LADDER[i]!.name}: ffprobe width`);
    t.equal(probed.video?.height, LADDER[i]!.height, `${LADDER[i]!.name}: ffprobe height`);
    t.equal(segment.pixels, BigInt(probed.video!.width * probed.video!.height * probed.video!.frames), `${LADDER[i]!.name}: pixels = w × h × decoded frames`);
  }
  const signer = await recoverMessageAddress({ message: { raw: renditionSignatureMessage(renditions) }, signature: `0x${Buffer.from(result.data.sig).toString('hex')}` });
  t.equal(signer, orchestrator.address, "the sig over the downloaded renditions recovers to the orchestrator's address");

  const forged = await request(result.data.segments[0]!.url.replace(/token=[^&]+/, 'token=1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), { dispatcher: insecureAgent });
  await forged.body.dump();
  t.equal(forged.statusCode, 403, 'a rendition link needs the orchestrator-signed token');

  await worker.stop();
  t.ok(backend.closed, 'the backend is closed when its worker stops');
  await until(() => orchestrator.capabilities.get('video/transcode')?.capacity === 0, 'capacity back to 0 when the worker leaves');
  const after = await postSegment(source, 3n, info.authToken!);
  t.equal('error' in after ? after.error : undefined, TRANSCODER_UNAVAILABLE_TEXT, 'no live worker: go-livepeer text again');
});
