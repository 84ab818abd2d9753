// `maxSessions: auto` follows the transcode capacity of the node's backends;
// with no transcode backend plugin loaded there is nothing to follow, and
// orchestrator.secret alone no longer stands for remote transcoders (they are
// the transcode-remote plugin now), so the boot stops with a config error.
import t from 'tap';
import { makeHost } from '../../../test/helpers/host.js';

t.test("maxSessions 'auto' without a transcode backend plugin is a config error, secret or not", async (t) => {
  for (const orchestrator of [{ port: 0, maxSessions: 'auto' }, { port: 0, maxSessions: 'auto', secret: 'remote-secret' }]) {
    const host = makeHost(t, [], { node: { roles: ['orchestrator'] }, orchestrator });
    await t.rejects(host.start(), { code: 'LPX_ERR_CONFIG_INVALID', message: /maxSessions 'auto'.*transcode-remote/ }, JSON.stringify(orchestrator));
  }
});
