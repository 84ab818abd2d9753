// verifySegmentCredentials: every refusal go-livepeer's verifySegCreds makes,
// with its exact text, in its order, against a real viem signer.
import t from 'tap';
import { errors } from '@lpx/sdk';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { bitstringOf, emptyLivepeerCapabilities, jobCapabilitiesForTranscode, type LivepeerCapabilities } from '../../src/capabilities/index.js';
import { AuthTokenIssuer } from '../../src/network/index.js';
import {
  emptySegData,
  encodeSegDataHeader,
  resolveTranscodeProfiles,
  signSegment,
  verifySegmentCredentials,
  type SegData,
  type SegmentCredentialDeps,
  type VideoProfile,
} from '../../src/network/segment/index.js';
import { keccak256, parseAddress } from '../../src/payments/index.js';

const gateway = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const sender = parseAddress(gateway.address);
let nowMs = 1_800_000_000_000;
const authTokens = new AuthTokenIssuer({ now: () => nowMs });

// An orchestrator that transcodes H.264 to MPEG-TS and requires auth tokens.
function orchestratorCaps(): LivepeerCapabilities {
  const caps = emptyLivepeerCapabilities('0.9.1');
  caps.bitstring = bitstringOf([0, 1, 12]);
  caps.mandatories = bitstringOf([12]);
  return caps;
}

const P240: VideoProfile = { name: '', width: 426, height: 240, bitrate: 600_000, fps: 30, format: 0, fpsDen: 1, profile: 0, gop: 0, encoder: 0, colorDepth: 0, chromaFormat: 0, quality: 0 };

async function credentials(over: Partial<SegData> = {}, signer = gateway): Promise<string> {
  const body = new TextEncoder().encode('segment bytes');
  const seg: SegData = {
    ...emptySegData(),
    manifestId: 'manifest-1',
    seq: 42n,
    hash: keccak256(body),
    profiles: new TextEncoder().encode('invalid'),
    duration: 0,
    capabilities: jobCapabilitiesForTranscode({ profiles: [{ format: 'mpegts' }] }),
    authToken: authTokens.issue(),
    fullProfiles3: [P240],
    ...over,
  };
  // Sign what the orchestrator will rebuild (resolved names), unless the caller brought a sig.
  let names: string[] = [];
  try {
    names = resolveTranscodeProfiles(seg).map((p) => p.name);
  } catch {
    // an invalid profile: the signature is never reached
  }
  const sig = over.sig ?? (await signSegment(signer, { manifestId: seg.manifestId, seq: seg.seq, hash: seg.hash, profileNames: names }));
  return encodeSegDataHeader({ ...seg, sig });
}

function deps(over: Partial<SegmentCredentialDeps> = {}): SegmentCredentialDeps {
  return { sender, authTokens, orchestratorCapabilities: orchestratorCaps, hasCapacity: () => true, ...over };
}

function refusal(header: string, d = deps()): { code: string; message: string } {
  try {
    verifySegmentCredentials(header, d);
  } catch (error) {
    const e = error as { code: string; message: string };
    return { code: e.code, message: e.message };
  }
  throw new Error('expected a refusal');
}

t.test('valid credentials', async (t) => {
  const seen: string[] = [];
  const creds = verifySegmentCredentials(await credentials(), deps({ hasCapacity: (id) => (seen.push(id), true) }));
  t.equal(creds.manifestId, 'manifest-1');
  t.equal(creds.durationMs, 2_000, 'duration 0 means 2 s');
  t.equal(creds.profiles[0]!.name, 'net_426x240_600000', 'a nameless profile gets go-livepeer’s name');
  t.equal(creds.sessionId, creds.authToken.sessionId);
  t.same(seen, [creds.sessionId], 'capacity asked for the auth session');
  t.equal(creds.hash.length, 32);

  const long = verifySegmentCredentials(await credentials({ duration: 300_000 }), deps());
  t.equal(long.durationMs, 300_000, 'exactly 5 minutes is allowed');
});

