import t from 'tap';
import { runCli } from '../../../test/helpers/cli.js';

t.test('dev up takes --ready-timeout and refuses a bad one before starting anything', async (t) => {
  t.match((await runCli('dev', 'up', '--help')).stdout, /--ready-timeout <seconds>/);
  const dir = t.testdir({});
  for (const bad of ['abc', '0', '-5']) {
    const run = await runCli('dev', 'up', '--data-dir', `${dir}/dev`, '--ready-timeout', bad);
    t.equal(run.code, 64, bad);
    t.match(run.stderr, /--ready-timeout must be a positive number of seconds/);
  }
});

t.test('config check reads LPX_ORCHESTRATOR_PRICE_PER_UNIT=1 as the price string it is', async (t) => {
  const dir = t.testdir({ 'orch.yaml': 'node:\n  roles: [orchestrator]\n' });
  const saved = process.env.LPX_ORCHESTRATOR_PRICE_PER_UNIT;
  process.env.LPX_ORCHESTRATOR_PRICE_PER_UNIT = '1';
  t.teardown(() => {
    if (saved === undefined) delete process.env.LPX_ORCHESTRATOR_PRICE_PER_UNIT;
    else process.env.LPX_ORCHESTRATOR_PRICE_PER_UNIT = saved;
  });
  const run = await runCli('config', 'check', `${dir}/orch.yaml`, '--set', 'orchestrator.pricePerUnit=1');
  t.equal(run.code, 0, run.stderr);
});
