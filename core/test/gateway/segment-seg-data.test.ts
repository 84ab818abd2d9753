// The gateway's Livepeer-Segment header, checked against the documented field
// numbers (core/proto/lp_rpc_net.proto, go-livepeer's net.SegData) by walking
// the encoded bytes tag by tag with protobufjs' Reader, not through our own
// decoder; plus go-livepeer's choice of fullProfiles / 2 / 3, the signature
// over Flatten and the timeouts and fee estimate formulas.
import { randomBytes } from 'node:crypto';
import protobuf from 'protobufjs';
import t from 'tap';
import { privateKeyToAccount } from 'viem/accounts';
import { presetProfile, type TranscodeProfile } from '@lpx/sdk';
import { decodeSegDataHeader, segmentHeader, segmentSignatureMessage, segmentTimeouts, wireVideoProfile } from '../../src/network/segment/index.js';
import { keccak256, Rational, SignatureVerifier, addressKey, fromHex, toHex } from '../../src/payments/index.js';
import { estimateFee, estimatePixels, PIXEL_ESTIMATE_MULTIPLIER } from '../../src/roles/gateway/segment-payments.js';

const account = privateKeyToAccount(toHex(randomBytes(32)));
const P240 = presetProfile('P240p30fps16x9')!;
const P360 = presetProfile('P360p30fps16x9')!;
const authToken = { token: Uint8Array.from([1, 2, 3]), sessionId: 'sess-1', expiration: 1_900_000_000n };

interface Field {
  readonly field: number;
  readonly wireType: number;
  readonly value: Uint8Array | bigint;
}

/** Every top-level field of a message, raw. */
function fields(bytes: Uint8Array): Field[] {
  const reader = protobuf.Reader.create(bytes);
  const out: Field[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === 0) out.push({ field, wireType, value: BigInt(reader.int64().toString()) });
    else if (wireType === 2) out.push({ field, wireType, value: reader.bytes() });
    else throw new Error(`unexpected wire type ${wireType} for field ${field}`);
  }
  return out;
}

const one = (list: Field[], field: number): Field => {
  const found = list.filter((f) => f.field === field);
  if (found.length !== 1) throw new Error(`field ${field} appears ${found.length} times`);
  return found[0]!;
};

t.test('the header carries go-livepeer’s SegData field numbers and wire types', async (t) => {
  const data = randomBytes(1000);
  const header = await segmentHeader({ manifestId: 'stream-a', seq: 42n, data, durationMs: 2_000, profiles: [P240, P360], authToken, signer: account });
  const top = fields(Buffer.from(header, 'base64'));
  t.same(Buffer.from(one(top, 1).value as Uint8Array).toString('utf8'), 'stream-a', 'manifestId = 1 (bytes)');
  t.equal(one(top, 2).value, 42n, 'seq = 2 (varint)');
  t.same(Buffer.from(one(top, 3).value as Uint8Array), Buffer.from(keccak256(data)), 'hash = 3: keccak256 of the bytes sent');
  t.equal(Buffer.from(one(top, 4).value as Uint8Array).toString('latin1'), 'invalid', 'profiles = 4 is "invalid", as go-livepeer gateways send it');
  t.equal((one(top, 5).value as Uint8Array).length, 65, 'sig = 5: a 65-byte signature');
  t.equal(one(top, 6).value, 2_000n, 'duration = 6 in ms');
  t.equal(one(top, 7).wireType, 2, 'capabilities = 7 (message)');
  const token = fields(one(top, 8).value as Uint8Array);
  t.same([...(one(token, 1).value as Uint8Array)], [1, 2, 3], 'auth_token = 8 carries token = 1');
  t.equal(Buffer.from(one(token, 2).value as Uint8Array).toString('utf8'), 'sess-1', 'and session_id = 2');
  t.equal(one(token, 3).value, 1_900_000_000n, 'and expiration = 3');
  const profiles = top.filter((f) => f.field === 33).map((f) => fields(f.value as Uint8Array));
  t.equal(profiles.length, 2, 'a preset ladder goes in fullProfiles = 33 (what every orchestrator reads)');
  t.notOk(top.some((f) => f.field === 34 || f.field === 35), 'not in fullProfiles2/3');
  const p = profiles[0]!;
  t.equal(Buffer.from(one(p, 16).value as Uint8Array).toString('utf8'), 'P240p30fps16x9', 'VideoProfile.name = 16');
  t.equal(one(p, 17).value, 426n, 'width = 17');
  t.equal(one(p, 18).value, 240n, 'height = 18');
  t.equal(one(p, 19).value, 600_000n, 'bitrate = 19');
  t.equal(one(p, 20).value, 30n, 'fps = 20');
  t.notOk(p.some((f) => f.field === 22), 'fpsDen 1 goes out as the default 0, as go-livepeer presets carry it');
});

