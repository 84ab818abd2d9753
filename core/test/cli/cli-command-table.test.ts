import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { HOST_API_VERSION } from '@lpx/sdk';
import { COMMANDS, commandOf } from '../../src/cli/command-table.js';
import { buildFullProgram, buildProgram } from '../../src/cli/main.js';
import { runCli } from '../../../test/helpers/cli.js';

const quiet = { out: () => {}, err: () => {} };

t.test('each lazy command registers exactly the name and description the table lists for --help', async (t) => {
  const full = await buildFullProgram(quiet, () => {});
  t.same(
    full.commands.map((c) => [c.name(), c.description()]),
    COMMANDS.map((c) => [c.name, c.description]),
  );
});

t.test('the program for one command loads that command only; the others are stubs', async (t) => {
  const program = await buildProgram(['config', 'check', 'x.yaml'], quiet, () => {});
  const config = program.commands.find((c) => c.name() === 'config')!;
  t.same(config.commands.map((c) => c.name()), ['check']);
  const start = program.commands.find((c) => c.name() === 'start')!;
  t.equal(start.options.length, 0, 'start is a stub: its options were not loaded');
  t.equal(commandOf(['help', 'broker'])?.name, 'broker', '`lpx help broker` loads broker');
  t.equal(commandOf(['--help']), undefined);
  t.equal(commandOf(['frobnicate']), undefined);
  const help = await runCli('help', 'broker');
  t.match(help.stdout, /status/, 'help of a lazily loaded group lists its subcommands');
});

t.test('the bin answers --version before loading TypeScript, with the sdk version', async (t) => {
  const bin = fileURLToPath(new URL('../../bin/lpx.mjs', import.meta.url));
  t.equal(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim(), HOST_API_VERSION);
  t.equal((await runCli('--version')).stdout.trim(), HOST_API_VERSION, 'the full path says the same');
});
