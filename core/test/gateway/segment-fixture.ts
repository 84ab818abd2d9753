// A real lpx orchestrator's paid /segment route (fastify on loopback, real
// PaymentProcessor / Recipient over the in-memory chain test doubles) whose
// transcoder is given in-test: real ffmpeg (libx264 ultrafast) producing the
// renditions, served over HTTP like an orchestrator's own store, signed with
// the orchestrator's key as go-livepeer signs them. Modes make it misbehave
// the ways the gateway must survive. Plus the gateway side: the segment
// router's dependencies wired to a real OrchestratorPool and real payments.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import type { Test } from 'tap';
import { privateKeyToAccount } from 'viem/accounts';
import type { JobContext, RationalPrice, SelectionAlgorithm, TranscodeProfile } from '@lpx/sdk';
import { CapabilityRegistry, toLivepeerCapabilities } from '../../src/capabilities/index.js';
import { OrchestratorPool } from '../../src/gateway/pool/orchestrator-pool.js';
import { AuthTokenIssuer, capabilityPricing, OrchestratorInfoBuilder, type OrchestratorInfo } from '../../src/network/index.js';
import { ffprobePixelCounter, registerSegmentRoute, renditionSignatureMessage, type TranscodeRequest, type TranscodeResponse } from '../../src/network/segment/index.js';
import { Balances, PaymentProcessor, PrivateKeyTicketSigner, Rational, Recipient, SenderMonitor, signPersonalMessage, TicketSender, toHex } from '../../src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource, InMemoryWinningTicketSink } from '../../src/payments/testing/index.js';
import type { RouteJobData } from '../../src/roles/gateway/route-job.js';
import { SegmentPayments } from '../../src/roles/gateway/segment-payments.js';
import { segmentRouterProcessor, type SegmentRouterDeps } from '../../src/roles/gateway/segment-router.js';
import { StreamSessions } from '../../src/roles/gateway/segment-sessions.js';
import { pickTranscoder } from '../../src/roles/gateway/segment-routing.js';
import { TRANSCODE_CAPABILITY_ID } from '../../src/capabilities/index.js';

const run = promisify(execFile);
export const FFMPEG = '/usr/bin/ffmpeg';
export const countPixels = ffprobePixelCounter('/usr/bin/ffprobe');

/** A 1-second 320x180 MPEG-TS with audio, made at test time. */
export async function makeSource(t: Test): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-seg-src-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const out = join(dir, 'src.ts');
  await run(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', '1', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-c:a', 'aac', '-f', 'mpegts', out]);
  return readFile(out);
}

