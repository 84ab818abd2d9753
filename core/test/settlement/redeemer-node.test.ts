// A node whose only role is `redeemer` works its key's redemption queue: the
// operator moves the gas-paying side out of the orchestrator process. Before
// this was wired, such a node started nothing and winners waited forever.
import { Queue } from 'bullmq';
import t from 'tap';
import { privateKeyToAccount } from 'viem/accounts';
import { startEmbeddedChain } from '../../src/chain/embedded-anvil.js';
import { settlementNames } from '../../src/settlement/settlement-names.js';
import { makeHost } from '../../../test/helpers/host.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { until } from './settlement-harness.js';

t.test('a redeemer-only node without a chain refuses to start with a coded config error', async (t) => {
  const redis = await testRedis(t);
  const host = makeHost(t, [], { node: { roles: ['redeemer'] }, redis: { url: redis.url, prefix: uniquePrefix('redeemer') } });
  await t.rejects(host.start(), { code: 'LPX_ERR_CONFIG_INVALID', message: /redeemer role needs a chain/ });
});

t.test('a redeemer-only node runs a worker on its key’s redemption queue', async (t) => {
  const chain = await startEmbeddedChain();
  t.teardown(() => chain.stop());
  const redis = await testRedis(t);
  const prefix = uniquePrefix('redeemer');
  const orchestrator = chain.accounts.find((a) => a.role === 'orchestrator')!;
  const host = makeHost(t, [], {
    node: { roles: ['redeemer'] },
    redis: { url: redis.url, prefix },
    chain: { rpcUrl: chain.rpcUrl, controller: chain.controller, privateKey: orchestrator.privateKey, l1BlockTimeMs: 20 },
  });
  await host.start();

  const names = settlementNames(prefix, privateKeyToAccount(orchestrator.privateKey).address);
  const connection = await redis.connect();
  const queue = new Queue(names.queueName, { connection, prefix: names.bullPrefix });
  t.teardown(() => queue.close());
  const workers = await until('a worker on the queue', async () => {
    const found = await queue.getWorkers();
    return found.length > 0 ? found : undefined;
  });
  t.equal(workers.length, 1, 'one worker serves the orchestrator key’s queue');
});
