// An lpx orchestrator booted from config (`orchestrator.secret`, no transcoding
// plugin, `maxSessions: auto`) serving a go-livepeer-style remote transcoder:
// the transcoder registers on the service port, its capacity becomes the
// node's video/transcode capacity and session limit, a gateway's /segment is
// transcoded by it, and when it leaves the capacity goes back to 0.
import t from 'tap';
import { request } from 'undici';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { jobCapabilitiesForTranscode } from '../../src/capabilities/index.js';
import { getOrchestratorInfo } from '../../src/network/index.js';
import { decodeTranscodeResult, emptySegData, encodeSegDataHeader } from '../../src/network/segment/index.js';
import { keccak256 } from '../../src/payments/index.js';
import { makeHost } from '../../../test/helpers/host.js';
import { GoTranscoderDouble } from '../network/helpers/go-transcoder-double.js';
import { insecureAgent, PROFILES, until } from '../network/helpers/remote-transcoder-node.js';

const SECRET = 'remote-transcoder-secret';

t.test('a remote transcoder registers with an lpx orchestrator from config and transcodes its segments', async (t) => {
  const host = makeHost(t, [], { node: { roles: ['orchestrator'] }, orchestrator: { port: 0, secret: SECRET, maxSessions: 'auto' } });
  await host.start();
  const uri = host.serviceUri!;
  t.equal(host.capabilities.get('video/transcode')?.capacity, 0, 'declared by the kernel, empty until a transcoder comes');
  t.equal(host.capabilities.get('video/transcode')?.providedBy, 'kernel.remote-workers');

  const refused = new GoTranscoderDouble({ orchAddr: new URL(uri).host, secret: 'wrong-secret', capacity: 1 });
  const refusal = await refused.ended;
  t.match(refusal.details, /invalid secret/, 'a wrong secret is refused with go-livepeer text');

  const transcoder = new GoTranscoderDouble({ orchAddr: new URL(uri).host, secret: SECRET, capacity: 3 });
  t.teardown(() => transcoder.disconnect());
  await until(() => host.capabilities.get('video/transcode')?.capacity === 3, 'the registered capacity');

  const gateway = privateKeyToAccount(generatePrivateKey());
  const info = await getOrchestratorInfo(uri, { signer: gateway });
  t.ok(info.authToken, 'GetOrchestrator answers now that transcoding capacity exists');

  const source = Buffer.from('a source segment of mpeg-ts, or bytes standing in for one');
  const header = encodeSegDataHeader({
    ...emptySegData(),
    manifestId: 'role-test',
    seq: 3n,
    hash: keccak256(source),
    duration: 2_000,
    capabilities: jobCapabilitiesForTranscode({ profiles: [{ format: 'mpegts' }] }),
    authToken: info.authToken!,
    fullProfiles: PROFILES,
  });
  const res = await request(`${uri}/segment`, {
    method: 'POST',
    dispatcher: insecureAgent,
    headers: { 'livepeer-payment': '', 'livepeer-segment': header, 'content-type': 'video/MP2T' },
    body: source,
  });
  t.equal(res.statusCode, 200);
  const result = decodeTranscodeResult(new Uint8Array(await res.body.arrayBuffer()));
  if (!('data' in result) || result.data === undefined) throw new Error(`expected renditions, got ${JSON.stringify(result)}`);
  t.equal(result.data.segments.length, PROFILES.length, 'one rendition per profile');
  const first = await request(result.data.segments[0]!.url, { dispatcher: insecureAgent });
  t.equal(first.statusCode, 200, 'the rendition is served from the orchestrator');
  t.ok(Buffer.from(await first.body.arrayBuffer()).subarray(0, source.length).equals(source), 'made by the remote transcoder from our source');
  t.equal(transcoder.tasks.length, 1);

  transcoder.disconnect();
  await until(() => host.capabilities.get('video/transcode')?.capacity === 0, 'capacity back to 0 when the transcoder leaves');
  t.pass('the registry follows the transcoder leaving');
});

t.test("maxSessions 'auto' without remote transcoding is a config error", async (t) => {
  const host = makeHost(t, [], { node: { roles: ['orchestrator'] }, orchestrator: { port: 0, maxSessions: 'auto' } });
  await t.rejects(host.start(), { code: 'LPX_ERR_CONFIG_INVALID', message: /maxSessions 'auto'/ });
});
