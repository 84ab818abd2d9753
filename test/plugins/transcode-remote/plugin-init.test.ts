// The plugin refuses, with a coded config error naming the roles, to start
// where its backend could never work: the transcoders' gRPC streams live in
// the orchestrator process and the kernel runs transcode tasks in workers.
import t from 'tap';
import { PluginWire } from '../../../core/src/roles/orchestrator/plugin-wire.js';
import { initPlugin } from './helpers/remote-node.js';

t.test('needs the orchestrator and worker roles in one process', async (t) => {
  const withRole = new PluginWire({ enabled: true, secret: () => 's' });
  await t.rejects(initPlugin(withRole, { roles: ['orchestrator'] }), { code: 'LPX_ERR_CONFIG_INVALID', message: /orchestrator and worker roles.*this node runs: orchestrator\)/ });
  const withoutRole = new PluginWire({ enabled: false, secret: () => 's' });
  await t.rejects(initPlugin(withoutRole, { roles: ['worker'] }), { code: 'LPX_ERR_CONFIG_INVALID', message: /this node runs: worker\)/ });
  t.same(withoutRole.pluginIds, [], 'nothing recorded on the wire');
  const ok = await initPlugin(new PluginWire({ enabled: true, secret: () => '' }), { roles: ['orchestrator', 'worker'] });
  t.equal(ok.backend?.name, 'remote');
  t.match(ok.backend?.status(), { available: false, reason: 'orchestrator.secret is not set' });
});
