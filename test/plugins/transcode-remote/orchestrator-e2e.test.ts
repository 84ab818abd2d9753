// End to end through the kernel: an lpx orchestrator booted from config
// (orchestrator + worker roles, this plugin loaded, orchestrator.secret,
// maxSessions: auto, real Redis) and a go-livepeer-style transcoder double
// (core/test/network/helpers/go-transcoder-double.ts, an independent peer
// with its own .proto) registering on the service port. Its capacity becomes
// the node's video/transcode capacity and session limit; a gateway's paid
// /segment goes through the kernel's transcode workers to the remote backend,
// the double, and back as renditions the orchestrator signed and serves; when
// the transcoder leaves, the capacity goes back to 0.
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { request } from 'undici';
import { recoverMessageAddress } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { jobCapabilitiesForTranscode } from '../../../core/src/capabilities/index.js';
import { getOrchestratorInfo } from '../../../core/src/network/index.js';
import { decodeTranscodeResult, emptySegData, encodeSegDataHeader, renditionSignatureMessage, type VideoProfile } from '../../../core/src/network/segment/index.js';
import { keccak256 } from '../../../core/src/payments/index.js';
import { GoTranscoderDouble, renditionPixels } from '../../../core/test/network/helpers/go-transcoder-double.js';
import { makeHost } from '../../../test/helpers/host.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { transcodeRemotePlugin } from '../../../plugins/transcode-remote/src/index.js';
import { insecureAgent, sourceSegment, until } from './helpers/remote-node.js';

const SECRET = 'remote-transcoder-secret';
const wire = (name: string, width: number, height: number): VideoProfile => ({
  name, width, height, bitrate: 400_000, fps: 30, format: 0, fpsDen: 0, profile: 0, gop: 0, encoder: 0, colorDepth: 0, chromaFormat: 0, quality: 0,
});
const LADDER = [wire('P144p30fps16x9', 256, 144), wire('P240p30fps16x9', 426, 240)];

t.test('a go-livepeer transcoder registers with an lpx orchestrator and transcodes its paid segments', async (t) => {
  const redis = await testRedis(t);
  const host = makeHost(t, [transcodeRemotePlugin], {
    redis: { url: redis.url, prefix: uniquePrefix('remote-e2e') },
    transcode: { heartbeatMs: 200 },
    node: { roles: ['orchestrator', 'worker'] },
    orchestrator: { port: 0, secret: SECRET, maxSessions: 'auto' },
  });
  await host.start();
  const uri = host.serviceUri!;
  t.equal(host.capabilities.get('video/transcode')?.providedBy, 'kernel.transcode', 'the kernel declares video/transcode for the backend plugin');
  t.equal(host.capabilities.get('video/transcode')?.capacity, 0, 'empty until a transcoder comes');
  const gateway = privateKeyToAccount(generatePrivateKey());
  await t.rejects(getOrchestratorInfo(uri, { signer: gateway }), /OrchestratorCapped/, "maxSessions 'auto' with no transcoder: no session");

  const refused = new GoTranscoderDouble({ orchAddr: new URL(uri).host, secret: 'wrong-secret', capacity: 1 });
  t.match((await refused.ended).details, /invalid secret/, 'a wrong secret is refused with go-livepeer text');

  const transcoder = new GoTranscoderDouble({ orchAddr: new URL(uri).host, secret: SECRET, capacity: 3 });
  t.teardown(() => transcoder.close());
  await until(() => host.capabilities.get('video/transcode')?.capacity === 3, 'the registered capacity on the orchestrator', 15_000);
  const backends = (await (await request(`${host.url}/v1/transcode/backends`)).body.json()) as { backends: { name: string; available: boolean; capacity: number }[] };
  t.same(backends.backends.map((b) => [b.name, b.available, b.capacity]), [['remote', true, 3]], 'GET /v1/transcode/backends');

  const info = await getOrchestratorInfo(uri, { signer: gateway });
  t.ok(info.authToken, 'GetOrchestrator answers now that transcoding capacity exists');
  const source = await readFile(await sourceSegment());
  const header = encodeSegDataHeader({
    ...emptySegData(),
    manifestId: 'remote-e2e',
    seq: 3n,
    hash: keccak256(source),
    duration: 1_000,
    capabilities: jobCapabilitiesForTranscode({ profiles: [{ format: 'mpegts' }] }),
    authToken: info.authToken!,
    fullProfiles: LADDER,
  });
  const res = await request(`${uri}/segment`, { method: 'POST', dispatcher: insecureAgent, headers: { 'livepeer-payment': '', 'livepeer-segment': header, 'content-type': 'video/MP2T' }, body: source });
  t.equal(res.statusCode, 200);
  const result = decodeTranscodeResult(new Uint8Array(await res.body.arrayBuffer()));
  if (!('data' in result) || result.data === undefined) throw new Error(`expected renditions, got ${JSON.stringify(result)}`);
  t.equal(result.data.segments.length, LADDER.length, 'one rendition per profile');
  const renditions: Uint8Array[] = [];
  for (const [i, segment] of result.data.segments.entries()) {
    t.equal(segment.pixels, renditionPixels(LADDER[i]!), "charged pixels are the transcoder's Pixels");
    const got = await request(segment.url, { dispatcher: insecureAgent });
    t.equal(got.statusCode, 200, 'the rendition is served from the orchestrator');
    const bytes = new Uint8Array(await got.body.arrayBuffer());
    t.same(Buffer.from(bytes), Buffer.concat([source, Buffer.from(`|${LADDER[i]!.name}|deterministic-rendition`)]), 'made by the remote transcoder from our source');
    renditions.push(bytes);
  }
  const signer = await recoverMessageAddress({ message: { raw: renditionSignatureMessage(renditions) }, signature: `0x${Buffer.from(result.data.sig).toString('hex')}` });
  t.equal(signer, host.address, 'signed by the orchestrator over the renditions the transcoder made');
  const task = transcoder.tasks[0]!;
  t.equal(transcoder.tasks.length, 1);
  t.equal(task.sessionId, info.authToken!.sessionId, "the gateway's session");
  t.equal(task.orchId, host.address, "orchId is the orchestrator's address");
  t.same(task.profiles.map((p) => p.name), LADDER.map((p) => p.name));

  transcoder.disconnect();
  await until(() => host.capabilities.get('video/transcode')?.capacity === 0, 'capacity back to 0 when the transcoder leaves', 15_000);
  t.pass('the registry follows the transcoder leaving');
});

t.test('the plugin refuses a node without the worker role', async (t) => {
  const host = makeHost(t, [transcodeRemotePlugin], { node: { roles: ['orchestrator'] }, orchestrator: { port: 0, secret: SECRET } });
  await t.rejects(host.start(), { message: /transcode-remote needs the orchestrator and worker roles/ });
});
