import t from 'tap';
import { DEFAULT_LADDER, VIDEO_PRESETS } from '@lpx/sdk';
import { runCli } from '../helpers/cli.js';

t.test('npm run demo: paid jobs through the local network (echo, video, AI, a BYOC partner app, a BYOC stream), winners redeemed on the dev chain', async (t) => {
  const run = await runCli('demo', '--jobs', '8', '--segments', '3');
  t.equal(run.code, 0, run.stderr);
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  t.match(last, /^demo ok: jobs=8 failed=0 tickets=(\d+) winners=(\d+) redeemed=(\d+) orchestrators=(\d+) segments=3 renditions=6 pixels=(\d+) /);
  // Three 2 s segments at 30 fps into the default ladder: 60 frames per rendition, every one charged once.
  const ladderPixels = DEFAULT_LADDER.reduce((sum, name) => sum + VIDEO_PRESETS[name]!.width * VIDEO_PRESETS[name]!.height, 0);
  t.equal(/pixels=(\d+)/.exec(last)?.[1], String(3 * 60 * ladderPixels), 'the orchestrators charged for exactly the pixels they produced');
  t.match(last, / byoc=1\/1 apps=1\/1 /, 'the example BYOC partner app answered a paid job and a Live Runner call through the gateway');
  t.match(last, / streams=1\/1 /, 'a BYOC stream through the gateway to the example stream worker came back echoed and stopped');
  t.match(run.stdout, /the HLS master playlist lists 3/, 'the gateway serves HLS: the source and both renditions');
  const [, tickets, winners, redeemed] = /tickets=(\d+) winners=(\d+) redeemed=(\d+)/.exec(last) ?? [];
  t.ok(Number(tickets) > 0, 'the gateway paid with tickets');
  t.equal(redeemed, winners, 'every winning ticket was redeemed');
  t.ok(Number(winners) > 0, 'the dev ticket parameters make a short demo win');
  t.match(run.stdout, /deposit fell by (\d+) wei \(redeemed face values \1\)/, 'the deposit fell by exactly the redeemed face values');
});
