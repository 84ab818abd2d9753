// The BYOC client's deadline on a real HTTP exchange: an orchestrator that
// does not answer in time is LPX_ERR_ORCHESTRATOR_JOB_TIMEOUT (try another),
// also when it stalls half-way through its body; a caller who aborts gets
// LPX_ERR_ORCHESTRATOR_JOB_UNREACHABLE marked aborted, not a timeout.
import t from 'tap';
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { errors } from '@lpx/sdk';
import { fetchJobToken } from '../../src/network/byoc/index.js';

const sender = { addr: '0x0000000000000000000000000000000000000001', sig: '0x00' };

async function orchestrator(t: { teardown(fn: () => unknown): void }, answer: (response: ServerResponse) => void): Promise<{ uri: string; dispatcher: Agent }> {
  const held: ServerResponse[] = [];
  const server = createServer((_request, response) => {
    held.push(response);
    answer(response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const dispatcher = new Agent();
  t.teardown(async () => {
    for (const response of held) response.destroy();
    await dispatcher.close();
    server.close();
  });
  return { uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, dispatcher };
}

t.test('no answer in time: a timeout, with advice to try another orchestrator', async (t) => {
  const { uri, dispatcher } = await orchestrator(t, () => undefined);
  await t.rejects(fetchJobToken({ serviceUri: uri, capability: 'echo', sender, timeoutMs: 100, dispatcher }), {
    code: errors.orchestrator.JOB_TIMEOUT.code,
    message: /did not answer within 100 ms/,
    details: { retry: 'other-orchestrator' },
  });
});

t.test('headers in time but the body stalls: still the timeout', async (t) => {
  const { uri, dispatcher } = await orchestrator(t, (response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    response.write('{"sender_address":');
  });
  await t.rejects(fetchJobToken({ serviceUri: uri, capability: 'echo', sender, timeoutMs: 150, dispatcher }), { code: errors.orchestrator.JOB_TIMEOUT.code });
});

t.test('the caller aborts: unreachable and marked aborted, not a timeout', async (t) => {
  const { uri, dispatcher } = await orchestrator(t, () => undefined);
  const caller = new AbortController();
  setTimeout(() => caller.abort(new Error('caller left')), 50);
  await t.rejects(fetchJobToken({ serviceUri: uri, capability: 'echo', sender, timeoutMs: 10_000, signal: caller.signal, dispatcher }), {
    code: errors.orchestrator.JOB_UNREACHABLE.code,
    details: { aborted: true },
  });
});
