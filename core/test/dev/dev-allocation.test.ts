// `lpx dev up --orchestrators 8`: eight funded dev accounts of anvil's mnemonic,
// distinct ports for every node, progress lines with elapsed time, and a Redis connect timeout for a crowded start.
import t from 'tap';
import { privateKeyToAccount } from 'viem/accounts';
import { devAccounts, devPrivateKey, MAX_DEV_ACCOUNTS } from '../../src/chain/dev-accounts.js';
import { distinctFreePorts } from '../../src/dev/dev-ports.js';
import { mapWithConcurrency, startConcurrency } from '../../src/dev/start-concurrency.js';
import { formatProgress, progressReporter, type DevProgress } from '../../src/dev/dev-progress.js';
import { DEV_REDIS_CONNECT_TIMEOUT_MS, DEV_TICKET_EV, gatewayConfig, orchestratorConfig, workerConfig } from '../../src/dev/dev-configs.js';
import { loadConfig } from '../../src/config/load-config.js';

t.test('dev accounts: anvil’s mnemonic accounts, as many as a network needs', async (t) => {
  // Anvil's published first accounts of "test test ... junk".
  t.equal(devPrivateKey(0), '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
  t.equal(privateKeyToAccount(devPrivateKey(0)).address, '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
  t.equal(devPrivateKey(5), '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba');
  t.equal(privateKeyToAccount(devPrivateKey(9)).address, '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720', 'the last of anvil’s default ten');

  const accounts = devAccounts(8, 1, 1);
  t.same(
    accounts.map((a) => a.role),
    ['deployer', ...Array(8).fill('orchestrator'), 'sender', 'spare'],
  );
  t.equal(new Set(accounts.map((a) => a.address)).size, accounts.length, 'every account distinct');
  for (const a of accounts) t.equal(privateKeyToAccount(a.privateKey).address, a.address);
  t.equal(devAccounts(32, 1).length, 34, 'no longer capped at anvil’s default ten');
  t.throws(() => devAccounts(MAX_DEV_ACCOUNTS, 1), RangeError);
  t.throws(() => devPrivateKey(-1), RangeError);
});

t.test('ports: distinct even when the finder repeats itself', async (t) => {
  const answers = [4000, 4001, 4000, 4001, 4002, 4003, 4002, 4004, 4005, 4006, 4007, 4008, 4009, 4010, 4011, 4012, 4013, 4014, 4015, 4016];
  let i = 0;
  const ports = await distinctFreePorts(17, async () => answers[i++]!);
  t.equal(ports.length, 17, '8 orchestrators × (http + service) + the gateway');
  t.equal(new Set(ports).size, 17, 'no port handed out twice');

  let next = 0;
  const taken = await distinctFreePorts(1, async () => 5000 + (next++ % 3), new Set([5000, 5001]));
  t.same(taken, [5002], 'never a port already taken');
  await t.rejects(distinctFreePorts(2, async () => 6000), /could not find 2 distinct free ports/, 'a finder stuck on one port fails instead of looping');

  const real = await distinctFreePorts(17);
  t.equal(new Set(real).size, 17, 'real free ports, distinct');
});

t.test('progress: each step with the time since start', async (t) => {
  let clock = 1_000;
  const seen: DevProgress[] = [];
  const progress = progressReporter((p) => seen.push(p), () => clock);
  clock += 250;
  progress('chain', 'anvil at http://127.0.0.1:1234');
  clock += 12_345;
  progress('gateway ready');
  t.same(seen, [
    { step: 'chain', detail: 'anvil at http://127.0.0.1:1234', elapsedMs: 250 },
    { step: 'gateway ready', elapsedMs: 12_595 },
  ]);
  t.equal(formatProgress(seen[0]!), '[   0.2 s] chain  anvil at http://127.0.0.1:1234');
  t.equal(formatProgress(seen[1]!), '[  12.5 s] gateway ready');
  t.doesNotThrow(() => progressReporter(undefined)('chain'), 'no listener: nothing happens');
});

t.test('node starts: a few at a time, in order, none after a failure', async (t) => {
  t.equal(startConcurrency(2), 2);
  t.equal(startConcurrency(1), 2, 'at least two');
  t.equal(startConcurrency(16), 16);

  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const results = await mapWithConcurrency([1, 2, 3, 4, 5, 6, 7, 8], 2, async (n) => {
    started.push(n);
    running++;
    peak = Math.max(peak, running);
    await new Promise((resolve) => setImmediate(resolve));
    running--;
    return n * 10;
  });
  t.same(results, [10, 20, 30, 40, 50, 60, 70, 80], 'results in input order');
  t.equal(peak, 2, 'never more than the limit at once');
  t.same(started, [1, 2, 3, 4, 5, 6, 7, 8]);

  const attempted: number[] = [];
  await t.rejects(
    mapWithConcurrency([1, 2, 3, 4, 5, 6], 2, async (n) => {
      attempted.push(n);
      await new Promise((resolve) => setImmediate(resolve));
      if (n === 2) throw new Error('node 2 failed to start');
      return n;
    }),
    /node 2 failed to start/,
  );
  t.ok(attempted.length <= 3, `no new start after the failure (started ${attempted.join(', ')})`);
});

t.test('dev nodes wait DEV_REDIS_CONNECT_TIMEOUT_MS for the shared Redis: they all boot at once on few cores', async (t) => {
  const chain = { rpcUrl: 'http://127.0.0.1:8545', controller: `0x${'1'.repeat(40)}` };
  const common = { redisUrl: 'redis://127.0.0.1:6390', httpPort: 0, dataDir: '/tmp/lpx-dev-config-test' };
  const configs = {
    orchestrator: orchestratorConfig({ ...common, index: 1, chain, privateKey: devPrivateKey(1), servicePort: 0, secret: 'dev-secret-1234' }),
    worker: workerConfig({ ...common, orchestrator: 1, index: 1 }),
    gateway: gatewayConfig({ ...common, chain, privateKey: devPrivateKey(2), orchestrators: ['https://127.0.0.1:1'] }),
  };
  for (const [role, raw] of Object.entries(configs)) {
    // The kernel half only: each plugin checks its own slice when it loads.
    const { config } = loadConfig({ raw, env: {} });
    t.equal(config.redis.connectTimeoutMs, DEV_REDIS_CONNECT_TIMEOUT_MS, role);
  }
  t.ok(DEV_REDIS_CONNECT_TIMEOUT_MS > 10_000, 'longer than a lone node’s default');
});

t.test('ticket EV other than the demo’s: the orchestrators issue it and the gateway’s EV limits follow it', async (t) => {
  const chain = { rpcUrl: 'http://127.0.0.1:8545', controller: `0x${'1'.repeat(40)}` };
  const common = { redisUrl: 'redis://127.0.0.1:6390', httpPort: 0, dataDir: '/tmp/lpx-dev-config-test' };
  const ev = 2n * 10n ** 17n;
  const orchestrator = loadConfig({ raw: orchestratorConfig({ ...common, index: 1, chain, privateKey: devPrivateKey(1), servicePort: 0, secret: 'dev-secret-1234', ticketEV: ev }), env: {} }).config;
  const gateway = loadConfig({ raw: gatewayConfig({ ...common, chain, privateKey: devPrivateKey(2), orchestrators: ['https://127.0.0.1:1'], ticketEV: ev }), env: {} }).config;
  t.equal(orchestrator.orchestrator?.ticketEV, ev.toString());
  t.equal(gateway.gateway?.maxTicketEV, (2n * ev).toString(), 'a ticket of the new EV is not refused as too valuable');
  t.equal(gateway.gateway?.maxTotalEV, (200n * ev).toString());
  const demo = loadConfig({ raw: gatewayConfig({ ...common, chain, privateKey: devPrivateKey(2), orchestrators: ['https://127.0.0.1:1'] }), env: {} }).config;
  t.equal(demo.gateway?.maxTicketEV, (2n * DEV_TICKET_EV).toString(), 'the demo keeps its own');
});
