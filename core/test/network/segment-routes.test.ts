// /payment and /segment on a real fastify listening on loopback, paid by a
// real gateway (TicketSender + GatewayPayer building the Livepeer-Payment
// header, a viem account signing the segment credentials) and checked by a
// real PaymentProcessor / Recipient over the in-memory chain test doubles.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { request } from 'undici';
import { privateKeyToAccount } from 'viem/accounts';
import { CapabilityRegistry, jobCapabilitiesForTranscode, toLivepeerCapabilities } from '../../src/capabilities/index.js';
import { AuthTokenIssuer, capabilityPricing, OrchestratorInfoBuilder, type OrchestratorInfo } from '../../src/network/index.js';
import {
  decodePaymentResult,
  decodeTranscodeResult,
  emptySegData,
  encodeSegDataHeader,
  registerPaymentRoute,
  registerSegmentRoute,
  renditionSignatureMessage,
  signSegment,
  type PaidRouteDeps,
  type TranscodeRequest,
  type Transcoder,
  type VideoProfile,
} from '../../src/network/segment/index.js';
import {
  Balances,
  GatewayPayer,
  keccak256,
  paymentHeader,
  paymentWithoutTickets,
  PaymentProcessor,
  PrivateKeyTicketSigner,
  Rational,
  Recipient,
  SenderMonitor,
  signPersonalMessage,
  ticketEV,
  TicketSender,
  toHex,
  type Address,
} from '../../src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource, InMemoryWinningTicketSink } from '../../src/payments/testing/index.js';

const base = { version: 1, mode: 'stream', workUnit: 'pixel', priceUnit: 'wei/pixel' } as const;
const PRICE = Rational.of(3n, 2n);
const PROFILES: VideoProfile[] = [
  { name: 'P144p30fps16x9', width: 256, height: 144, bitrate: 400_000, fps: 30, format: 0, fpsDen: 1, profile: 0, gop: 0, encoder: 0, colorDepth: 0, chromaFormat: 0, quality: 0 },
  { name: 'P240p30fps16x9', width: 426, height: 240, bitrate: 600_000, fps: 30, format: 0, fpsDen: 1, profile: 0, gop: 0, encoder: 0, colorDepth: 0, chromaFormat: 0, quality: 0 },
];

interface NodeOptions {
  readonly offchain?: boolean;
  /** null: no transcoder configured. */
  readonly transcode?: Transcoder | null;
  readonly buildInfo?: PaidRouteDeps['buildInfo'];
  readonly sourceTimeoutMs?: number;
}

