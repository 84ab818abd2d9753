import t from 'tap';
import { runCli } from '../../../test/helpers/cli.js';

t.test('--help lists every command, and each command has help', async (t) => {
  const help = await runCli('--help');
  t.equal(help.code, 0);
  for (const command of ['start', 'config', 'plugins', 'capabilities', 'demo']) t.match(help.stdout, new RegExp(`\\n  ${command}\\b`), `lists ${command}`);
  const check = await runCli('config', 'check', '--help');
  t.match(check.stdout, /Usage: lpx config check \[options\] <file>/);
  t.match((await runCli('capabilities', 'list', '--help')).stdout, /--config <file>/);
  t.match((await runCli('plugins', 'list', '--help')).stdout, /--json/);
  t.match((await runCli('start', '--help')).stdout, /--set <path=value...>/);
});

t.test('unknown commands and missing options exit non-zero', async (t) => {
  const unknown = await runCli('frobnicate');
  t.not(unknown.code, 0);
  t.match(unknown.stderr, /unknown command 'frobnicate'/);
  t.not((await runCli('capabilities', 'list')).code, 0, '--config is required');
});

t.test('config check: ok, unknown key, bad type, --json', async (t) => {
  const dir = t.testdir({
    'good.yaml': 'node:\n  roles: [worker]\nplugins:\n  example-echo:\n    module: "@lpx/plugin-example-echo"\n',
    'typo.yaml': 'node:\n  roles: [worker]\nhtp:\n  port: 1\n',
    'bad-plugin.yaml': 'plugins:\n  example-echo:\n    module: "@lpx/plugin-example-echo"\n    config:\n      colour: red\n',
    'ghost.yaml': 'plugins:\n  ghost:\n    module: ./no-such-plugin.js\n',
  });
  const good = await runCli('config', 'check', `${dir}/good.yaml`);
  t.equal(good.code, 0);
  t.match(good.stdout, /^ok: .*good\.yaml \(roles: worker; plugins: example-echo\)/);
  const typo = await runCli('config', 'check', `${dir}/typo.yaml`);
  t.equal(typo.code, 1);
  t.match(typo.stderr, /error LPX_ERR_CONFIG_UNKNOWN_KEY: .*unknown key "htp"/);
  const badPlugin = await runCli('config', 'check', `${dir}/bad-plugin.yaml`, '--json');
  t.equal(badPlugin.code, 1);
  t.match(JSON.parse(badPlugin.stdout), { ok: false, error: { code: 'LPX_ERR_CONFIG_UNKNOWN_KEY', message: /plugins\.example-echo\.config\.colour/ } });
  const ghost = await runCli('config', 'check', `${dir}/ghost.yaml`);
  t.equal(ghost.code, 1);
  t.match(ghost.stderr, /LPX_ERR_PLUGIN_NOT_FOUND: plugins\.ghost: cannot import/);
  const set = await runCli('config', 'check', `${dir}/good.yaml`, '--set', 'http.port=nope');
  t.match(set.stderr, /http\.port: expected integer, found string "nope"/, set.stderr + set.stdout);
});

t.test('plugins list without a config reads installed plugin packages without importing them', async (t) => {
  const run = await runCli('plugins', 'list', '--json');
  t.equal(run.code, 0, run.stderr);
  const rows = JSON.parse(run.stdout) as { id: string; source: string; capabilities: string[] }[];
  t.match(rows.find((r) => r.id === 'example-echo'), { source: '@lpx/plugin-example-echo', capabilities: ['byoc/echo'] });
  t.ok(rows.some((r) => r.id === 'discovery-static'), 'built-in plugins are listed');
});

t.test('plugins list and capabilities list', async (t) => {
  const dir = t.testdir({
    'node.yaml': 'plugins:\n  example-echo:\n    module: "@lpx/plugin-example-echo"\ncapabilities:\n  byoc/echo:\n    capacity: 3\n',
    'ghost-cap.yaml': 'capabilities:\n  ai/llm:\n    capacity: 3\n',
  });
  const plugins = await runCli('plugins', 'list', '--config', `${dir}/node.yaml`, '--json');
  t.match(JSON.parse(plugins.stdout), [{ id: 'example-echo', version: '0.1.0', capabilities: ['byoc/echo'] }]);
  const table = await runCli('plugins', 'list', '--config', `${dir}/node.yaml`);
  t.match(table.stdout, /ID\s+VERSION\s+CAPABILITIES\s+PERMISSIONS\s+SOURCE\nexample-echo\s+0\.1\.0\s+byoc\/echo\s+-\s/);
  const caps = await runCli('capabilities', 'list', '--config', `${dir}/node.yaml`, '--json');
  t.match(JSON.parse(caps.stdout), [{ id: 'byoc/echo', capacity: 3, providedBy: 'example-echo', queue: 'cap.byoc.echo.v1', livepeerCapabilities: [37] }]);
  const ghost = await runCli('capabilities', 'list', '--config', `${dir}/ghost-cap.yaml`);
  t.equal(ghost.code, 1);
  t.match(ghost.stderr, /unknown key "capabilities\.ai\/llm"/);
});