t.test('go-livepeer’s field choice: MP4 → fullProfiles2, a fractional rate / encoder profile / GOP → fullProfiles3', async (t) => {
  const data = randomBytes(10);
  const fieldOf = async (profiles: TranscodeProfile[]) => {
    const top = fields(Buffer.from(await segmentHeader({ manifestId: 'm', seq: 1n, data, durationMs: 0, profiles, authToken, signer: account }), 'base64'));
    return [33, 34, 35].filter((n) => top.some((f) => f.field === n));
  };
  t.same(await fieldOf([P240, { ...P360, format: 'mp4' }]), [34]);
  t.same(await fieldOf([P240, { ...P360, fps: 30_000, fpsDen: 1001 }]), [35]);
  t.same(await fieldOf([{ ...P240, profile: 'high' }]), [35]);
  t.same(await fieldOf([{ ...P240, gopMs: 2_000 }]), [35]);
  t.same(await fieldOf([{ ...P240, gopMs: -1 }]), [35], 'intra-only (-1) too');
  t.equal(wireVideoProfile({ ...P240, gopMs: -1 }).gop, -1, 'the intra-only marker travels as -1');
});

t.test('the signature is the gateway’s over go-livepeer’s Flatten, and our orchestrator side decodes it', async (t) => {
  const data = randomBytes(64);
  const header = await segmentHeader({ manifestId: 'stream-b', seq: 7n, data, durationMs: 1_500, profiles: [P240], authToken, signer: account });
  const seg = decodeSegDataHeader(header);
  const message = segmentSignatureMessage({ manifestId: seg.manifestIdBytes, seq: seg.seq, hash: seg.hash, profileNames: ['P240p30fps16x9'] });
  const signer = fromHex(account.address);
  t.equal(new SignatureVerifier().verify(signer, addressKey(signer), message, seg.sig), undefined, 'recovers to the gateway');
  t.ok(seg.capabilities?.bitstring?.length, 'job capabilities are attached');
});

t.test('go-livepeer’s timeouts and fee estimate', async (t) => {
  t.same(segmentTimeouts(2_000), { uploadMs: 2_000, callMs: 8_000 }, '2 s segment: the floors');
  t.same(segmentTimeouts(0), { uploadMs: 2_000, callMs: 8_000 }, 'unknown duration counts as 2 s');
  t.same(segmentTimeouts(10_000), { uploadMs: 5_000, callMs: 40_000 }, '10 s segment: dur/2 and 4 × dur');
  t.same(segmentTimeouts(10_000, 2), { uploadMs: 10_000, callMs: 80_000 }, 'a timeout multiplier scales both');
  // 426×240×30×2 + 640×360×30×2
  const pixels = estimatePixels([P240, P360], 2_000);
  t.equal(pixels, 426n * 240n * 30n * 2n + 640n * 360n * 30n * 2n);
  t.equal(estimatePixels([{ ...P240, fps: 0, fpsDen: 0 }], 1_500), 426n * 240n * 60n * 2n, 'passthrough fps counts as 60; 1.5 s rounds up to 2');
  t.equal(estimatePixels([{ ...P240, fps: 30_000, fpsDen: 1001 }], 2_000), 426n * 240n * 30n * 2n, 'ceil(30000/1001) = 30');
  const fee = estimateFee(pixels, Rational.of(3n, 2n));
  t.ok(fee.eq(PIXEL_ESTIMATE_MULTIPLIER.mulInt(pixels).mul(Rational.of(3n, 2n))), 'fee = pixels × 51/50 × price, exact');
  t.ok(PIXEL_ESTIMATE_MULTIPLIER.eq(Rational.of(102n, 100n)));
});
