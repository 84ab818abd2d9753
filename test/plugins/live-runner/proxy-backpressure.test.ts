// The Live Runner proxy under a client that stops reading: the runner must be
// slowed down (backpressure through the proxy), not drained into the
// orchestrator's memory. A real offchain node, a real runner writing a large
// answer as fast as its socket lets it, and a client that reads the headers
// and then nothing.
import { createServer, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { startLiveRunnerNode, until } from './helpers/node.js';

const TOTAL = 128 * 1024 * 1024;
const CHUNK = Buffer.alloc(1024 * 1024, 0x61);

t.test('a client that stops reading stalls the runner instead of filling the proxy', async (t) => {
  const flood = { written: 0, finished: false, response: undefined as ServerResponse | undefined };
  const runner = createServer((request, response) => {
    if (request.url === '/health') return void response.end('ok');
    flood.response = response;
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(TOTAL) });
    const pump = (): void => {
      while (flood.written < TOTAL) {
        flood.written += CHUNK.length;
        if (!response.write(CHUNK)) return void response.once('drain', pump);
      }
      response.end();
      flood.finished = true;
    };
    pump();
  });
  await new Promise<void>((resolve) => runner.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    runner.closeAllConnections();
    runner.close();
  });
  const runnerUrl = `http://127.0.0.1:${(runner.address() as AddressInfo).port}`;
  const { uri } = await startLiveRunnerNode(t, { config: { runners: [{ label: 'flood', routing: 'label', runner_url: runnerUrl, health_url: '/health', app: 'test/flood', mode: 'single-shot', capacity: 1 }] } });

  const client = httpsRequest(`${uri}/apps/flood/app/big`, { rejectUnauthorized: false });
  t.teardown(() => client.destroy());
  const answer = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => client.on('response', resolve).on('error', reject).end());
  t.equal(answer.statusCode, 200);
  answer.pause();

  // The runner writes until the sockets and buffers between it and the paused client are full.
  let last = -1;
  let quiet = 0;
  await until(() => {
    if (flood.finished) return true;
    quiet = flood.written === last ? quiet + 1 : 0;
    last = flood.written;
    return quiet >= 20 ? true : undefined;
  }, 'the runner to stall or finish', 120_000);
  t.notOk(flood.finished, `the runner is held back (${flood.written / 1024 / 1024} MiB of ${TOTAL / 1024 / 1024} written)`);
  t.ok(flood.written < TOTAL / 2, 'most of the answer is still at the runner');
});