async function startNode(t: Test, options: NodeOptions = {}) {
  const registry = new CapabilityRegistry();
  registry.declare('transcode', { ...base, id: 'video/transcode', capacity: 4, price: { pricePerUnit: PRICE.num.toString(), pixelsPerUnit: PRICE.den.toString() } });
  registry.publish();

  const rounds = new InMemoryRoundsSource();
  const senderInfo = new InMemorySenderInfoSource();
  const orchestratorKey = randomBytes(32);
  const orchestratorAddress = new PrivateKeyTicketSigner(orchestratorKey).address;
  const senderMonitor = new SenderMonitor({ claimant: orchestratorAddress }, rounds, senderInfo);
  // EV 1000 with face value 2000: about half the tickets win.
  const recipient = new Recipient(
    { address: orchestratorAddress, economics: { ev: 1000n, redeemGas: 1n, txCostMultiplier: 1n, maxFaceValue: 0n } },
    { rounds, gasPrice: new FixedGasPrice(2000n), senderMonitor },
  );
  const balances = new Balances();
  const sink = new InMemoryWinningTicketSink();
  const processor = new PaymentProcessor({ recipient, balances, sink, rounds, senderMonitor });
  const authTokens = new AuthTokenIssuer();

  let uri = '';
  const builder = new OrchestratorInfoBuilder({
    serviceUri: () => uri,
    address: orchestratorAddress,
    descriptors: () => registry.list(),
    nodeVersion: '0.9.1',
    authTokens,
    ...(options.offchain ? {} : { payments: { pricing: capabilityPricing(() => registry.list()), tickets: recipient } }),
    capabilityOptions: { usage: registry },
  });

  const calls: TranscodeRequest[] = [];
  const defaultTranscode: Transcoder = async (req) => {
    calls.push(req);
    const renditions = req.profiles.map((p) => new TextEncoder().encode(`${p.name}/${req.seq}`));
    return {
      segments: req.profiles.map((p, i) => ({ url: `${uri}/stream/${req.sessionId}/${p.name}/${req.seq}.ts`, pixels: BigInt(1000 * (i + 1)) })),
      sig: signPersonalMessage(renditionSignatureMessage(renditions), orchestratorKey),
    };
  };
  const transcode: Transcoder | undefined =
    options.transcode === null ? undefined : options.transcode === undefined ? defaultTranscode : async (req) => (calls.push(req), options.transcode!(req));

  const deps: PaidRouteDeps = {
    authTokens,
    orchestratorCapabilities: () => toLivepeerCapabilities(registry.list(), '0.9.1', { usage: registry }),
    hasCapacity: () => true,
    buildInfo: options.buildInfo ?? ((sender) => builder.build({ gateway: sender, ignoreCapacityCheck: false })),
    ...(options.offchain ? {} : { payments: { processor, recipient } }),
  };
  const app = Fastify();
  registerPaymentRoute(app, deps);
  registerSegmentRoute(app, { ...deps, ...(transcode !== undefined ? { transcode } : {}), ...(options.sourceTimeoutMs !== undefined ? { sourceTimeoutMs: options.sourceTimeoutMs } : {}) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  uri = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  // The gateway: one key signs tickets and segment credentials.
  const gatewayKey = randomBytes(32);
  const ticketSigner = new PrivateKeyTicketSigner(gatewayKey);
  const account = privateKeyToAccount(toHex(gatewayKey));
  senderInfo.set(ticketSigner.address, { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });
  const payer = new GatewayPayer(new TicketSender({ signer: ticketSigner, rounds, senderInfo }), new Balances());
  // Discovery, as GetOrchestrator would answer it.
  const info = await builder.build({ gateway: ticketSigner.address, ignoreCapacityCheck: false });
  const authToken = info.authToken!;
  const session = options.offchain ? undefined : payer.startSession(info.ticketParams!, info.priceInfo!, authToken.sessionId);
  const ev = options.offchain ? Rational.ZERO : ticketEV(info.ticketParams!.faceValue, info.ticketParams!.winProb);

  async function segmentHeader(body: Uint8Array, over: { seq?: bigint; manifestId?: string; profiles?: VideoProfile[]; signer?: typeof account } = {}): Promise<string> {
    const profiles = over.profiles ?? PROFILES;
    const seg = {
      ...emptySegData(),
      manifestId: over.manifestId ?? 'manifest-1',
      seq: over.seq ?? 7n,
      hash: keccak256(body),
      profiles: new TextEncoder().encode('invalid'),
      duration: 2_000,
      capabilities: jobCapabilitiesForTranscode({ profiles: [{ format: 'mpegts' }] }),
      authToken,
      fullProfiles: profiles,
    };
    const sig = await signSegment(over.signer ?? account, { manifestId: seg.manifestId, seq: seg.seq, hash: seg.hash, profileNames: profiles.map((p) => p.name) });
    return encodeSegDataHeader({ ...seg, sig });
  }

  /** A payment worth `pixels` at the session price; returns the header and what it credits. */
  async function pay(pixels: bigint): Promise<{ header: string; credit: Rational }> {
    const prepared = await payer.preparePayment(session!, payer.fee(session!, pixels));
    prepared.update.sent();
    return { header: prepared.header, credit: ev.mulInt(BigInt(prepared.numTickets)) };
  }

  async function post(path: string, headers: Record<string, string>, body?: Uint8Array | string) {
    const res = await request(`${uri}${path}`, { method: 'POST', headers, ...(body !== undefined ? { body } : {}) });
    return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
  }

  const sender: Address = ticketSigner.address;
  return { uri, processor, sink, authToken, info, session, ev, calls, sender, account, segmentHeader, pay, post, balance: (id: string) => processor.balance(sender, id) };
}

const text = (body: Buffer): string => body.toString('utf8');

t.test('/payment credits exactly the tickets’ EV under the manifest id and returns fresh params', async (t) => {
  const node = await startNode(t);
  const { header, credit } = await node.pay(4_500n);
  t.ok(credit.gt(Rational.ZERO));
  const seg = await node.segmentHeader(new Uint8Array(0), { seq: 0n, manifestId: 'live-mid', profiles: [] });
  const res = await node.post('/payment', { 'livepeer-payment': header, 'livepeer-segment': seg });
  t.equal(res.status, 200);
  const info = decodePaymentResult(res.body)!;
  t.ok(info.ticketParams, 'fresh ticket params');
  t.same(info.priceInfo, { pricePerUnit: 3n, pixelsPerUnit: 2n });
  t.equal(info.authToken?.sessionId, node.authToken.sessionId, 'the gateway’s own auth token comes back');
  t.equal(toHex(info.authToken!.token), toHex(node.authToken.token));
  t.ok((await node.balance('live-mid'))?.eq(credit), `balance is exactly ${credit.toString()}`);
  t.equal((await node.balance(node.authToken.sessionId)), undefined, 'nothing under the auth session id');

  const replay = await node.post('/payment', { 'livepeer-payment': header, 'livepeer-segment': seg });
  t.equal(replay.status, 400);
  t.match(text(replay.body), /^invalid ticket senderNonce: already seen sender=0x[0-9a-fA-F]{40} nonce=1\n$/);
  t.ok((await node.balance('live-mid'))?.eq(credit), 'a replay credits nothing');
});

t.test('/segment: credit, transcode, debit price × Σ pixels, signed TranscodeResult', async (t) => {
  const node = await startNode(t);
  const body = randomBytes(4096);
  const { header, credit } = await node.pay(3_000n);
  const res = await node.post('/segment', { 'livepeer-payment': header, 'livepeer-segment': await node.segmentHeader(body), 'content-type': 'video/MP2T' }, body);
  t.equal(res.status, 200);
  const result = decodeTranscodeResult(res.body);
  t.equal(result.seq, 7n);
  if (!('data' in result)) throw new Error(`expected data, got ${JSON.stringify(result)}`);
  t.same(result.data.segments.map((s) => s.pixels), [1000n, 2000n]);
  t.equal(result.data.segments[1]!.url, `${node.uri}/stream/${node.authToken.sessionId}/P240p30fps16x9/7.ts`);
  t.equal(result.data.sig.length, 65, 'the renditions are signed');
  t.equal(result.info?.authToken?.sessionId, node.authToken.sessionId, 'info (field 16) keeps the auth token');
  t.ok(result.info?.ticketParams, 'info carries fresh ticket params');

  t.equal(node.calls.length, 1);
  const call = node.calls[0]!;
  t.equal(call.sessionId, node.authToken.sessionId);
  t.same(Buffer.from(call.body), body, 'the transcoder got the uploaded bytes');
  t.same(call.profiles.map((p) => p.name), ['P144p30fps16x9', 'P240p30fps16x9']);

  const expected = credit.sub(PRICE.mulInt(3_000n));
  t.ok((await node.balance(node.authToken.sessionId))?.eq(expected), `balance ${(await node.balance(node.authToken.sessionId))} = credit ${credit} − 4500`);

  const replay = await node.post('/segment', { 'livepeer-payment': header, 'livepeer-segment': await node.segmentHeader(body), 'content-type': 'video/MP2T' }, body);
  t.equal(replay.status, 400);
  t.match(text(replay.body), /^invalid ticket senderNonce: already seen/);
  t.equal(node.calls.length, 1, 'no work for a replay');
  t.ok((await node.balance(node.authToken.sessionId))?.eq(expected), 'nothing credited or debited');
});

t.test('/segment: a body that is not the signed segment is 403 Forbidden, nothing debited', async (t) => {
  const node = await startNode(t);
  const signedBody = randomBytes(512);
  const { header, credit } = await node.pay(3_000n);
  const res = await node.post('/segment', { 'livepeer-payment': header, 'livepeer-segment': await node.segmentHeader(signedBody), 'content-type': 'video/MP2T' }, randomBytes(512));
  t.equal(res.status, 403);
  t.equal(text(res.body), 'Forbidden\n');
  t.equal(node.calls.length, 0);
  t.ok((await node.balance(node.authToken.sessionId))?.eq(credit), 'the payment was credited (go-livepeer order), nothing debited');
});

t.test('/segment: a transcode error travels in the result, nothing debited', async (t) => {
  const node = await startNode(t, { transcode: async () => ({ error: 'ZeroSegments' }) });
  const body = randomBytes(256);
  const { header, credit } = await node.pay(3_000n);
  const res = await node.post('/segment', { 'livepeer-payment': header, 'livepeer-segment': await node.segmentHeader(body), 'content-type': 'video/MP2T' }, body);
  t.equal(res.status, 200);
  const result = decodeTranscodeResult(res.body);
  t.same({ seq: result.seq, error: 'error' in result ? result.error : undefined }, { seq: 7n, error: 'ZeroSegments' });
  t.ok(result.info?.ticketParams, 'info still sent');
  t.ok((await node.balance(node.authToken.sessionId))?.eq(credit));

  const thrower = await startNode(t, {
    transcode: async () => {
      throw new Error('ffmpeg exited 1');
    },
  });
  const paid = await thrower.pay(3_000n);
  const res2 = await thrower.post('/segment', { 'livepeer-payment': paid.header, 'livepeer-segment': await thrower.segmentHeader(body), 'content-type': 'video/MP2T' }, body);
  const result2 = decodeTranscodeResult(res2.body);
  t.equal('error' in result2 ? result2.error : undefined, 'ffmpeg exited 1');
  t.ok((await thrower.balance(thrower.authToken.sessionId))?.eq(paid.credit));
});

t.test('/segment without a transcoder answers go-livepeer’s ErrTranscoderUnavailable', async (t) => {
  const node = await startNode(t, { transcode: null });
  const body = randomBytes(256);
  const { header, credit } = await node.pay(3_000n);
  const res = await node.post('/segment', { 'livepeer-payment': header, 'livepeer-segment': await node.segmentHeader(body), 'content-type': 'video/MP2T' }, body);
  t.equal(res.status, 200);
  const result = decodeTranscodeResult(res.body);
  t.equal('error' in result ? result.error : undefined, 'ErrTranscoderUnavailable');
  t.ok((await node.balance(node.authToken.sessionId))?.eq(credit));
});

t.test('status codes before the work', async (t) => {
  const body = randomBytes(128);
  for (const path of ['/payment', '/segment']) {
    const node = await startNode(t);
    const seg = await node.segmentHeader(body);

    const bad = await node.post(path, { 'livepeer-payment': 'not base64!', 'livepeer-segment': seg, 'content-type': 'video/MP2T' }, body);
    t.equal(bad.status, 402, `${path}: unparsable payment`);
    t.equal(bad.headers['content-type'], 'text/plain; charset=utf-8');

    const { header } = await node.pay(3_000n);
    const stranger = privateKeyToAccount(toHex(randomBytes(32)));
    const forged = await node.post(path, { 'livepeer-payment': header, 'livepeer-segment': await node.segmentHeader(body, { signer: stranger }), 'content-type': 'video/MP2T' }, body);
    t.same({ status: forged.status, body: text(forged.body) }, { status: 403, body: 'ErrSegSig\n' }, `${path}: creds not signed by the payment sender`);
    t.equal((await node.balance('manifest-1')), undefined, 'nothing credited');
    t.equal((await node.balance(node.authToken.sessionId)), undefined, 'nothing credited');

    const noCreds = await node.post(path, { 'livepeer-payment': header, 'content-type': 'video/MP2T' }, body);
    t.equal(noCreds.status, 403, `${path}: no Livepeer-Segment`);
  }

  const failing = await startNode(t, {
    buildInfo: async () => {
      throw new Error('rpc down');
    },
  });
  for (const path of ['/payment', '/segment']) {
    const { header } = await failing.pay(3_000n);
    const res = await failing.post(path, { 'livepeer-payment': header, 'livepeer-segment': await failing.segmentHeader(body), 'content-type': 'video/MP2T' }, body);
    t.same({ status: res.status, body: text(res.body) }, { status: 500, body: 'Internal Server Error\n' }, `${path}: info build failure`);
  }
  t.equal((await failing.balance(failing.authToken.sessionId)), undefined, 'payment not processed after a 500');
  t.equal((await failing.balance('manifest-1')), undefined);
});

t.test('/segment: 400 Insufficient balance when a priced payment brings no credit', async (t) => {
  // A ticketless payment fixes the session price at 0 in the processor; the
  // gate must still look at the balance, as go-livepeer's SufficientBalance does.
  const node = await startNode(t);
  const body = randomBytes(128);
  const noTickets = paymentHeader(paymentWithoutTickets(node.sender, node.info.priceInfo!));
  const res = await node.post('/segment', { 'livepeer-payment': noTickets, 'livepeer-segment': await node.segmentHeader(body), 'content-type': 'video/MP2T' }, body);
  t.same({ status: res.status, body: text(res.body) }, { status: 400, body: 'Insufficient balance\n' });
  t.equal(node.calls.length, 0);
});

async function sourceServer(t: Test, handler: (res: import('node:http').ServerResponse) => void): Promise<string> {
  const server: Server = createServer((_req, res) => handler(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/seg.ts`;
}

t.test('/segment with an application/vnd+livepeer.uri body downloads the source', async (t) => {
  const node = await startNode(t);
  const segment = randomBytes(2048);
  const url = await sourceServer(t, (res) => res.end(segment));
  const { header } = await node.pay(3_000n);
  const res = await node.post('/segment', { 'livepeer-payment': header, 'livepeer-segment': await node.segmentHeader(segment), 'content-type': 'application/vnd+livepeer.uri' }, url);
  t.equal(res.status, 200);
  t.ok('data' in decodeTranscodeResult(res.body));
  t.same(Buffer.from(node.calls[0]!.body), segment, 'the transcoder got the downloaded bytes');
});

t.test('/segment: a source that does not arrive in time is 400 BadRequest', async (t) => {
  const node = await startNode(t, { sourceTimeoutMs: 200 });
  const segment = randomBytes(64);
  const url = await sourceServer(t, () => {
    // never answers
  });
  const { header, credit } = await node.pay(3_000n);
  const res = await node.post('/segment', { 'livepeer-payment': header, 'livepeer-segment': await node.segmentHeader(segment), 'content-type': 'application/vnd+livepeer.uri' }, url);
  t.same({ status: res.status, body: text(res.body) }, { status: 400, body: 'BadRequest\n' });
  t.equal(node.calls.length, 0);
  t.ok((await node.balance(node.authToken.sessionId))?.eq(credit), 'nothing debited');
});

t.test('offchain: empty payments and unsigned credentials are accepted', async (t) => {
  const node = await startNode(t, { offchain: true });
  const body = randomBytes(256);
  const unsigned = encodeSegDataHeader({
    ...emptySegData(),
    manifestId: 'offchain',
    seq: 3n,
    hash: keccak256(body),
    capabilities: jobCapabilitiesForTranscode({ profiles: [{ format: 'mpegts' }] }),
    authToken: node.authToken,
    fullProfiles: PROFILES,
  });
  const paid = await node.post('/payment', { 'livepeer-segment': unsigned });
  t.equal(paid.status, 200);
  const info: OrchestratorInfo | undefined = decodePaymentResult(paid.body);
  t.equal(info?.ticketParams, undefined, 'an offchain node sends no ticket params');

  const res = await node.post('/segment', { 'livepeer-payment': '', 'livepeer-segment': unsigned, 'content-type': 'video/MP2T' }, body);
  t.equal(res.status, 200);
  const result = decodeTranscodeResult(res.body);
  t.equal(result.seq, 3n);
  t.ok('data' in result);
});
