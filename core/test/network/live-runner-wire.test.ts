// The Live Runner client's parsing of go-livepeer's /discovery and 402 challenge, and its payment units.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { encodeOrchestratorInfo, type OrchestratorInfo } from '../../src/network/index.js';
import { parseChallenge, parseDiscovery, PIXELS_720P_PER_SECOND, unitsAhead, unitsForElapsed } from '../../src/network/live-runner/index.js';

const runner = (extra: Record<string, unknown> = {}) => ({ url: 'https://o.example:8935/apps/scope/session', app: 'live-video-to-video/scope', mode: 'persistent', capacity: 2, capacity_used: 1, capacity_available: 1, ...extra });

t.test('discovery: exact prices, refused malformed runners, unpriced ones ignored when paying', async (t) => {
  const big = '123456789012345678901';
  const text = JSON.stringify([{ address: 'https://o.example:8935', runners: [runner({ price_info: { price: 'X', currency: 'wei', unit: 'seconds' }, metadata: '{"price": 5}' }), runner({ url: 'ftp://x' }), runner({ app: '' }), runner({ mode: 'weird' }), runner(), runner({ price_info: { price: 1.5, currency: 'wei', unit: 'seconds' } }), runner({ price_info: { price: 3, currency: 'usd', unit: 'hour' } })] }]).replace('"X"', big);
  const paid = parseDiscovery(text, { paid: true });
  t.equal(paid.runners.length, 1);
  t.equal(paid.runners[0]!.price?.price, BigInt(big), 'a price beyond 2^53 is read exactly');
  t.equal(paid.runners[0]!.metadata, '{"price": 5}', 'metadata is verbatim');
  t.equal(paid.refused.length, 6);
  t.ok(paid.refused.every((e) => e.code === 'LPX_ERR_LIVE_RUNNER_CLIENT_FAILED'));
  t.match(paid.refused.map((e) => e.message).join('\n'), /url.*http\(s\)[\s\S]*app must[\s\S]*mode must[\s\S]*no price_info[\s\S]*positive integer[\s\S]*currency must be wei/);
  const free = parseDiscovery(text, { paid: false });
  t.equal(free.runners.filter((r) => r.price !== undefined).length, 0, 'a free gateway drops prices');
  t.throws(() => parseDiscovery('{"a":1}', { paid: true }), { code: 'LPX_ERR_LIVE_RUNNER_CLIENT_FAILED' });
  t.throws(() => parseDiscovery('nope', { paid: true }), { code: 'LPX_ERR_LIVE_RUNNER_CLIENT_FAILED' });
  t.equal(parseDiscovery('[{"address":"x","runners":null}]', { paid: true }).runners.length, 0);
});

function challengeInfo(overrides: Partial<OrchestratorInfo> = {}): OrchestratorInfo {
  const address = randomBytes(20);
  return {
    transcoder: 'https://o.example:8935',
    address,
    ticketParams: { recipient: address, faceValue: 100n, winProb: new Uint8Array([1]), recipientRandHash: randomBytes(32), seed: new Uint8Array([1]), expirationBlock: 10n, expirationParams: { creationRound: 1n, creationRoundBlockHash: randomBytes(32) } },
    priceInfo: { pricePerUnit: 12345n, pixelsPerUnit: 1n },
    authToken: { token: randomBytes(32), sessionId: 'abcd1234', expiration: 9_999_999_999n },
    hardware: [],
    storage: [],
    capabilitiesPrices: [],
    nodes: [],
    ...overrides,
  } as OrchestratorInfo;
}

function body(info: OrchestratorInfo, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ payment_params: Buffer.from(encodeOrchestratorInfo(info)).toString('base64'), orchestrator: info.transcoder, manifest_id: info.authToken?.sessionId ?? 'x', payment_url: 'https://o.example:8935/apps/scope/session/abcd1234/payment', ...extra });
}

t.test('challenge: decoded with the wire codec and checked before anything is paid', async (t) => {
  const info = challengeInfo();
  const ok = parseChallenge(body(info));
  t.equal(ok.price, 12345n);
  t.equal(ok.manifestId, 'abcd1234');
  t.same(ok.info.ticketParams?.recipient, info.ticketParams!.recipient);
  const bad: [string, string][] = [
    ['not json', '{'],
    ['missing field', JSON.stringify({ payment_params: 'AA==' })],
    ['not base64', body(info, { payment_params: '%%%' })],
    ['manifest mismatch', body(info, { manifest_id: 'other' })],
    ['no price', body(challengeInfo({ priceInfo: undefined }))],
    ['pixels per unit', body(challengeInfo({ priceInfo: { pricePerUnit: 5n, pixelsPerUnit: 2n } }))],
    ['no ticket params', body(challengeInfo({ ticketParams: undefined }))],
    ['recipient not the orchestrator', body(challengeInfo({ address: randomBytes(20) }))],
    ['payment url', body(info, { payment_url: 'ftp://x' })],
  ];
  for (const [what, text] of bad) t.throws(() => parseChallenge(text), { code: 'LPX_ERR_LIVE_RUNNER_CLIENT_FAILED' }, what);
});

t.test('payment units are exact and never short', async (t) => {
  t.equal(unitsForElapsed('seconds', 1), 1n, 'a started second is paid');
  t.equal(unitsForElapsed('seconds', 3000), 3n);
  t.equal(unitsForElapsed('720p-pixel-seconds', 500), PIXELS_720P_PER_SECOND / 2n);
  t.equal(unitsAhead('fixed', 10), 1n);
  t.equal(unitsAhead('seconds', 10), 10n);
});
