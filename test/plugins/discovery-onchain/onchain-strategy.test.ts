import t, { type Test } from 'tap';
import { discoveryStrategySuite, runConformanceSuite } from '@lpx/sdk/testing';
import { OnchainDiscoveryStrategy, type OnchainDiscoveryOptions } from '../../../plugins/discovery-onchain/src/index.js';
import { captureLogger, setServiceUri, startDiscoveryChain, startRpcProxy } from './chain-fixture.js';

const ETH = 10n ** 18n;
const fixture = await startDiscoveryChain();
t.teardown(() => fixture.chain.stop());
const { chain, good, noUri, badUri, spare } = fixture;
const signal = () => new AbortController().signal;

function setup(t: Test, options: Partial<OnchainDiscoveryOptions> = {}) {
  const { lines, logger } = captureLogger();
  let clock = 0;
  const strategy = new OnchainDiscoveryStrategy({ rpcUrl: chain.rpcUrl, controller: chain.controller, refreshMs: 60_000, timeoutMs: 2000, logger, now: () => clock, ...options });
  t.teardown(() => strategy.close());
  return { strategy, lines, advance: (ms: number) => void (clock += ms) };
}

t.test('active orchestrators with service URIs are discovered, highest stake first, with their addresses', async (t) => {
  const { strategy, lines } = setup(t);
  t.same(await strategy.discover(signal()), [
    { uri: 'https://127.0.0.1:8935', address: good[0].address, score: 0 },
    { uri: 'https://orch-b.example:8936', address: good[1].address, score: 0 },
  ]);
  t.same(strategy.orchestrators(), [
    { uri: 'https://127.0.0.1:8935', address: good[0].address, stake: (3000n * ETH).toString() },
    { uri: 'https://orch-b.example:8936', address: good[1].address, stake: (2000n * ETH).toString() },
  ], 'stake is kept as a wei string next to the candidates');
  const skips = lines.filter((l) => l.bindings.code === 'LPX_ERR_DISCOVERY_SERVICE_URI_INVALID');
  t.same(skips.map((l) => [l.bindings.address, l.bindings.serviceUri]), [
    [noUri.address, ''],
    [badUri.address, 'orch-d.example:8935'],
  ], 'the empty and the scheme-less URI are skipped and logged with a code');
  t.match(skips[0]?.message, /empty service URI/);
});

t.test('a good list is cached for refreshMs; the next call after that re-reads the chain; skips are logged once', async (t) => {
  const proxy = await startRpcProxy(t, chain.rpcUrl);
  const { strategy, lines, advance } = setup(t, { rpcUrl: proxy.url, refreshMs: 60_000 });
  await strategy.discover(signal());
  const reads = proxy.forwarded;
  t.ok(reads > 0);
  await setServiceUri(chain, noUri, 'https://orch-c.example:8935');
  t.teardown(() => setServiceUri(chain, noUri, ''));
  advance(59_999);
  t.equal((await strategy.discover(signal())).length, 2, 'still the cached list');
  t.equal(proxy.forwarded, reads, 'no RPC request while the list is fresh');
  advance(1);
  t.same((await strategy.discover(signal())).map((c) => c.uri), ['https://127.0.0.1:8935', 'https://orch-b.example:8936', 'https://orch-c.example:8935'], 'the new URI is seen after refreshMs');
  t.equal(lines.filter((l) => l.bindings.address === badUri.address).length, 1, 'a skip that persists is logged once');
});

t.test('RPC down after a good read: the last good list is served and the failure logged; reads resume when it is back', async (t) => {
  const proxy = await startRpcProxy(t, chain.rpcUrl);
  const { strategy, lines, advance } = setup(t, { rpcUrl: proxy.url, refreshMs: 1000 });
  const first = await strategy.discover(signal());
  proxy.setUp(false);
  advance(1000);
  t.same(await strategy.discover(signal()), first, 'the last good list');
  t.match(lines.at(-1), { level: 'warn', bindings: { code: 'LPX_ERR_DISCOVERY_ONCHAIN_UNREACHABLE', kept: 2 }, message: /keeping the last good orchestrator list/ });
  t.same(await strategy.discover(signal()), first, 'a failed read does not reset the cache age: the next call tries again and still falls back');
  t.equal(lines.filter((l) => l.bindings.code === 'LPX_ERR_DISCOVERY_ONCHAIN_UNREACHABLE').length, 2);
  proxy.setUp(true);
  const before = proxy.forwarded;
  t.same(await strategy.discover(signal()), first);
  t.ok(proxy.forwarded > before, 'read the chain again once it answers');
});

t.test('RPC down from the start: a coded error, not an empty list', async (t) => {
  const proxy = await startRpcProxy(t, chain.rpcUrl);
  proxy.setUp(false);
  const { strategy } = setup(t, { rpcUrl: proxy.url });
  await t.rejects(strategy.discover(signal()), { code: 'LPX_ERR_DISCOVERY_NO_CANDIDATES', details: { cause: 'LPX_ERR_DISCOVERY_ONCHAIN_UNREACHABLE' }, message: /no orchestrator list yet/ });
  t.equal(strategy.orchestrators(), undefined);
});

