// The plugin refuses, with a coded config error naming the roles, to start
// where its executor could never work: the workers' gRPC streams live in the
// orchestrator process and the kernel runs AI jobs in its workers. With the
// roles, it mounts net.AIWorker and its routes through the orchestrator wire.
import t from 'tap';
import { PluginWire } from '../../../core/src/roles/orchestrator/plugin-wire.js';
import { initPlugin } from './helpers/remote-ai-node.js';

t.test('needs the orchestrator and worker roles in one process', async (t) => {
  const withRole = new PluginWire({ enabled: true, secret: () => 'orch-secret' });
  await t.rejects(initPlugin(withRole, { roles: ['orchestrator'] }), { code: 'LPX_ERR_CONFIG_INVALID', message: /orchestrator and worker roles.*this node runs: orchestrator\)/ });
  const withoutRole = new PluginWire({ enabled: false, secret: () => 'orch-secret' });
  await t.rejects(initPlugin(withoutRole, { roles: ['worker'] }), { code: 'LPX_ERR_CONFIG_INVALID', message: /this node runs: worker\)/ });
  t.same(withoutRole.pluginIds, [], 'nothing recorded on the wire');

  const logs: { level: string; obj: unknown }[] = [];
  const wire = new PluginWire({ enabled: true, secret: () => undefined });
  const ok = await initPlugin(wire, { roles: ['orchestrator', 'worker'] }, logs as never);
  t.equal(ok.executor?.name, 'remote-workers');
  t.same(ok.executor?.offers(), []);
  t.same(wire.pluginIds, ['ai-remote-worker'], 'gRPC service and routes recorded for the door');
  t.match(logs, [{ level: 'warn', obj: /orchestrator\.secret is not set/ }], 'a node without a secret is told no worker can register');
});
