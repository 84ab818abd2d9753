// Acceptance: "A go-livepeer-style gateway's /segment works against an lpx
// orchestrator with no remote transcoder registered." The peer is an
// independent double of go-livepeer's gateway (helpers/go-gateway-double.ts,
// its own .proto, Flatten and capabilities); the orchestrator is a real lpx
// Host with roles [orchestrator, worker], offchain, running the real
// transcode-ffmpeg plugin and nothing else: no transcode-remote plugin, no
// remote transcoder. The segment is a real 2 s MPEG-TS from ffmpeg; each
// rendition is read back with ffprobe.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { bytesToHex, getAddress, keccak256, toBytes } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import transcodeFfmpegPlugin from '@lpx/plugin-transcode-ffmpeg';
import { makeHost } from '../../../test/helpers/host.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { GO_CAPABILITY, GO_PRESETS, GoGatewayDouble, transcodeJobCapabilities, goFlatten, type GoOrchestratorInfo, type SegmentInput } from './helpers/go-gateway-double.js';

const run = promisify(execFile);
const FFMPEG = '/usr/bin/ffmpeg';
const FFPROBE = '/usr/bin/ffprobe';
const LADDER = [GO_PRESETS.P240p30fps16x9, GO_PRESETS.P144p30fps16x9];

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-go-gateway-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A real 2 s 640x360 30 fps MPEG-TS segment (H.264 + AAC), as a go-livepeer gateway cuts them. */
async function makeSegment(dir: string, name: string, pattern = 'testsrc2'): Promise<Buffer> {
  const path = join(dir, name);
  await run(FFMPEG, [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `${pattern}=size=640x360:rate=30:duration=2`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=2',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '60', '-keyint_min', '60',
    '-c:a', 'aac', '-b:a', '64k', '-shortest', '-f', 'mpegts', path,
  ]);
  return readFile(path);
}

