// The gateway's segment router against real lpx orchestrator /segment routes
// (segment-fixture.ts: real payments, renditions made by real ffmpeg, signed
// with the orchestrator's key), through a real OrchestratorPool, real ticket
// payments and per-stream sessions: exact accounting on both sides, failover
// by go-livepeer's rules, suspension, stickiness.
import t from 'tap';
import { errors, type TranscodeProfile } from '@lpx/sdk';
import { ticketEV, Rational, toHex } from '../../src/payments/index.js';
import { estimateFee, estimatePixels } from '../../src/roles/gateway/segment-payments.js';
import { countPixels, makeSource, memoryChain, PRICE, startGateway, startOrchestrator, type FixtureOrchestrator, type Gateway } from './segment-fixture.js';

const profile = (name: string, width: number, height: number): TranscodeProfile => ({ name, width, height, bitrate: 200_000, fps: 30, fpsDen: 1, gopMs: 0, codec: 'H264', profile: 'encoder-default', format: 'mpegts', quality: 0 });
const LADDER = [profile('low', 160, 90), profile('mid', 256, 144)];
const source = await makeSource(t);
const segment = (streamId: string, seq: number) => ({ streamId, seq, data: source, durationMs: 1_000, profiles: LADDER });

/** The stream's current session with `o` (the one the last segment used). */
async function sessionOf(gw: Gateway, streamId: string, o: FixtureOrchestrator) {
  return gw.sessions.session(streamId, o.uri, () => Promise.reject(new Error('no session')));
}

t.test('a segment is paid, transcoded, verified; both sides hold exactly the same balance after each segment', async (t) => {
  const chain = memoryChain();
  const o1 = await startOrchestrator(t, chain);
  const charged: bigint[] = [];
  const gw = await startGateway(t, chain, [o1], { charge: () => async (wei) => (charged.push(wei), async () => undefined) });

  const pmSessions: (string | undefined)[] = [];
  for (const seq of [0, 1, 2]) {
    const before = o1.calls.length;
    const result = await gw.route(segment('stream-a', seq));
    t.equal(result.orchestrator, o1.uri);
    t.equal(result.tried, 1);
    t.same(result.output.renditions.map((r) => r.profile), ['low', 'mid'], 'renditions in profile order');
    let pixels = 0n;
    for (const rendition of result.output.renditions) {
      t.equal(BigInt(rendition.pixels), await countPixels(rendition.data), `${rendition.profile}: the charged pixels are the decoded pixels`);
      pixels += BigInt(rendition.pixels);
    }
    const call = o1.calls[before]!;
    t.equal(call.seq, BigInt(seq));
    t.same(call.profiles.map((p) => [p.name, p.width, p.height]), [['low', 160, 90], ['mid', 256, 144]], 'the orchestrator got the ladder');
    t.equal(o1.debited.get(call.sessionId), o1.debited.get(call.sessionId), 'debited');
    const session = await sessionOf(gw, 'stream-a', o1);
    const oBalance = await o1.processor.balance(gw.sender, call.sessionId);
    const gBalance = gw.payments.balance(session);
    t.ok(oBalance !== undefined && gBalance !== undefined && oBalance.eq(gBalance), `after seq ${seq}: orchestrator ${oBalance?.toString()} = gateway ${gBalance?.toString()}`);
    // The result's fresh info restarted the PM session on its new params (nonces from 0 under a new recipientRandHash).
    t.equal(session.pmSession, toHex(session.info.ticketParams!.recipientRandHash));
    t.notOk(pmSessions.includes(session.pmSession), `seq ${seq}: a new PM session`);
    pmSessions.push(session.pmSession);
  }
  // All three went in one session: the credited EV minus price × every pixel debited, exactly.
  const sessionId = o1.calls[0]!.sessionId;
  t.ok(o1.calls.every((c) => c.sessionId === sessionId), 'one auth session for the stream');
  const session = await sessionOf(gw, 'stream-a', o1);
  const ev = ticketEV(session.info.ticketParams!.faceValue, session.info.ticketParams!.winProb);
  const debit = PRICE.mulInt(o1.debited.get(sessionId)!);
  const credited = (await o1.processor.balance(gw.sender, sessionId))!.add(debit);
  t.ok(credited.gt(Rational.ZERO));
  t.equal(credited.div(ev).den, 1n, 'the orchestrator was credited a whole number of ticket EVs');
  // Each payment's tickets were charged to the tenant as their EV in wei, rounded up, before they were made.
  const ceil = (r: Rational): bigint => (r.num + r.den - 1n) / r.den;
  const counts = charged.map((wei) => Rational.of(wei).div(ev).trunc());
  charged.forEach((wei, i) => t.equal(wei, ceil(ev.mulInt(counts[i]!)), `payment ${i}: ${counts[i]} tickets charged as ${wei} wei`));
  t.ok(counts.reduce((a, b) => a + b, 0n) > 0n);
  t.ok(ev.mulInt(counts.reduce((a, b) => a + b, 0n)).eq(credited), 'what the tenant paid for is exactly what the orchestrator credited');
  // The first payment covered max(fee estimate, one EV).
  const fee = estimateFee(estimatePixels(LADDER, 1_000), PRICE);
  t.ok(fee.gt(ev), 'the estimate is worth more than one ticket here');
});