/** Real renditions, one ffmpeg process for the ladder. */
export async function ffmpegRenditions(body: Uint8Array, profiles: readonly { width: number; height: number; fps: number }[]): Promise<Buffer[]> {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-seg-out-'));
  try {
    const input = join(dir, 'in.ts');
    await writeFile(input, body);
    const args = ['-v', 'error', '-i', input];
    profiles.forEach((p, i) => args.push('-map', '0:v:0', '-vf', `scale=${p.width}:${p.height}${p.fps > 0 ? `,fps=${p.fps}` : ''}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-an', '-f', 'mpegts', join(dir, `out${i}.ts`)));
    await run(FFMPEG, args);
    return Promise.all(profiles.map((_, i) => readFile(join(dir, `out${i}.ts`))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Low enough that a segment costs a couple of tickets (EV 1000 wei), not thousands to sign.
export const PRICE = Rational.of(1n, 1000n);

export type Mode =
  | 'ffmpeg'
  /** Renditions signed by another key. */
  | 'bad-sig'
  /** One rendition fewer than profiles. */
  | 'short'
  | { readonly error: string }
  /** Answers /segment with this status and text before transcoding. */
  | { readonly status: number; readonly text: string };

export interface Chain {
  readonly rounds: InMemoryRoundsSource;
  readonly senderInfo: InMemorySenderInfoSource;
}

export function memoryChain(): Chain {
  return { rounds: new InMemoryRoundsSource(), senderInfo: new InMemorySenderInfoSource() };
}

export interface FixtureOrchestrator {
  readonly uri: string;
  readonly address: Uint8Array;
  readonly builder: OrchestratorInfoBuilder;
  readonly processor: PaymentProcessor;
  /** Segments it was asked to transcode. */
  readonly calls: TranscodeRequest[];
  /** Pixels it debited, per auth session id. */
  readonly debited: Map<string, bigint>;
  mode: Mode;
}

export async function startOrchestrator(t: Test, chain: Chain, mode: Mode = 'ffmpeg', price: Rational = PRICE): Promise<FixtureOrchestrator> {
  const registry = new CapabilityRegistry();
  registry.declare('transcode', { version: 1, mode: 'stream', workUnit: 'pixel', priceUnit: 'wei/pixel', id: TRANSCODE_CAPABILITY_ID, capacity: 4, price: { pricePerUnit: price.num.toString(), pixelsPerUnit: price.den.toString() } });
  registry.publish();
  const key = randomBytes(32);
  const address = new PrivateKeyTicketSigner(key).address;
  const senderMonitor = new SenderMonitor({ claimant: address }, chain.rounds, chain.senderInfo);
  const recipient = new Recipient({ address, economics: { ev: 1000n, redeemGas: 1n, txCostMultiplier: 1n, maxFaceValue: 0n } }, { rounds: chain.rounds, gasPrice: new FixedGasPrice(2000n), senderMonitor });
  const processor = new PaymentProcessor({ recipient, balances: new Balances(), sink: new InMemoryWinningTicketSink(), rounds: chain.rounds, senderMonitor });
  const authTokens = new AuthTokenIssuer();
  let uri = '';
  const builder = new OrchestratorInfoBuilder({
    serviceUri: () => uri,
    address,
    descriptors: () => registry.list(),
    nodeVersion: '0.9.1',
    authTokens,
    payments: { pricing: capabilityPricing(() => registry.list()), tickets: recipient },
    capabilityOptions: { usage: registry },
  });
  const stored = new Map<string, Buffer>();
  const fixture: FixtureOrchestrator = { uri: '', address, builder, processor, calls: [], debited: new Map(), mode };

  const transcode = async (req: TranscodeRequest): Promise<TranscodeResponse> => {
    fixture.calls.push(req);
    const current = fixture.mode;
    if (typeof current === 'object' && 'error' in current) return { error: current.error };
    const outputs = await ffmpegRenditions(req.body, req.profiles);
    const pixels = await Promise.all(outputs.map((o) => countPixels(o)));
    const kept = current === 'short' ? outputs.slice(1) : outputs;
    const segments = kept.map((data, i) => {
      const id = randomUUID();
      stored.set(id, data);
      return { url: `${uri}/stream/${req.sessionId}/${id}.ts`, pixels: pixels[i]! };
    });
    fixture.debited.set(req.sessionId, (fixture.debited.get(req.sessionId) ?? 0n) + segments.reduce((s, x) => s + x.pixels, 0n));
    const signingKey = current === 'bad-sig' ? randomBytes(32) : key;
    return { segments, sig: signPersonalMessage(renditionSignatureMessage(kept), signingKey) };
  };

  const app = Fastify();
  app.addHook('onRequest', async (request, reply) => {
    const current = fixture.mode;
    if (request.url === '/segment' && typeof current === 'object' && 'status' in current) {
      await reply.status(current.status).type('text/plain').send(`${current.text}\n`);
    }
  });
  registerSegmentRoute(app, {
    authTokens,
    orchestratorCapabilities: () => toLivepeerCapabilities(registry.list(), '0.9.1', { usage: registry }),
    hasCapacity: () => true,
    buildInfo: (sender) => builder.build({ gateway: sender, ignoreCapacityCheck: true }),
    payments: { processor, recipient },
    transcode,
  });
  app.get<{ Params: { session: string; id: string } }>('/stream/:session/:id.ts', async (request, reply) => {
    const data = stored.get(request.params.id);
    if (data === undefined) return reply.status(404).send('not found');
    return reply.type('video/mp2t').send(data);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  uri = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  (fixture as { uri: string }).uri = uri;
  return fixture;
}

/** Picks in the order of `prefer` (then the pool's): lets a test say who is tried first. */
export function preferring(prefer: () => readonly string[]): SelectionAlgorithm {
  return {
    name: 'test-order',
    select: (candidates) => [...candidates].sort((a, b) => rank(a.uri) - rank(b.uri)),
  };
  function rank(uri: string): number {
    const i = prefer().indexOf(uri);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  }
}

export interface Gateway {
  readonly sender: Uint8Array;
  readonly pool: OrchestratorPool;
  readonly payments: SegmentPayments;
  readonly sessions: StreamSessions;
  readonly failed: { uri: string; action: string; error: unknown }[];
  readonly deps: SegmentRouterDeps;
  /** Runs one segment route job the way a router worker would. */
  route(input: { streamId: string; seq: number; data: Buffer; durationMs: number; profiles: readonly TranscodeProfile[] }, extra?: Pick<RouteJobData, 'maxJobWei'>): Promise<{ output: import('../../src/roles/gateway/segment-job.js').SegmentJobOutput; orchestrator: string; tried: number }>;
}

export async function startGateway(
  t: Test,
  chain: Chain,
  orchestrators: readonly Pick<FixtureOrchestrator, 'uri' | 'builder'>[],
  options: { prefer?: () => readonly string[]; checkSignature?: boolean; maxAttempts?: number; charge?: SegmentRouterDeps['chargeFor']; maxPrice?: RationalPrice; countPixels?: (data: Buffer) => Promise<bigint> } = {},
): Promise<Gateway> {
  const key = randomBytes(32);
  const signer = new PrivateKeyTicketSigner(key);
  chain.senderInfo.set(signer.address, { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });
  const account = privateKeyToAccount(toHex(key));
  const byUri = new Map(orchestrators.map((o) => [o.uri, o]));
  const info = (uri: string, capabilities?: OrchestratorInfo['capabilities']): Promise<OrchestratorInfo> =>
    byUri.get(uri)!.builder.build({ gateway: signer.address, ignoreCapacityCheck: true, ...(capabilities !== undefined ? { capabilities } : {}) });
  const pool = new OrchestratorPool({ candidates: async () => orchestrators.map((o) => ({ uri: o.uri, score: 1 })), fetchInfo: (uri) => info(uri) });
  t.teardown(() => pool.close());
  await pool.discover();
  const payments = new SegmentPayments(new TicketSender({ signer, rounds: chain.rounds, senderInfo: chain.senderInfo }));
  const sessions = new StreamSessions({ onDrop: (session) => payments.close(session) });
  const failed: Gateway['failed'] = [];
  const algorithm = preferring(options.prefer ?? (() => orchestrators.map((o) => o.uri)));
  const deps: SegmentRouterDeps = {
    pick: async (exclude, jobCapabilities) => pickTranscoder(pool, { exclude, jobCapabilities, algorithm, maxPrice: options.maxPrice }),
    usable: (uri) => pool.usable(TRANSCODE_CAPABILITY_ID).some((e) => e.uri === uri),
    // In-process GetOrchestrator (the gRPC transport is tested elsewhere): a fresh auth token and params per stream session.
    openSession: async (uri, capabilities) => payments.open(uri, await info(uri, capabilities)),
    suspend: (uri, reason) => pool.suspend(uri, reason),
    sessions,
    payments,
    signer: account,
    chargeFor: options.charge ?? (() => undefined),
    checkSignature: options.checkSignature ?? true,
    ...(options.countPixels !== undefined ? { countPixels: options.countPixels } : {}),
    maxOrchestratorAttempts: options.maxAttempts ?? 3,
    failures: new Map(),
    onAttemptFailed: ({ uri, action, error }) => failed.push({ uri, action, error }),
  };
  const processor = segmentRouterProcessor(deps);
  return {
    sender: signer.address,
    pool,
    payments,
    sessions,
    failed,
    deps,
    route: (input, extra = {}) => {
      const job = { id: randomUUID(), capabilityId: TRANSCODE_CAPABILITY_ID, attempt: 1, data: { capabilityId: TRANSCODE_CAPABILITY_ID, input, ...extra }, progress: async () => undefined, signal: new AbortController().signal } as unknown as JobContext<RouteJobData>;
      return processor(job);
    },
  };
}
