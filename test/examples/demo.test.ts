import t from 'tap';
import { runCli } from '../helpers/cli.js';

t.test('npm run demo: jobs through BullMQ and tickets redeemed on the embedded chain', async (t) => {
  const run = await runCli('demo', '--jobs', '5');
  t.equal(run.code, 0, run.stderr);
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  t.match(last, /^demo ok: jobs=5 failed=0 tickets=10 winners=(\d+) redeemed=(\d+) /);
  const [, winners, redeemed] = /winners=(\d+) redeemed=(\d+)/.exec(last) ?? [];
  t.equal(redeemed, winners, 'every winning ticket was redeemed');
  t.ok(Number(winners) > 0, 'the dev ticket parameters make a short demo win');
});
