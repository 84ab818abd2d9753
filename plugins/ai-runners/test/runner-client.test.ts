import t from 'tap';
import { checkHealth, readHardwareInfo, readVersion } from '../src/runner/runner-client.js';
import { waitUntilReady } from '../src/runner/wait-ready.js';
import { startRunnerPeer } from './runner-peer.js';

const timing = { pollMs: 20, healthMs: 300 };

t.test('/health: the four states, failures with reasons, and a bearer token for external runners', async (t) => {
  const peer = await startRunnerPeer(t, 'tok');
  const endpoint = { baseUrl: peer.url, token: 'tok' };
  for (const status of ['OK', 'IDLE', 'LOADING', 'ERROR'] as const) {
    peer.status = status;
    t.same(await checkHealth(endpoint, 300), { ok: true, status });
  }
  t.equal(peer.seen.at(-1)?.authorization, 'Bearer tok');
  t.match(await checkHealth({ baseUrl: peer.url }, 300), { ok: false, reason: /HTTP 401/ }, 'no token: refused by the runner');
  peer.status = 'down';
  t.match(await checkHealth(endpoint, 300), { ok: false, reason: /HTTP 503/ });
  peer.status = 'hang';
  t.match(await checkHealth(endpoint, 100), { ok: false, reason: /did not answer within 100 ms/ });
  await peer.close();
  t.match(await checkHealth(endpoint, 300), { ok: false, reason: /\/health failed: / }, 'the runner is gone');
});

t.test('/version falls back to 0.0.0 like go-livepeer; /hardware/info is optional', async (t) => {
  const peer = await startRunnerPeer(t);
  const endpoint = { baseUrl: peer.url };
  t.equal((await readVersion(endpoint, 300)).version, '0.0.0');
  peer.version = '0.13.5';
  t.equal((await readVersion(endpoint, 300)).version, '0.13.5');
  t.same(await readHardwareInfo(endpoint, 300), { pipeline: 'llm', model_id: 'm', gpu_info: {} });
  await peer.close();
  t.equal(await readHardwareInfo(endpoint, 300), undefined);
  t.equal((await readVersion(endpoint, 300)).version, '0.0.0');
});

t.test('waiting for a runner: LOADING counts as started unless the caller needs it serving; ERROR and death end the wait', async (t) => {
  const peer = await startRunnerPeer(t);
  const endpoint = { baseUrl: peer.url };
  peer.status = 'LOADING';
  t.same(await waitUntilReady(endpoint, { timeoutMs: 2_000, ...timing }), { ready: true, status: 'LOADING' });
  const serving = waitUntilReady(endpoint, { timeoutMs: 10_000, ...timing, acceptLoading: false });
  setTimeout(() => (peer.status = 'IDLE'), 100);
  t.same(await serving, { ready: true, status: 'IDLE' }, 'kept polling through LOADING until IDLE');
  peer.status = 'ERROR';
  t.match(await waitUntilReady(endpoint, { timeoutMs: 2_000, ...timing }), { ready: false, reason: /ERROR/ });
  peer.status = 'down';
  t.match(await waitUntilReady(endpoint, { timeoutMs: 200, ...timing }), { ready: false, reason: /not healthy within 200 ms \(last: \/health answered HTTP 503\)/ });
  t.match(await waitUntilReady(endpoint, { timeoutMs: 10_000, ...timing, stillAlive: async () => 'the container exited (exit code 1)' }), { ready: false, reason: /exited/ }, 'a dead container fails fast');
  const stop = new AbortController();
  stop.abort();
  t.match(await waitUntilReady(endpoint, { timeoutMs: 10_000, ...timing, signal: stop.signal }), { ready: false, reason: /cancelled/ });
});
