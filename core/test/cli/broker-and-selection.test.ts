import { join } from 'node:path';
import t from 'tap';
import { startEmbeddedChain } from '../../src/chain/index.js';
import { runCli } from '../../../test/helpers/cli.js';

t.test('lpx broker: status, fund, unlock, cancel-unlock on the embedded chain', async (t) => {
  const chain = await startEmbeddedChain({ spares: 1 });
  t.teardown(() => chain.stop());
  const spare = chain.accounts.find((a) => a.role === 'spare')!;
  const target = ['--rpc', chain.rpcUrl, '--controller', chain.controller, '--json'];
  const previousKey = process.env.LPX_ETH_KEY;
  process.env.LPX_ETH_KEY = spare.privateKey;
  t.teardown(() => (previousKey === undefined ? delete process.env.LPX_ETH_KEY : (process.env.LPX_ETH_KEY = previousKey)));

  const before = JSON.parse((await runCli('broker', 'status', ...target)).stdout) as { info: { deposit: string } };
  t.equal(before.info.deposit, '0', 'a spare account starts with nothing');

  const fund = await runCli('broker', 'fund', '--deposit', '1000000000000000000', '--reserve', '500000000000000000', ...target);
  t.equal(fund.code, 0, fund.stdout + fund.stderr);
  const after = JSON.parse((await runCli('broker', 'status', '--address', spare.address, ...target)).stdout) as { info: { deposit: string; reserve: { fundsRemaining: string } } };
  t.equal(after.info.deposit, '1000000000000000000', 'deposit funded exactly');
  t.match(JSON.stringify(after.info), /500000000000000000/, 'reserve funded exactly');

  t.equal((await runCli('broker', 'unlock', ...target)).code, 0);
  t.equal((await runCli('broker', 'cancel-unlock', ...target)).code, 0);
  const early = await runCli('broker', 'withdraw', ...target);
  t.equal(early.code, 1, 'withdraw without an unlock period is refused');
  t.match(JSON.parse(early.stdout), { ok: false, error: { code: /^LPX_ERR_CHAIN_/ } });

  const bad = await runCli('broker', 'deposit', '--amount', '1.5', ...target);
  t.equal(bad.code, 1);
  t.match(JSON.parse(bad.stdout), { error: { code: 'LPX_ERR_CHAIN_AMOUNT_INVALID', message: /whole number of wei/ } });

  // The node's config names the chain and the key: no --rpc/--controller needed (and no LPX_ETH_KEY).
  delete process.env.LPX_ETH_KEY;
  const dir = t.testdir({ 'node.yaml': `node:\n  roles: [gateway]\nhttp:\n  port: 1\nchain:\n  rpcUrl: ${chain.rpcUrl}\n  controller: '${chain.controller}'\n  privateKey: '${spare.privateKey}'\n` });
  const fromConfig = await runCli('broker', 'status', '--config', `${dir}/node.yaml`, '--json');
  t.equal(fromConfig.code, 0, fromConfig.stderr + fromConfig.stdout);
  t.match(JSON.parse(fromConfig.stdout), { sender: spare.address, info: { deposit: '1000000000000000000' } });
  const status = await runCli('status', '--config', `${dir}/node.yaml`, '--json');
  t.equal(status.code, 0, status.stderr + status.stdout);
  t.match(JSON.parse(status.stdout), {
    roles: ['gateway'],
    address: spare.address,
    chain: { controller: chain.controller, deposit: '1000000000000000000', reserve: '500000000000000000', orchestrator: { active: false } },
    health: { running: false, url: 'http://127.0.0.1:1' },
  });
  const text = await runCli('status', '--config', `${dir}/node.yaml`);
  t.match(text.stdout, /broker {5}deposit 1000000000000000000 wei, reserve 500000000000000000 wei/);
  const noChain = await runCli('broker', 'status', '--json');
  t.match(JSON.parse(noChain.stdout), { ok: false, error: { code: 'LPX_ERR_CONFIG_INVALID', message: /has no chain: set chain\.rpcUrl/ } });
});

t.test('lpx selection simulate prints a repeatable distribution', async (t) => {
  const snapshot = join(import.meta.dirname, '..', '..', '..', 'examples', 'selection-snapshot.json');
  const a = await runCli('selection', 'simulate', '--snapshot', snapshot, '--runs', '500', '--seed', '7', '--json');
  const b = await runCli('selection', 'simulate', '--snapshot', snapshot, '--runs', '500', '--seed', '7', '--json');
  t.equal(a.code, 0, a.stderr);
  t.equal(a.stdout, b.stdout, 'same seed, same picks');
  const result = JSON.parse(a.stdout) as { picks: Record<string, number>; none: number };
  t.equal(Object.values(result.picks).reduce((x, y) => x + y, 0) + result.none, 500);
  const unknown = await runCli('selection', 'simulate', '--snapshot', snapshot, '--algorithm', 'astrology');
  t.equal(unknown.code, 1);
  t.match(unknown.stderr, /LPX_ERR_DISCOVERY_UNKNOWN_ALGORITHM/);
});
