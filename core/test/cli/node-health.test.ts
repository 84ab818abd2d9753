import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { nodeHealth } from '../../src/cli/node-status.js';
import { runCli } from '../../../test/helpers/cli.js';

t.test('lpx status reads /healthz and /readyz from the configured HTTP port', async (t) => {
  const server = createServer((request, response) => {
    response.writeHead(request.url === '/readyz' ? 503 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(request.url === '/readyz' ? { status: 'not-ready' } : { status: 'ok' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const port = (server.address() as AddressInfo).port;
  t.match(await nodeHealth(`http://127.0.0.1:${port}`, 2_000), { running: true, healthz: { status: 200, body: { status: 'ok' } }, readyz: { status: 503, body: { status: 'not-ready' } } });
  const status = await runCli('status', '--set', `http.port=${port}`, '--json');
  t.equal(status.code, 0, status.stderr);
  t.match(JSON.parse(status.stdout), { address: undefined, health: { running: true, readyz: { status: 503 } } });
  t.notOk('chain' in JSON.parse(status.stdout), 'an offchain node has no chain section');
});