t.test('nothing where a contract should be: coded errors naming what is missing', async (t) => {
  const notAContract = setup(t, { controller: spare.address }).strategy;
  await t.rejects(notAContract.discover(signal()), { code: 'LPX_ERR_DISCOVERY_NO_CANDIDATES', details: { cause: 'LPX_ERR_DISCOVERY_ONCHAIN_CONTRACT_MISSING' }, message: /no contract code at the Controller/ });
  const emptyController = setup(t, { controller: await fixture.deployEmptyController() }).strategy;
  await t.rejects(emptyController.discover(signal()), { details: { cause: 'LPX_ERR_DISCOVERY_ONCHAIN_CONTRACT_MISSING' }, message: /no contract registered as "BondingManager"/ });
  const badAiRegistry = setup(t, { aiServiceRegistry: spare.address }).strategy;
  await t.rejects(badAiRegistry.discover(signal()), { details: { cause: 'LPX_ERR_DISCOVERY_ONCHAIN_CONTRACT_MISSING' }, message: /AIServiceRegistry/ });
  // A contract that is not a ServiceRegistry reverts on getServiceURI (no such function, no fallback).
  const wrongContract = setup(t, { aiServiceRegistry: chain.addresses.roundsManager }).strategy;
  await t.rejects(wrongContract.discover(signal()), { details: { cause: 'LPX_ERR_DISCOVERY_ONCHAIN_CONTRACT_MISSING' }, message: /not the expected contract at that address: The contract function "getServiceURI" reverted/ });
});

t.test('aiServiceRegistry: URIs come from the separately deployed registry, the active set and stake still from the Controller', async (t) => {
  const aiRegistry = await fixture.deployServiceRegistry();
  await setServiceUri(chain, good[0], 'https://ai-a.example:9935', aiRegistry);
  await setServiceUri(chain, spare, 'https://ai-not-staked.example:9935', aiRegistry);
  const { strategy, lines } = setup(t, { aiServiceRegistry: aiRegistry.toLowerCase() });
  t.same(await strategy.discover(signal()), [{ uri: 'https://ai-a.example:9935', address: good[0].address, score: 0 }], 'only the one with an AI URI; an unstaked registrant is not in the active set');
  t.same(strategy.orchestrators()?.[0]?.stake, (3000n * ETH).toString());
  t.ok(lines.some((l) => l.bindings.address === good[1].address && l.bindings.serviceUri === ''), 'an O with a transcoding URI but no AI URI is skipped');
});

t.test('pending activation: left out unless includeInactive, then counted once its round is initialized', async (t) => {
  await setServiceUri(chain, spare, 'https://pending.example:8935');
  // A new round that nobody initialized yet: setTranscoder activates in currentRound, past lastInitializedRound.
  await chain.mine(chain.protocol.roundLength);
  await fixture.setStake(spare, 100n * ETH);
  t.teardown(async () => void (await chain.advanceRounds()));
  const uris = async (includeInactive: boolean) => (await setup(t, { includeInactive }).strategy.discover(signal())).map((c) => c.uri);
  t.notOk((await uris(false)).includes('https://pending.example:8935'), 'go-livepeer filters on activationRound <= lastInitializedRound');
  t.ok((await uris(true)).includes('https://pending.example:8935'), 'includeInactive keeps every pool member');
  await chain.advanceRounds();
  t.ok((await uris(false)).includes('https://pending.example:8935'), 'active once the round is initialized');
});

t.test('concurrent callers share one read; an aborted caller stops waiting', async (t) => {
  const proxy = await startRpcProxy(t, chain.rpcUrl);
  const { strategy } = setup(t, { rpcUrl: proxy.url });
  const [a, b] = await Promise.all([strategy.discover(signal()), strategy.discover(signal())]);
  t.same(a, b);
  const shared = proxy.forwarded;
  const alone = setup(t, { rpcUrl: proxy.url }).strategy;
  await alone.discover(signal());
  t.equal(proxy.forwarded - shared, shared, 'two concurrent calls cost what one call costs');
  const controller = new AbortController();
  const waiting = setup(t).strategy.discover(controller.signal);
  controller.abort(new Error('caller gave up'));
  await t.rejects(waiting, { message: 'caller gave up' });
  const aborted = new AbortController();
  aborted.abort(new Error('already'));
  await t.rejects(strategy.discover(aborted.signal), { message: 'already' });
});

t.test('after close, a stale cache is served and an empty one fails fast', async (t) => {
  const { strategy, advance } = setup(t, { refreshMs: 1 });
  const list = await strategy.discover(signal());
  strategy.close();
  advance(10);
  t.same(await strategy.discover(signal()), list);
  const fresh = setup(t).strategy;
  fresh.close();
  await t.rejects(fresh.discover(signal()), { code: 'LPX_ERR_DISCOVERY_NO_CANDIDATES', message: /shut down/ });
});

t.test('passes the discovery conformance suite against the real chain', async (t) => {
  const { strategy } = setup(t);
  const report = await runConformanceSuite(discoveryStrategySuite, () => strategy);
  t.same(report.failed, []);
  t.equal(report.passed.length, discoveryStrategySuite.cases.length);
});
