// The gateway's segment router paying a real lpx orchestrator on the kernel's
// own segment path (segment-kernel-fixture.ts: the orchestrator role's paid
// routes, KernelTranscode, a worker Host with the transcode-ffmpeg plugin):
// signed renditions verified, their pixels decoded and compared with the
// charge, and both sides' balances equal to the wei after every segment.
import t from 'tap';
import type { TranscodeProfile } from '@lpx/sdk';
import { countPixels, makeSource, memoryChain, startGateway } from './segment-fixture.js';
import { startKernelOrchestrator } from './segment-kernel-fixture.js';

const profile = (name: string, width: number, height: number): TranscodeProfile => ({ name, width, height, bitrate: 200_000, fps: 30, fpsDen: 1, gopMs: 0, codec: 'H264', profile: 'encoder-default', format: 'mpegts', quality: 0 });
const LADDER = [profile('low', 160, 90), profile('mid', 256, 144)];

t.test('segments paid by pixels on the real orchestrator path: verified renditions, exact balances on both sides', async (t) => {
  const source = await makeSource(t);
  const chain = memoryChain();
  const o = await startKernelOrchestrator(t, chain);
  const gw = await startGateway(t, chain, [o], { checkSignature: true, countPixels });
  let sessionId: string | undefined;
  for (const seq of [0, 1]) {
    const result = await gw.route({ streamId: 'paid-kernel', seq, data: source, durationMs: 1_000, profiles: LADDER });
    t.equal(result.orchestrator, o.uri);
    t.equal(result.tried, 1, 'signature and pixel counts verified on the first try');
    for (const rendition of result.output.renditions) t.equal(BigInt(rendition.pixels), await countPixels(rendition.data), `seq ${seq} ${rendition.profile}: charged = decoded pixels`);
    const session = await gw.sessions.session('paid-kernel', o.uri, () => Promise.reject(new Error('no session')));
    sessionId ??= session.info.authToken!.sessionId;
    t.equal(session.info.authToken!.sessionId, sessionId, 'one auth session for the stream');
    const oBalance = await o.processor.balance(gw.sender, sessionId);
    const gBalance = gw.payments.balance(session);
    t.ok(oBalance !== undefined && gBalance !== undefined && oBalance.eq(gBalance), `after seq ${seq}: orchestrator ${oBalance?.toString()} = gateway ${gBalance?.toString()}`);
  }
});
