import t from 'tap';
import { normaliseServiceUri, poolToCandidates, redactRpcUrl, toDiscoveryError, type PoolMember } from '../src/index.js';

const member = (n: number, serviceUri: string, rounds: [bigint, bigint] = [1n, 2n ** 256n - 1n]): PoolMember => ({
  address: `0x${String(n).padStart(40, '0')}`,
  stake: BigInt(100 - n),
  activationRound: rounds[0],
  deactivationRound: rounds[1],
  serviceUri,
});

t.test('service URIs: http(s) URLs are normalised, anything else is refused with a reason', async (t) => {
  t.same(normaliseServiceUri(' HTTPS://Orch.Example:8935/ '), { ok: true, uri: 'https://orch.example:8935' });
  t.same(normaliseServiceUri('http://10.0.0.1:8935/base'), { ok: true, uri: 'http://10.0.0.1:8935/base' });
  t.match(normaliseServiceUri(''), { ok: false, reason: /empty/ });
  t.match(normaliseServiceUri('   '), { ok: false, reason: /empty/ });
  t.match(normaliseServiceUri('orch.example:8935'), { ok: false, reason: /http/ });
  t.match(normaliseServiceUri('ftp://orch.example'), { ok: false, reason: /http/ });
  t.match(normaliseServiceUri('https://exa mple:1'), { ok: false, reason: /parseable/ });
});

t.test("go-livepeer's round filter: activationRound <= round < deactivationRound", async (t) => {
  const members = [member(1, 'https://a.example:1', [5n, 10n]), member(2, 'https://b.example:1', [6n, 10n]), member(3, 'https://c.example:1', [1n, 5n])];
  const { candidates, skipped } = poolToCandidates(members, 5n);
  t.same(candidates.map((c) => c.uri), ['https://a.example:1']);
  t.same(skipped.map((s) => [s.kind, s.address]), [
    ['inactive', members[1]!.address],
    ['inactive', members[2]!.address],
  ]);
  t.match(skipped[0]?.reason, /not active in round 5 \(active from 6 until 10\)/);
  t.equal(poolToCandidates(members, undefined).candidates.length, 3, 'no round: every pool member counts');
});

t.test('a URI two orchestrators announce is kept for the first (higher-staked) one', async (t) => {
  const { candidates, orchestrators, skipped } = poolToCandidates([member(1, 'https://same.example:1'), member(2, 'https://same.example:1/')], undefined);
  t.same(candidates, [{ uri: 'https://same.example:1', address: member(1, '').address, score: 0 }]);
  t.same(orchestrators, [{ uri: 'https://same.example:1', address: member(1, '').address, stake: '99' }]);
  t.match(skipped, [{ kind: 'duplicate-uri', address: member(2, '').address, reason: /already announced by/ }]);
});

t.test('errors that are not from viem still get a code', async (t) => {
  t.match(toDiscoveryError(new Error('boom'), 'http://rpc'), { code: 'LPX_ERR_DISCOVERY_ONCHAIN_UNREACHABLE', message: 'on-chain discovery via http://rpc: boom' });
  t.match(toDiscoveryError('weird', 'http://rpc'), { code: 'LPX_ERR_DISCOVERY_ONCHAIN_UNREACHABLE', message: /weird/ });
});

t.test('RPC URLs are reduced to their origin in errors and logs (hosted RPCs put API keys in the path)', async (t) => {
  t.equal(redactRpcUrl('https://arb-mainnet.g.alchemy.com/v2/SECRET?key=x'), 'https://arb-mainnet.g.alchemy.com');
  t.equal(redactRpcUrl('not a url'), 'the configured rpcUrl');
  t.notMatch(toDiscoveryError(new Error('down'), 'https://rpc.example/v3/SECRET').message, /SECRET/);
});