t.test('a forged rendition signature: the orchestrator is suspended and the segment goes to another', async (t) => {
  const chain = memoryChain();
  const bad = await startOrchestrator(t, chain, 'bad-sig');
  const good = await startOrchestrator(t, chain);
  const gw = await startGateway(t, chain, [bad, good]);
  const result = await gw.route(segment('s', 0));
  t.equal(result.orchestrator, good.uri);
  t.equal(result.tried, 2);
  t.equal(gw.failed.length, 1);
  t.equal(gw.failed[0]!.uri, bad.uri);
  t.equal((gw.failed[0]!.error as { code?: string }).code, errors.gateway.SEGMENT_UNVERIFIED.code);
  t.match((gw.failed[0]!.error as Error).message, /does not recover/);
  t.ok(gw.pool.isSuspended(bad.uri), 'suspended');
  t.notOk(gw.pool.isSuspended(good.uri));
  const next = await gw.route(segment('s', 1));
  t.equal(next.orchestrator, good.uri, 'the stream stays with the one that worked');
  t.equal(bad.calls.length, 1, 'the suspended one gets nothing more');
});

t.test('a rendition missing from the result is a verification failure too', async (t) => {
  const chain = memoryChain();
  const short = await startOrchestrator(t, chain, 'short');
  const good = await startOrchestrator(t, chain);
  const gw = await startGateway(t, chain, [short, good]);
  const result = await gw.route(segment('s', 0));
  t.equal(result.orchestrator, good.uri);
  t.match((gw.failed[0]!.error as Error).message, /1 renditions for 2 profiles/);
  t.ok(gw.pool.isSuspended(short.uri));
});

t.test('an error result (go-livepeer’s OrchestratorBusy): nothing debited there, suspended, the next one transcodes', async (t) => {
  const chain = memoryChain();
  const busy = await startOrchestrator(t, chain, { error: 'OrchestratorBusy' });
  const good = await startOrchestrator(t, chain);
  const gw = await startGateway(t, chain, [busy, good]);
  const result = await gw.route(segment('s', 0));
  t.equal(result.orchestrator, good.uri);
  const error = gw.failed[0]!.error as { code?: string; details?: { remoteMessage?: string } };
  t.equal(error.code, errors.gateway.SEGMENT_TRANSCODE_FAILED.code);
  t.equal(error.details?.remoteMessage, 'OrchestratorBusy');
  t.equal(gw.failed[0]!.action, 'suspend-and-try-another');
  t.ok(gw.pool.isSuspended(busy.uri));
  const sessionId = busy.calls[0]!.sessionId;
  t.equal(busy.debited.get(sessionId), undefined, 'no pixels debited for a failed segment');
  const credit = await busy.processor.balance(gw.sender, sessionId);
  t.ok(credit !== undefined && credit.gt(Rational.ZERO), `it keeps our credit (${credit?.toString()})`);
});