t.test('each refusal carries go-livepeer’s text and a SEGMENT code', async (t) => {
  const cases: [string, Promise<string> | string, string, string, SegmentCredentialDeps?][] = [
    ['base64', 'not base64!', errors.segment.HEADER_ENCODING.code, 'ErrorSegEncoding'],
    ['protobuf', Buffer.from([0x0a, 0x09, 0x01]).toString('base64'), errors.segment.MALFORMED.code, 'proto: cannot parse invalid wire-format data'],
    ['format', credentials({ fullProfiles3: [{ ...P240, format: 7 }] }), errors.segment.INVALID_PROFILE.code, 'unrecognized profile output format'],
    ['encoder profile', credentials({ fullProfiles3: [{ ...P240, profile: 9 }] }), errors.segment.INVALID_PROFILE.code, 'unrecognized encoder profile'],
    ['codec', credentials({ fullProfiles3: [{ ...P240, encoder: 9 }] }), errors.segment.INVALID_PROFILE.code, 'unrecognized video codec'],
    ['negative duration', credentials({ duration: -1 }), errors.segment.INVALID_DURATION.code, 'invalid duration'],
    ['long duration', credentials({ duration: 300_001 }), errors.segment.INVALID_DURATION.code, 'invalid duration'],
    ['other signer', credentials({}, stranger), errors.segment.SIG_INVALID.code, 'ErrSegSig'],
    ['no sig', credentials({ sig: new Uint8Array(0) }), errors.segment.SIG_INVALID.code, 'ErrSegSig'],
    ['no sender', credentials(), errors.segment.SIG_INVALID.code, 'ErrSegSig', deps({ sender: undefined })],
    ['missing bit', credentials({ capabilities: { ...emptyLivepeerCapabilities(), bitstring: bitstringOf([12, 33]) } }), errors.segment.INCOMPATIBLE_CAPABILITIES.code, 'incompatible capabilities'],
    ['no caps but mandatories', credentials({ capabilities: undefined }), errors.segment.INCOMPATIBLE_CAPABILITIES.code, 'incompatible capabilities'],
    ['missing token', credentials({ authToken: undefined }), errors.segment.AUTH_TOKEN_MISSING.code, 'missing auth token'],
    ['foreign token', credentials({ authToken: new AuthTokenIssuer().issue() }), errors.segment.AUTH_TOKEN_INVALID.code, 'invalid auth token'],
    ['stretched token', credentials({ authToken: { ...authTokens.issue(), expiration: 9_999_999_999n } }), errors.segment.AUTH_TOKEN_INVALID.code, 'invalid auth token'],
    ['expired token', credentials({ authToken: authTokens.tokenFor('deadbeef', BigInt(nowMs / 1000) - 1n) }), errors.segment.AUTH_TOKEN_EXPIRED.code, 'expired auth token'],
    ['capped', credentials(), errors.segment.ORCHESTRATOR_CAPPED.code, 'OrchestratorCapped', deps({ hasCapacity: () => false })],
  ];
  for (const [name, header, code, message, d] of cases) t.same(refusal(await header, d), { code, message }, name);
});

t.test('checks run in go-livepeer’s order', async (t) => {
  t.equal(refusal(await credentials({ fullProfiles3: [{ ...P240, format: 7 }], duration: -1 })).message, 'unrecognized profile output format', 'profiles before duration');
  t.equal(refusal(await credentials({ duration: -1 }, stranger)).message, 'invalid duration', 'duration before signature');
  t.equal(refusal(await credentials({ capabilities: { ...emptyLivepeerCapabilities(), bitstring: bitstringOf([33]) } }, stranger)).message, 'ErrSegSig', 'signature before capabilities');
  t.equal(refusal(await credentials({ capabilities: { ...emptyLivepeerCapabilities(), bitstring: bitstringOf([33]) }, authToken: undefined })).message, 'incompatible capabilities', 'capabilities before token');
  t.equal(refusal(await credentials({ authToken: undefined }), deps({ hasCapacity: () => false })).message, 'missing auth token', 'token before capacity');
});

t.test('the signature covers manifest, seq, hash and profile names', async (t) => {
  const token = authTokens.issue();
  const signed = await signSegment(gateway, { manifestId: 'manifest-1', seq: 42n, hash: keccak256(new TextEncoder().encode('segment bytes')), profileNames: ['net_426x240_600000'] });
  t.same(verifySegmentCredentials(await credentials({ sig: signed, authToken: token }), deps()).sessionId, token.sessionId, 'an independently built sig verifies');
  t.equal(refusal(await credentials({ sig: signed, seq: 43n })).message, 'ErrSegSig', 'another seq');
  t.equal(refusal(await credentials({ sig: signed, manifestId: 'manifest-2' })).message, 'ErrSegSig', 'another manifest');
  t.equal(refusal(await credentials({ sig: signed, fullProfiles3: [{ ...P240, name: 'renamed' }] })).message, 'ErrSegSig', 'another profile name');
  t.equal(refusal(await credentials({ sig: signed, hash: keccak256(new Uint8Array([1])) })).message, 'ErrSegSig', 'another hash');
});

t.test('offchain: no signature check, legacy gateways without capabilities', async (t) => {
  const noMandatories = (): LivepeerCapabilities => ({ ...orchestratorCaps(), mandatories: [] });
  const creds = verifySegmentCredentials(await credentials({ sig: new Uint8Array(0), capabilities: undefined }), deps({ sender: undefined, skipSignatureCheck: true, orchestratorCapabilities: noMandatories }));
  t.same(creds.capabilities, emptyLivepeerCapabilities(), 'an empty job capability set');
});

t.test('expiry follows the issuer clock', async (t) => {
  const header = await credentials();
  nowMs += 31 * 60 * 1000;
  t.teardown(() => void (nowMs -= 31 * 60 * 1000));
  t.same(refusal(header), { code: errors.segment.AUTH_TOKEN_EXPIRED.code, message: 'expired auth token' });
});
