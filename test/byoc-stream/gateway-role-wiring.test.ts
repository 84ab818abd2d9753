// The gateway role serves /process/stream/* on its HTTP edge (ADR 0048): tenants
// authenticate as on /v1/jobs, and with no orchestrator in the pool a start is a coded 503.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { Host } from '../../core/src/boot/host.js';
import { loadConfig } from '../../core/src/config/load-config.js';
import { generateApiKey, hashApiKey } from '../../core/src/roles/gateway/tenants/api-keys.js';
import { testRedis, uniquePrefix } from '../helpers/redis.js';
import { livepeerHeader } from './helpers/gateway.js';

t.test('a gateway node answers the stream API', async (t) => {
  const redis = await testRedis(t);
  const dataDir = mkdtempSync(join(tmpdir(), 'stream-g-role-'));
  const key = generateApiKey();
  const host = new Host({
    config: loadConfig({
      raw: { log: { level: 'silent' }, http: { port: 0 }, node: { roles: ['gateway'], dataDir }, redis: { url: redis.url, prefix: uniquePrefix('stream-role') }, gateway: { tenants: { acme: { keys: [hashApiKey(key)] } } } },
      env: {},
    }),
  });
  t.teardown(async () => {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  await host.start();
  const start = (headers: Record<string, string>) => request(`${host.url}/process/stream/start`, { method: 'POST', headers: { livepeer: livepeerHeader({}), ...headers }, body: '{}' });
  const anonymous = await start({});
  t.equal(anonymous.statusCode, 401);
  t.equal(anonymous.headers['www-authenticate'], 'Bearer realm="lpx"');
  await anonymous.body.text();
  const refused = await start({ authorization: `Bearer ${key}` });
  t.equal(refused.statusCode, 503);
  t.match(await refused.body.json(), { code: 'LPX_ERR_BYOC_STREAM_NO_ORCHESTRATOR' });
});