t.test('a refusal with go-livepeer’s text before transcoding (403 OrchestratorCapped) is coded, suspended, failed over', async (t) => {
  const chain = memoryChain();
  const capped = await startOrchestrator(t, chain, { status: 403, text: 'OrchestratorCapped' });
  const good = await startOrchestrator(t, chain);
  const gw = await startGateway(t, chain, [capped, good]);
  const result = await gw.route(segment('s', 0));
  t.equal(result.orchestrator, good.uri);
  const error = gw.failed[0]!.error as { code?: string; details?: { remoteMessage?: string; status?: number } };
  t.equal(error.code, errors.gateway.SEGMENT_REFUSED.code);
  t.same([error.details?.status, error.details?.remoteMessage], [403, 'OrchestratorCapped']);
  t.ok(gw.pool.isSuspended(capped.uri));
});

t.test('a non-retryable transcoder error stops at once: coded for the caller, nobody suspended, nobody else tried', async (t) => {
  const chain = memoryChain();
  const o1 = await startOrchestrator(t, chain, { error: 'TranscoderInvalidVideo' });
  const o2 = await startOrchestrator(t, chain);
  const gw = await startGateway(t, chain, [o1, o2]);
  await t.rejects(gw.route(segment('s', 0)), { code: errors.transcode.INPUT_INVALID.code, message: /TranscoderInvalidVideo/ });
  t.notOk(gw.pool.isSuspended(o1.uri), 'the input is at fault, not the orchestrator');
  t.equal(o2.calls.length, 0);
});

t.test('Insufficient balance (the orchestrator lost our credit): a fresh session with the same orchestrator, not a suspension', async (t) => {
  const chain = memoryChain();
  const o1 = await startOrchestrator(t, chain);
  const gw = await startGateway(t, chain, [o1]);
  await gw.route(segment('s', 0));
  const first = o1.calls[0]!.sessionId;
  // The orchestrator's view drops far below ours (as after a restart with a debit it never told us about).
  const info = (await sessionOf(gw, 's', o1)).info;
  await o1.processor.debit(gw.sender, first, 100_000_000n, info.priceInfo);
  const result = await gw.route(segment('s', 1));
  t.equal(result.orchestrator, o1.uri, 'the same orchestrator');
  t.equal(result.tried, 2);
  t.equal(gw.failed[0]!.action, 'fresh-session');
  t.match((gw.failed[0]!.error as { details?: { remoteMessage?: string } }).details?.remoteMessage, /^Insufficient balance$/);
  t.notOk(gw.pool.isSuspended(o1.uri));
  const second = o1.calls.at(-1)!.sessionId;
  t.not(second, first, 'under a new auth session (a new balance on both sides)');
  const oBalance = await o1.processor.balance(gw.sender, second);
  const gBalance = gw.payments.balance(await sessionOf(gw, 's', o1));
  t.ok(oBalance !== undefined && gBalance !== undefined && oBalance.eq(gBalance), 'and the balances agree again');
});

