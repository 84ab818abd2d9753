// The common single-machine node: orchestrator and worker roles in one Host.
// Its own worker's capacity is what it advertises, /segment is transcoded in
// the same process, and the renditions are served from this node's blob store.
import t from 'tap';
import { request } from 'undici';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { jobCapabilitiesForTranscode } from '../../src/capabilities/index.js';
import { getOrchestratorInfo } from '../../src/network/index.js';
import { decodeTranscodeResult, emptySegData, encodeSegDataHeader } from '../../src/network/segment/index.js';
import { keccak256 } from '../../src/payments/index.js';
import { makeHost } from '../../../test/helpers/host.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { testBackend, testBackendPlugin } from './helpers/ffmpeg-test-backend.js';
import { insecureAgent, LADDER, mp4Segment, sourceSegment, until } from './helpers/media.js';

t.test('orchestrator + worker in one host', async (t) => {
  const redis = await testRedis(t);
  const backend = testBackend({ capacity: 1 });
  const host = makeHost(t, [testBackendPlugin('test-transcode', backend)], {
    redis: { url: redis.url, prefix: uniquePrefix('one-host') },
    transcode: { heartbeatMs: 200 },
    node: { roles: ['orchestrator', 'worker'] },
    orchestrator: { port: 0, maxSessions: 'auto' },
  });
  await host.start();
  await until(() => host.capabilities.get('video/transcode')?.capacity === 1, 'its own worker capacity');
  const info = await getOrchestratorInfo(host.serviceUri!, { signer: privateKeyToAccount(generatePrivateKey()) });
  for (const [seq, source, format] of [[1n, await sourceSegment(), 'mpegts'], [2n, await mp4Segment(), 'mp4']] as const) {
    const header = encodeSegDataHeader({
      ...emptySegData(),
      manifestId: 'one-host',
      seq,
      hash: keccak256(source),
      duration: 1_000,
      capabilities: jobCapabilitiesForTranscode({ profiles: [{ format: 'mpegts' }] }),
      authToken: info.authToken!,
      fullProfiles: LADDER,
    });
    const res = await request(`${host.serviceUri}/segment`, { method: 'POST', dispatcher: insecureAgent, headers: { 'livepeer-payment': '', 'livepeer-segment': header, 'content-type': 'video/MP2T' }, body: source });
    const result = decodeTranscodeResult(new Uint8Array(await res.body.arrayBuffer()));
    if (!('data' in result) || result.data === undefined) throw new Error(`expected renditions, got ${JSON.stringify(result)}`);
    t.equal(backend.tasks.at(-1)?.input.format, format, `a ${format} segment reaches the backend as ${format}`);
    for (const segment of result.data.segments) {
      const got = await request(segment.url, { dispatcher: insecureAgent });
      t.equal(got.statusCode, 200);
      t.equal(got.headers['content-type'], 'video/mp2t');
      t.ok((await got.body.arrayBuffer()).byteLength >= 25);
    }
  }
  await t.rejects(getOrchestratorInfo(host.serviceUri!, { signer: privateKeyToAccount(generatePrivateKey()) }), /OrchestratorCapped/, 'capacity 1, one session: a second gateway session is capped');
});
