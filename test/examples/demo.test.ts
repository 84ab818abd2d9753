import t from 'tap';
import { runCli } from '../helpers/cli.js';

t.test('npm run demo: paid jobs through the local network, winners redeemed on the dev chain', async (t) => {
  const run = await runCli('demo', '--jobs', '8');
  t.equal(run.code, 0, run.stderr);
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  t.match(last, /^demo ok: jobs=8 failed=0 tickets=(\d+) winners=(\d+) redeemed=(\d+) orchestrators=(\d+) /);
  const [, tickets, winners, redeemed] = /tickets=(\d+) winners=(\d+) redeemed=(\d+)/.exec(last) ?? [];
  t.ok(Number(tickets) > 0, 'the gateway paid with tickets');
  t.equal(redeemed, winners, 'every winning ticket was redeemed');
  t.ok(Number(winners) > 0, 'the dev ticket parameters make a short demo win');
  t.match(run.stdout, /deposit fell by (\d+) wei \(redeemed face values \1\)/, 'the deposit fell by exactly the redeemed face values');
});
