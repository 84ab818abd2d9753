// The pool's cache of GetOrchestrator replies on its own: a slow older reply
// never replaces a newer one, a failure drops the reply it was refreshing (and
// only that one), orchestrators discovery forgets go with their errors, and
// `due` answers which replies need a refresh — by age or by the auth token's
// last 10 % — without scanning until the earliest one can be due, and reports
// a due reply once per scan, not on every call while its refresh runs.
import t from 'tap';
import { ReplyCache } from '../../src/gateway/pool/reply-cache.js';
import type { OrchestratorInfo } from '../../src/network/index.js';

const REFRESH_MS = 60_000;

function info(uri: string, tokenExpirySeconds?: number): OrchestratorInfo {
  return {
    transcoder: uri,
    address: new Uint8Array(20).fill(uri.length),
    hardware: [],
    storage: [],
    capabilitiesPrices: [],
    nodes: [],
    ...(tokenExpirySeconds === undefined ? {} : { authToken: { token: new Uint8Array([1]), sessionId: 's', expiration: BigInt(tokenExpirySeconds) } }),
  };
}

t.test('a newer reply stays when an older fetch answers late; the older one is not stored', async (t) => {
  const cache = new ReplyCache(REFRESH_MS);
  t.ok(cache.store('https://o1', info('https://o1'), 12, 2, 1_000, undefined), 'fetch 2 stored');
  t.equal(cache.store('https://o1', info('https://o1'), 5, 1, 1_100, undefined), undefined, 'fetch 1, answering late, is not');
  t.equal(cache.get('https://o1')?.seq, 2);
  t.equal(cache.get('https://o1')?.latencyMs, 12);
  t.equal(cache.size, 1);
});

t.test('a failed fetch drops the reply it was refreshing and keeps its error until a reply comes', async (t) => {
  const cache = new ReplyCache(REFRESH_MS);
  cache.store('https://o1', info('https://o1'), 10, 1, 0, undefined);
  const refused = new Error('connection refused');
  cache.fail('https://o1', refused, 2);
  t.equal(cache.get('https://o1'), undefined, 'the reply fetch 2 was refreshing is gone');
  t.equal(cache.lastError('https://o1'), refused);
  cache.store('https://o1', info('https://o1'), 10, 3, 5, undefined);
  t.equal(cache.lastError('https://o1'), undefined, 'a reply clears the error');
});

t.test('a failure of an older fetch does not drop a newer reply', async (t) => {
  const cache = new ReplyCache(REFRESH_MS);
  cache.store('https://o1', info('https://o1'), 10, 5, 0, undefined);
  cache.fail('https://o1', new Error('timeout'), 4);
  t.equal(cache.get('https://o1')?.seq, 5);
});

t.test('retain forgets the orchestrators discovery no longer lists, with their errors', async (t) => {
  const cache = new ReplyCache(REFRESH_MS);
  cache.store('https://o1', info('https://o1'), 1, 1, 0, undefined);
  cache.store('https://o2', info('https://o2'), 1, 2, 0, undefined);
  cache.fail('https://o3', new Error('down'), 3);
  const gone = cache.retain(new Map([['https://o1', {}]]));
  t.same(gone, ['https://o2'], 'the replies that went (their channels can close)');
  t.same([...cache.values()].map((slot) => slot.uri), ['https://o1']);
  t.equal(cache.lastError('https://o3'), undefined, 'errors of forgotten orchestrators go too');
});

t.test('fresh leaves out replies whose auth token has expired', async (t) => {
  const cache = new ReplyCache(REFRESH_MS);
  cache.store('https://o1', info('https://o1', 100), 1, 1, 0, undefined);
  cache.store('https://o2', info('https://o2', 1_000), 1, 2, 0, undefined);
  cache.store('https://o3', info('https://o3'), 1, 3, 0, undefined);
  t.same(cache.fresh(100_000).map((slot) => slot.uri), ['https://o2', 'https://o3']);
  t.same(cache.fresh(99_999).map((slot) => slot.uri), ['https://o1', 'https://o2', 'https://o3']);
});

t.test('due: by age, by the token’s last 10 %, and nothing before the earliest due time', async (t) => {
  const cache = new ReplyCache(REFRESH_MS);
  // Token valid 0 → 50 s: due at 45 s (before its age limit at 60 s); the other reply is due by age at 70 s.
  cache.store('https://token', info('https://token', 50), 1, 1, 0, undefined);
  cache.store('https://age', info('https://age'), 1, 2, 10_000, undefined);
  t.equal(cache.due(44_999), undefined, 'none can be due before 45 s');
  t.same(cache.due(45_000), ['https://token']);
  t.equal(cache.due(69_999), undefined, 'a reply reported due is not reported again while its refresh is under way');
  t.same(cache.due(70_000)?.sort(), ['https://age', 'https://token'], 'the next scan reports it again if no reply came');
  cache.store('https://age', info('https://age'), 1, 3, 70_000, undefined);
  cache.store('https://token', info('https://token', 1_000), 1, 4, 70_000, undefined);
  t.equal(cache.due(129_999), undefined, 'refreshed replies are due again only at 130 s (by age)');
  t.same(cache.due(130_000)?.sort(), ['https://age', 'https://token']);
});