/** ffprobe's own count of decoded video frames and the picture size. */
async function probe(dir: string, name: string, data: Uint8Array): Promise<{ width: number; height: number; frames: number }> {
  const path = join(dir, name);
  await writeFile(path, data);
  const { stdout } = await run(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=width,height,nb_read_frames', '-of', 'json', path]);
  const stream = (JSON.parse(stdout) as { streams: { width: number; height: number; nb_read_frames: string }[] }).streams[0]!;
  return { width: stream.width, height: stream.height, frames: Number(stream.nb_read_frames) };
}

t.test("go-livepeer's Flatten test vector (core/stream_test.go TestSegmentFlatten) holds for the double", async (t) => {
  const hash = new Uint8Array(32);
  hash.set(toBytes('browns'));
  t.equal(keccak256(goFlatten('abcdef', 1234n, hash, ['P144p30fps16x9', 'P240p30fps16x9'])), '0x08a398e7e7a5a545b0b07d9e7e1eab52b4131e0df1621bd53ee6e7550a15465b');
});

t.test("a go-livepeer gateway's /segment on an offchain lpx orchestrator + worker, no remote transcoder", async (t) => {
  const dir = await tempDir(t);
  const redis = await testRedis(t);
  const host = makeHost(t, [transcodeFfmpegPlugin], {
    redis: { url: redis.url, prefix: uniquePrefix('go-gateway') },
    node: { roles: ['orchestrator', 'worker'] },
    orchestrator: { port: 0 },
    transcode: { heartbeatMs: 200 },
    plugins: { 'transcode-ffmpeg': { config: { ffmpegPath: FFMPEG, ffprobePath: FFPROBE, preset: 'ultrafast', maxSessions: 2 } } },
  });
  await host.start();
  t.ok(host.serviceUri?.startsWith('https://'), 'the orchestrator serves TLS');

  const account = privateKeyToAccount(generatePrivateKey());
  const gateway = new GoGatewayDouble({ orchestrator: host.serviceUri!, account });
  t.teardown(() => gateway.close());

  // Wait as a gateway would: ask until the orchestrator advertises transcode capacity.
  let info: GoOrchestratorInfo | undefined;
  const deadline = Date.now() + 30_000;
  while (info === undefined) {
    const got = await gateway.getOrchestrator().catch((error: Error) => error);
    // Capabilities.capacities is keyed by go-livepeer capability number; H.264 (0) is the transcoder's.
    if (!(got instanceof Error) && (got.capabilities?.capacities[String(GO_CAPABILITY.H264)] ?? 0) > 0) info = got;
    else if (Date.now() > deadline) throw new Error(`no transcode capacity advertised: ${got instanceof Error ? got.message : 'no capabilities'}`);
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Re-ask now that the worker is up: this is the session the double uses.
  info = await gateway.getOrchestrator();
  const advertised = info.capabilities!.bitstring;
  t.ok(transcodeJobCapabilities().every((word, i) => ((advertised[i] ?? 0n) & word) === word), "the job's capabilities are a subset of the orchestrator's (CompatibleWith)");
  t.same(info.capabilities!.mandatories.filter((w) => w !== 0n), [], 'no mandatory capability the job lacks');
  t.equal(info.transcoder, host.serviceUri, 'OrchestratorInfo.transcoder is the service URI');
  t.ok(info.authToken !== undefined && info.authToken.token.length > 0 && info.authToken.sessionId !== '', 'an auth token');
  t.ok(info.authToken!.expiration > BigInt(Math.floor(Date.now() / 1000)), 'expiring in the future');
  // go-livepeer's offchain orchestrator (core/orchestrator.go PriceInfo and
  // TicketParams without a Recipient) sends neither; its gateway then pays nothing.
  t.equal(info.priceInfo, undefined, 'offchain: no price_info');
  t.equal(info.ticketParams, undefined, 'offchain: no ticket_params');
  t.equal(getAddress(bytesToHex(GoGatewayDouble.expectedSigner(info))), getAddress(host.address!), "OrchestratorInfo.address is the node's address");

  const source = await makeSegment(dir, 'source.ts');
  const firstProbe = await probe(dir, 'source-probe.ts', source);
  t.same([firstProbe.width, firstProbe.height], [640, 360], 'the source is 640x360');
  const segment = (seq: bigint, data: Uint8Array, tamper?: SegmentInput['tamper']): SegmentInput => ({
    manifestId: 'go-gateway-manifest',
    seq,
    data,
    profiles: LADDER,
    durationMs: 2_000,
    ...(tamper ? { tamper } : {}),
  });

  /** The whole happy path, as go-livepeer's gateway checks it. */
  async function expectTranscoded(t: Test, seq: bigint, data: Uint8Array, tamper?: SegmentInput['tamper']) {
    const outcome = await gateway.submitSegment(info!, segment(seq, data, tamper));
    t.equal(outcome.status, 200, `seq ${seq}: 200`);
    if (outcome.status !== 200 || !('result' in outcome)) return t.fail(`seq ${seq}: ${'text' in outcome ? outcome.text : ''}`);
    const { result } = outcome;
    t.equal(result.seq, seq, 'TranscodeResult.seq');
    t.equal(result.error, undefined, 'no error');
    if (result.data === undefined) return t.fail(`seq ${seq}: no data (error ${result.error})`);
    t.equal(result.data.segments.length, LADDER.length, 'one segment per profile');
    t.equal(result.info?.authToken?.sessionId, info!.authToken!.sessionId, 'the reply info echoes the session auth token');
    const renditions: Uint8Array[] = [];
    for (const [i, seg] of result.data.segments.entries()) {
      const profile = LADDER[i]!;
      const got = await gateway.download(seg.url);
      t.equal(got.status, 200, `${profile.name}: the URL downloads`);
      t.equal(got.contentType, 'video/mp2t', `${profile.name}: served as video/mp2t`);
      t.ok(got.data.length >= 25, `${profile.name}: not a ZeroSegments rendition`);
      renditions.push(got.data);
      const probed = await probe(dir, `r-${seq}-${profile.name}.ts`, got.data);
      t.same([probed.width, probed.height], [profile.width, profile.height], `${profile.name}: ffprobe reads ${profile.width}x${profile.height}`);
      t.ok(probed.frames >= 55 && probed.frames <= 65, `${profile.name}: about 2 s at 30 fps (${probed.frames} frames)`);
      t.equal(seg.pixels, BigInt(profile.width * profile.height * probed.frames), `${profile.name}: pixels = width × height × frames`);
    }
    const signer = await gateway.renditionSigner(renditions, result.data.sig);
    t.equal(signer && getAddress(signer), getAddress(bytesToHex(GoGatewayDouble.expectedSigner(info!))), "the renditions' signature recovers to the orchestrator's address");
  }

  await t.test('a real segment, two go-livepeer presets', (t) => expectTranscoded(t, 1n, source));

  await t.test('a body that does not match the signed hash: 403 Forbidden', async (t) => {
    const other = await makeSegment(dir, 'other.ts', 'smptebars');
    const outcome = await gateway.submitSegment(info!, segment(2n, source, { body: other }));
    t.same(outcome, { status: 403, text: 'Forbidden' });
  });

  await t.test('a tampered echoed auth token: 403 invalid auth token', async (t) => {
    const outcome = await gateway.submitSegment(info!, segment(3n, source, { authToken: true }));
    t.same(outcome, { status: 403, text: 'invalid auth token' });
  });

  await t.test('a Livepeer-Segment header that is not base64: 403 ErrorSegEncoding', async (t) => {
    const outcome = await gateway.submitSegment(info!, segment(4n, source, { segmentHeader: '!!not-base64!!' }));
    t.same(outcome, { status: 403, text: 'ErrorSegEncoding' });
  });

  await t.test('a tampered SegData sig on an offchain orchestrator: accepted, as go-livepeer does', async (t) => {
    // go-livepeer core/orchestrator.go VerifySig returns true when the node has
    // no Ethereum client, so an offchain orchestrator never answers ErrSegSig:
    // the 403 for a bad segment signature exists only on chain.
    const outcome = await gateway.submitSegment(info!, segment(5n, source, { sig: true }));
    t.equal(outcome.status, 200);
    t.ok(outcome.status === 200 && 'result' in outcome && outcome.result.data?.segments.length === LADDER.length, 'transcoded');
  });

  await t.test('a zero-byte body: a TranscodeResult carrying an error', async (t) => {
    const outcome = await gateway.submitSegment(info!, segment(6n, new Uint8Array(0)));
    t.equal(outcome.status, 200, 'the hash matches, so 200 and the error in the body');
    if (outcome.status !== 200 || !('result' in outcome)) return;
    t.equal(outcome.result.seq, 6n);
    t.equal(outcome.result.data, undefined, 'no renditions');
    t.ok(typeof outcome.result.error === 'string' && outcome.result.error.length > 0, `an error string (${outcome.result.error})`);
  });

  await t.test('a garbage body: a TranscodeResult carrying an error', async (t) => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff));
    const outcome = await gateway.submitSegment(info!, segment(7n, garbage));
    t.equal(outcome.status, 200);
    if (outcome.status !== 200 || !('result' in outcome)) return;
    t.equal(outcome.result.seq, 7n);
    t.equal(outcome.result.data, undefined, 'no renditions');
    t.ok(typeof outcome.result.error === 'string' && outcome.result.error.length > 0, `an error string (${outcome.result.error})`);
  });

  await t.test('a valid segment after the failures still transcodes', (t) => expectTranscoded(t, 8n, source));

  await t.test('an offchain go-livepeer gateway: zero address, empty signatures', async (t) => {
    const offchain = new GoGatewayDouble({ orchestrator: host.serviceUri! });
    t.teardown(() => offchain.close());
    const offInfo = await offchain.getOrchestrator();
    t.ok(offInfo.authToken !== undefined, 'GetOrchestrator answers an unsigned request');
    const outcome = await offchain.submitSegment(offInfo, { ...segment(1n, source), manifestId: 'go-gateway-offchain' });
    t.equal(outcome.status, 200);
    t.ok(outcome.status === 200 && 'result' in outcome && outcome.result.data?.segments.length === LADDER.length, 'transcoded');
  });
});
