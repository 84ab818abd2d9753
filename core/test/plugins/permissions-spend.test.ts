import t from 'tap';
import { coreServices, errors, presetProfile, type GatewayService, type TranscodeProfile } from '@lpx/sdk';
import { Rational } from '../../src/payments/index.js';
import { PluginPermissions } from '../../src/permissions/plugin-permissions.js';
import { spendGateway } from '../../src/permissions/spend-gateway.js';
import { estimateFee, estimatePixels } from '../../src/roles/gateway/segment-payments.js';
import { makeSource, memoryChain, startGateway, startOrchestrator } from '../gateway/segment-fixture.js';
import { memoryChain as aiMemoryChain, SDXL, startAIGateway, startDouble } from '../roles/gateway/ai-fixture.js';
import { grabbing, startHost } from './permissions-fixture.js';

// spend: paying orchestrators through coreServices.gateway needs the permission, and
// grants.spend.maxPerJobWei caps every job where its fee is known (docs/adr/0036-permissions-enforced.md).

const LADDER: TranscodeProfile[] = [{ ...presetProfile('P144p30fps16x9')!, name: 'low', width: 160, height: 90 }];
const segment = (seq: number, extra: { maxJobWei?: string } = {}) => ({ streamId: 'spend-stream', seq, data: new Uint8Array(188), format: 'mpegts' as const, durationMs: 1_000, profiles: LADDER, ...extra });

t.test('the gateway facade: no spend, no paid calls; the grant is the default ceiling and the most a job may ask', async (t) => {
  const got = new Map<string, GatewayService>();
  const plugin = (id: string, manifest: Parameters<typeof grabbing>[2]) => grabbing(id, { gateway: coreServices.gateway }, manifest, (deps) => void got.set(id, deps.gateway as GatewayService));
  await startHost(t, [plugin('free-rider', {}), plugin('capped', { permissions: ['spend'], grants: { spend: { maxPerJobWei: '1000' } } }), plugin('payer', { permissions: ['spend'] })], { node: { roles: ['gateway'] } });

  const freeRider = got.get('free-rider')!;
  t.equal(freeRider.enabled, true, 'it still sees the gateway');
  await t.rejects(freeRider.transcodeSegment(segment(0)), { code: errors.plugin.PERMISSION_DENIED.code, details: { plugin: 'free-rider', permission: 'spend' }, message: /"spend" permission/ });
  await t.rejects(freeRider.ai({ pipeline: 'text-to-image', body: { kind: 'json', json: { prompt: 'x' } } }), { code: errors.plugin.PERMISSION_DENIED.code, details: { permission: 'spend' } });
  t.same(await freeRider.aiModels(), [], 'what costs nothing stays open');

  const capped = got.get('capped')!;
  await t.rejects(capped.transcodeSegment(segment(0, { maxJobWei: '1001' })), {
    code: errors.plugin.PERMISSION_DENIED.code,
    details: { permission: 'spend', grant: 'grants.spend.maxPerJobWei', maxJobWei: '1001', maxPerJobWei: '1000' },
    message: /grants\.spend\.maxPerJobWei/,
  });
  await t.rejects(capped.transcodeSegment(segment(0, { maxJobWei: '1.5' })), { code: errors.chain.AMOUNT_INVALID.code });
  // Within its ceiling the call is routed: with no orchestrator in the pool that is the pool's own refusal.
  await t.rejects(capped.transcodeSegment(segment(0, { maxJobWei: '999' })), { code: errors.gateway.NO_ORCHESTRATORS.code });
  await t.rejects(got.get('payer')!.transcodeSegment(segment(1)), { code: errors.gateway.NO_ORCHESTRATORS.code }, 'spend without a grant: the gateway’s own limits only');
});

