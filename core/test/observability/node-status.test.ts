import t from 'tap';
import { Counter, Registry } from 'prom-client';
import type { CapabilityDescriptor } from '@lpx/sdk';
import { assembleNodeStatus, type NodeStatusSources } from '../../src/observability/status/node-status.js';
import type { SenderInfo } from '../../src/payments/chain/sources.js';

const echo: CapabilityDescriptor = {
  id: 'byoc/echo', version: 1, mode: 'request-response', workUnit: 'request', priceUnit: 'wei/request',
  constraints: {}, capacity: 4, price: { pricePerUnit: '1000' }, providedBy: 'example-echo', queue: 'cap.byoc.echo.v1',
};

function sources(over: Partial<NodeStatusSources> = {}): NodeStatusSources {
  return {
    name: 'n1', version: '0.1.0', roles: ['worker'],
    state: () => 'ready', address: () => undefined,
    plugins: () => [{ id: 'example-echo', version: '0.1.0', capabilities: ['byoc/echo'] }, { id: 'gone', version: '2.0.0', capabilities: [] }],
    readiness: async () => ({ ready: true, checks: { boot: 'ready', redis: 'ok', 'plugin:gone': 'revoked (2.0.0)' } }),
    capabilities: { list: () => [echo], available: () => 3, inUse: () => 1 },
    metrics: new Registry(),
    hasRoute: () => false,
    senderInfo: () => undefined,
    ...over,
  };
}

function counter(registry: Registry, name: string, labelNames: string[] = []): Counter<string> {
  return new Counter({ name, help: name, labelNames, registers: [registry] });
}

t.test('a worker: node, plugins with health, capabilities with capacity and price, job outcomes by capability', async (t) => {
  const metrics = new Registry();
  const completed = counter(metrics, 'lpx_jobs_completed_total', ['capability']);
  const failed = counter(metrics, 'lpx_jobs_failed_total', ['capability']);
  completed.inc({ capability: 'byoc/echo' }, 3);
  completed.inc({ capability: 'video/transcode' });
  failed.inc({ capability: 'byoc/echo' });
  const status = await assembleNodeStatus(sources({ metrics }), new Date('2026-12-02T00:00:00Z'));
  t.same(status.node, { name: 'n1', version: '0.1.0', roles: ['worker'], state: 'ready', ready: true, checks: { boot: 'ready', redis: 'ok', 'plugin:gone': 'revoked (2.0.0)' } });
  t.equal(status.generatedAt, '2026-12-02T00:00:00.000Z');
  t.same(status.links, { metrics: '/metrics' }, 'no events link while the node has no /events route');
  t.same(status.plugins, [
    { id: 'example-echo', version: '0.1.0', health: 'ok', capabilities: ['byoc/echo'] },
    { id: 'gone', version: '2.0.0', health: 'revoked', detail: 'revoked (2.0.0)', capabilities: [] },
  ]);
  t.same(status.capabilities, [{ id: 'byoc/echo', mode: 'request-response', providedBy: 'example-echo', capacity: 4, inUse: 1, available: 3, price: { pricePerUnit: '1000', pixelsPerUnit: '1', unit: 'wei/request' } }]);
  t.same(status.jobs, {
    totals: { completed: 4, failed: 1, retried: 0 },
    byCapability: [
      { capability: 'byoc/echo', completed: 3, failed: 1, retried: 0 },
      { capability: 'video/transcode', completed: 1, failed: 0, retried: 0 },
    ],
  });
  t.notOk('gateway' in status || 'orchestrator' in status || 'funds' in status, 'no role sections a worker does not have');
});

t.test('plugins share the host state until it is ready; the events link appears with the route', async (t) => {
  const status = await assembleNodeStatus(sources({ state: () => 'starting', hasRoute: (path) => path === '/events' }));
  t.equal(status.plugins[0]?.health, 'starting');
  t.same(status.links, { metrics: '/metrics', events: '/events' });
  t.same(status.jobs, { totals: { completed: 0, failed: 0, retried: 0 }, byCapability: [] }, 'no job counters registered: zero, not an error');
});

t.test('a gateway on a chain: spend and the deposit and reserve', async (t) => {
  const metrics = new Registry();
  counter(metrics, 'lpx_gateway_tickets_sent_total', ['orchestrator']).inc({ orchestrator: 'a' }, 5);
  counter(metrics, 'lpx_gateway_orchestrator_failures_total', ['action']).inc({ action: 'retry' });
  const info: SenderInfo = { deposit: 2n * 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 5n * 10n ** 17n, claimedInCurrentRound: 0n } };
  const status = await assembleNodeStatus(sources({ roles: ['gateway'], address: () => '0xabc', metrics, senderInfo: () => async () => info }));
  t.equal(status.node.address, '0xabc');
  t.same(status.gateway, { ticketsSent: 5, orchestratorFailures: 1 }, 'value sent is absent while its counter is not registered');
  t.same(status.funds, { depositWei: '2000000000000000000', reserveWei: '500000000000000000', withdrawRound: '0' });
  t.notOk('orchestrator' in status);

  counter(metrics, 'livepeer_ticket_value_sent').inc(1234);
  const again = await assembleNodeStatus(sources({ roles: ['gateway'], metrics }));
  t.equal(again.gateway?.ticketValueSentWei, '1234000000000', "go-livepeer's counter is in gwei; /status shows wei");
});

t.test('a failed chain read is shown, not thrown', async (t) => {
  const status = await assembleNodeStatus(sources({ roles: ['gateway'], senderInfo: () => async () => { throw new Error('rpc down'); } }));
  t.same(status.funds, { depositWei: '0', reserveWei: '0', withdrawRound: '0', error: 'rpc down' });
});

t.test('an orchestrator: tickets received, winning, redemptions by outcome, redeemed value in wei', async (t) => {
  const metrics = new Registry();
  counter(metrics, 'lpx_orchestrator_tickets_received_total').inc(10);
  counter(metrics, 'lpx_orchestrator_tickets_credited_total').inc(9);
  counter(metrics, 'lpx_orchestrator_winning_tickets_total').inc(2);
  counter(metrics, 'lpx_orchestrator_ticket_refusals_total', ['reason']).inc({ reason: 'expired' });
  const redemptions = counter(metrics, 'lpx_settlement_redemptions_total', ['outcome', 'reason']);
  redemptions.inc({ outcome: 'redeemed', reason: '' }, 2);
  redemptions.inc({ outcome: 'retry', reason: 'gas' });
  redemptions.inc({ outcome: 'retry', reason: 'nonce' });
  counter(metrics, 'lpx_settlement_redeemed_value_gwei_total', ['recipient']).inc({ recipient: '0x1' }, 1500);
  const status = await assembleNodeStatus(sources({ roles: ['orchestrator', 'worker'], metrics }));
  t.same(status.orchestrator, { ticketsReceived: 10, ticketsCredited: 9, winningTickets: 2, ticketRefusals: 1, redemptions: { redeemed: 2, retry: 2 }, redeemedWei: '1500000000000' });
  t.notOk('gateway' in status);
});
