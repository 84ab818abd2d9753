import t from 'tap';
import { runCli } from '../../../test/helpers/cli.js';

// `lpx plugins list` shows what each plugin may reach for (docs/adr/0036-permissions-enforced.md).

t.test('plugins list: a compact PERMISSIONS column; --json has the permissions and the grants in force', async (t) => {
  const dir = t.testdir({
    'node.yaml': [
      'plugins:',
      '  ai-runners:',
      '    grants:',
      '      fs:',
      '        paths: [{ path: /srv/models, access: rw }]',
      '  gateway-openai: {}',
      '  example-echo:',
      '    module: "@lpx/plugin-example-echo"',
      '',
    ].join('\n'),
    'sneaky.yaml': 'plugins:\n  gateway-openai:\n    grants:\n      docker: { maxContainers: 1 }\n',
  });
  const json = await runCli('plugins', 'list', '--config', `${dir}/node.yaml`, '--json');
  t.equal(json.code, 0, json.stderr);
  const rows = JSON.parse(json.stdout) as { id: string; permissions: string[]; grants: Record<string, unknown> }[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  t.same(byId.get('ai-runners')!.permissions, ['docker', 'gpu', 'network', 'fs']);
  t.same(byId.get('ai-runners')!.grants, { fs: { paths: [{ path: 'plugins/ai-runners/models', access: 'rw' }, { path: '/srv/models', access: 'rw' }] } }, "the manifest's grant plus the operator's");
  t.same(byId.get('gateway-openai')!.permissions, ['spend']);
  t.same(byId.get('example-echo')!.permissions, []);

  const table = await runCli('plugins', 'list', '--config', `${dir}/node.yaml`);
  t.match(table.stdout, /ID\s+VERSION\s+CAPABILITIES\s+PERMISSIONS\s+SOURCE/);
  t.match(table.stdout, /ai-runners .* docker, gpu, network\(no hosts\), fs\(plugins\/ai-runners\/models:rw \/srv\/models:rw\) /);
  t.match(table.stdout, /gateway-openai .* spend /);

  const sneaky = await runCli('plugins', 'list', '--config', `${dir}/sneaky.yaml`);
  t.equal(sneaky.code, 1);
  t.match(sneaky.stderr, /LPX_ERR_PLUGIN_PERMISSION_DENIED: plugins\.gateway-openai\.grants\.docker: .*does not declare the "docker" permission/);
});

t.test('plugins list without a config shows the installed packages’ declared permissions', async (t) => {
  const run = await runCli('plugins', 'list', '--json');
  t.equal(run.code, 0, run.stderr);
  const rows = JSON.parse(run.stdout) as { id: string; permissions: string[] }[];
  t.match(rows.find((r) => r.id === 'video-ingest'), { permissions: ['network', 'spend'] });
});