t.test('a job whose fee is over its ceiling skips that orchestrator (nothing paid, nobody suspended) and goes to one within it', async (t) => {
  const source = await makeSource(t);
  const chain = memoryChain();
  const cheapPrice = Rational.of(1n, 1000n);
  const dearPrice = Rational.of(1n, 10n);
  const dear = await startOrchestrator(t, chain, 'ffmpeg', dearPrice);
  const cheap = await startOrchestrator(t, chain, 'ffmpeg', cheapPrice);
  const gw = await startGateway(t, chain, [dear, cheap], { prefer: () => [dear.uri, cheap.uri] });
  const pixels = estimatePixels(LADDER, 1_000);
  const ceiling = estimateFee(pixels, cheapPrice).num / estimateFee(pixels, cheapPrice).den + 1n;
  t.ok(estimateFee(pixels, dearPrice).gt(Rational.of(ceiling, 1n)), 'the dear one is over the ceiling');

  const result = await gw.route({ streamId: 'capped', seq: 0, data: source, durationMs: 1_000, profiles: LADDER }, { maxJobWei: ceiling.toString() });
  t.equal(result.orchestrator, cheap.uri, 'done by the one within the ceiling');
  t.equal(result.tried, 2);
  t.equal(dear.calls.length, 0, 'the dear one never got the segment');
  t.same(gw.failed.map((f) => [f.uri, f.action]), [[dear.uri, 'try-another']]);
  t.ok(errors.plugin.PERMISSION_DENIED.is(gw.failed[0]!.error), 'the reason is the spend ceiling');
  t.match((gw.failed[0]!.error as Error).message, /over its spend ceiling/);
  t.ok(gw.deps.usable(dear.uri), 'and it is not suspended: its price is not a fault');

  await t.rejects(gw.route({ streamId: 'too-low', seq: 0, data: source, durationMs: 1_000, profiles: LADDER }, { maxJobWei: '1' }), {
    code: errors.jobs.FAILED.code,
    message: /spend ceiling of 1 wei/,
  }, 'a ceiling nobody fits fails the job, naming it');
  t.equal(dear.calls.length + cheap.calls.length, 1, 'and nothing was sent for it');
});

t.test('AI requests: the ceiling travels in the route job and skips an orchestrator whose units × price is over it', async (t) => {
  const chain = aiMemoryChain();
  const dear = await startDouble(t, chain, [{ ...SDXL, price: Rational.of(1n), warm: true }]);
  const cheap = await startDouble(t, chain, [{ ...SDXL, warm: true }]);
  const gw = await startAIGateway(t, chain, [dear, cheap], { prefer: () => [dear.uri, cheap.uri] });
  // 64 × 32 units: 2048 wei at the dear price, about 2 wei at SDXL's.
  const result = await gw.service.ai({ pipeline: 'text-to-image', body: { kind: 'json', json: { prompt: 'a lighthouse', width: 64, height: 32 } }, maxJobWei: '100' });
  t.equal(result.orchestrator, cheap.uri);
  t.equal(gw.queued[0]!.maxJobWei, '100', 'the route job carries the ceiling');
  t.same(gw.failed.map((f) => [f.uri, f.action]), [[dear.uri, 'try-another']]);
  t.ok(errors.plugin.PERMISSION_DENIED.is(gw.failed[0]!.error));
  t.equal(dear.calls.length, 0, 'the dear one got nothing');
  t.notOk(gw.pool.isSuspended(dear.uri), 'and is not blamed');
});

t.test("a plugin's grant becomes the ceiling of a request that names none", async (t) => {
  const chain = aiMemoryChain();
  const dear = await startDouble(t, chain, [{ ...SDXL, price: Rational.of(1n), warm: true }]);
  const cheap = await startDouble(t, chain, [{ ...SDXL, warm: true }]);
  const gw = await startAIGateway(t, chain, [dear, cheap], { prefer: () => [dear.uri, cheap.uri] });
  // The plugin's view of the gateway, as its scope builds it, over the real AI service.
  const node: GatewayService = { enabled: true, ...gw.service, transcodeSegment: () => Promise.reject(new Error('unused')), endStream: async () => undefined, authenticate: async () => undefined };
  const asPlugin = spendGateway(node, new PluginPermissions({ id: 'capped', permissions: ['spend'], grants: { spend: { maxPerJobWei: '100' } } }));
  const result = await asPlugin.ai({ pipeline: 'text-to-image', body: { kind: 'json', json: { prompt: 'a lighthouse', width: 64, height: 32 } } });
  t.equal(result.orchestrator, cheap.uri);
  t.equal(gw.queued[0]!.maxJobWei, '100', 'the grant is the job’s ceiling');
  t.equal(dear.calls.length, 0);
});