t.test('stickiness: a stream keeps its orchestrator while it works, others may go elsewhere; a failure moves it', async (t) => {
  const chain = memoryChain();
  const o1 = await startOrchestrator(t, chain);
  const o2 = await startOrchestrator(t, chain);
  let order = [o1.uri, o2.uri];
  const gw = await startGateway(t, chain, [o1, o2], { prefer: () => order });
  t.equal((await gw.route(segment('a', 0))).orchestrator, o1.uri);
  order = [o2.uri, o1.uri];
  t.equal((await gw.route(segment('a', 1))).orchestrator, o1.uri, 'stream a sticks to o1 although selection now prefers o2');
  t.equal((await gw.route(segment('b', 0))).orchestrator, o2.uri, 'a new stream follows selection');
  o1.mode = { error: 'OrchestratorBusy' };
  const moved = await gw.route(segment('a', 2));
  t.equal(moved.orchestrator, o2.uri, 'a failure moves the stream');
  t.equal(moved.tried, 2);
  o1.mode = 'ffmpeg';
  t.equal((await gw.route(segment('a', 3))).orchestrator, o2.uri, 'and it sticks to its new orchestrator');
  const [b0, a2, a3] = o2.calls;
  t.equal(a2!.sessionId, a3!.sessionId, 'stream a keeps one auth session at o2');
  t.not(b0!.sessionId, a2!.sessionId, 'streams a and b have their own auth sessions at o2');
});

t.test('every orchestrator failing: the job fails after maxOrchestratorAttempts with the last reason', async (t) => {
  const chain = memoryChain();
  const os = await Promise.all([0, 1, 2].map(() => startOrchestrator(t, chain, { error: 'OrchestratorBusy' })));
  const gw = await startGateway(t, chain, os, { maxAttempts: 2 });
  await t.rejects(gw.route(segment('s', 0)), { code: errors.jobs.FAILED.code, message: /after 2 tries: .*OrchestratorBusy/ });
  t.equal(os[2]!.calls.length, 0, 'no third try');
  t.equal(gw.deps.failures?.size, 1, 'the coded failure is kept for a caller in this process');
});

t.test('no orchestrator at all: the pool’s own coded reason', async (t) => {
  const chain = memoryChain();
  const gw = await startGateway(t, chain, []);
  await t.rejects(gw.route(segment('s', 0)), { code: errors.gateway.NO_ORCHESTRATORS.code });
});

t.test('selection: the job’s capability bits and the max pixel price narrow the pool', async (t) => {
  const chain = memoryChain();
  const pricey = await startOrchestrator(t, chain, 'ffmpeg', Rational.of(2n, 1000n));
  const cheap = await startOrchestrator(t, chain);
  const gw = await startGateway(t, chain, [pricey, cheap], { maxPrice: { pricePerUnit: 1n, pixelsPerUnit: 1000n } });
  const result = await gw.route(segment('s', 0));
  t.equal(result.orchestrator, cheap.uri, 'the preferred one asks more than the max price per pixel');
  t.equal(pricey.calls.length, 0);

  const hevc = LADDER.map((p) => ({ ...p, codec: 'HEVC' as const }));
  await t.rejects(gw.route({ ...segment('h', 0), profiles: hevc }), { code: errors.gateway.NO_ORCHESTRATORS.code }, 'nobody advertises the HEVC encode bit');

  const strict = await startGateway(t, chain, [pricey], { maxPrice: { pricePerUnit: 1n, pixelsPerUnit: 1000n } });
  await t.rejects(strict.route(segment('s', 0)), { code: errors.gateway.PRICE_TOO_HIGH.code });
});

t.test('ticket params that expired (the chain moved on): a fresh session with the same orchestrator, nothing sent on the stale ones', async (t) => {
  const chain = memoryChain();
  const o1 = await startOrchestrator(t, chain);
  const gw = await startGateway(t, chain, [o1]);
  await gw.route(segment('s', 0));
  chain.rounds.l1Block += 100n;
  const result = await gw.route(segment('s', 1));
  t.equal(result.orchestrator, o1.uri);
  t.equal(result.tried, 2);
  t.equal(gw.failed[0]!.action, 'fresh-session');
  t.equal((gw.failed[0]!.error as { code?: string }).code, errors.payments.TICKET_PARAMS_EXPIRED.code, 'our sender refused to sign on expired params');
  t.equal(o1.calls.length, 2, 'the orchestrator saw no request on the stale params');
  t.notOk(gw.pool.isSuspended(o1.uri));
});
