import t, { type Test } from 'tap';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors } from '@lpx/sdk';
import { devNodeArgs, startNodeProcess } from '../../src/dev/node-process.js';
import { makePrivateDir } from '../../src/dev/private-files.js';
import { findFreePort } from '../../src/redis/free-port.js';

const FAKE = fileURLToPath(new URL('./fixtures/fake-node.mjs', import.meta.url));

async function workDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-ready-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.test('a child that exits early fails at once with its last output and exit code', async (t) => {
  const dir = await workDir(t);
  const port = await findFreePort();
  const started = startNodeProcess('orchestrator-1', dir, {}, port, { argv: [FAKE, 'exit', String(port), join(dir, 'never')] });
  await t.rejects(started, { code: errors.plugin.START_FAILED.code, message: /exited with code 3 before it was ready.*fatal: cannot bind 127\.0\.0\.1: address in use/s });
});

t.test('a slow child that keeps making progress is waited for past the silence window', async (t) => {
  const dir = await workDir(t);
  const port = await findFreePort();
  const readyFile = join(dir, 'ready');
  // A 200 ms silence window; the child shows progress on every probe and is made ready only after
  // 20 probes, which (100 ms apart) is at least 2 s: ten windows.
  const started = startNodeProcess('gateway', dir, {}, port, { argv: [FAKE, 'slow', String(port), readyFile], readyStallMs: 200 });
  let failed: unknown;
  started.catch((error: unknown) => (failed = error));
  for (;;) {
    if (failed !== undefined) throw failed;
    const log = await readFile(join(dir, 'gateway.log'), 'utf8').catch(() => '');
    if (log.includes('probe 20\n')) break;
    await sleep(50);
  }
  await writeFile(readyFile, '');
  const node = await started;
  t.teardown(() => node.stop());
  t.equal(node.child.exitCode, null, 'still running');
  t.equal((await fetch(`${node.httpUrl}/readyz`)).status, 200);
});

t.test('a child that is alive but shows no progress is given up on, and stopped', async (t) => {
  const dir = await workDir(t);
  const port = await findFreePort();
  const started = startNodeProcess('orchestrator-2', dir, {}, port, { argv: [FAKE, 'silent', String(port), join(dir, 'never')], readyStallMs: 300 });
  await t.rejects(started, { code: errors.plugin.START_FAILED.code, message: /showed no progress for 300 ms/ });
});

t.test('node configs (private keys, secrets) and logs are owner-only, in an owner-only dir', async (t) => {
  const root = await workDir(t);
  const dir = join(root, 'dev');
  await makePrivateDir(dir);
  t.equal((await stat(dir)).mode & 0o777, 0o700);
  const port = await findFreePort();
  // A config file left from an earlier run with loose permissions is tightened too.
  await writeFile(join(dir, 'orchestrator-3.json'), '{}', { mode: 0o644 });
  const started = startNodeProcess('orchestrator-3', dir, { chain: { privateKey: '0x01' } }, port, { argv: [FAKE, 'exit', String(port), join(dir, 'never')] });
  await t.rejects(started);
  t.equal((await stat(join(dir, 'orchestrator-3.json'))).mode & 0o777, 0o600, 'config 0600');
  t.equal((await stat(join(dir, 'orchestrator-3.log'))).mode & 0o777, 0o600, 'log 0600');
  t.match(await readFile(join(dir, 'orchestrator-3.json'), 'utf8'), /privateKey/);
});

t.test('LPX_DEV_NODE_ARGS: extra node flags reach every node the dev network starts', async (t) => {
  t.same(devNodeArgs({}), []);
  t.same(devNodeArgs({ LPX_DEV_NODE_ARGS: '  --cpu-prof   --cpu-prof-dir=/tmp/p ' }), ['--cpu-prof', '--cpu-prof-dir=/tmp/p']);
  const dir = await workDir(t);
  const port = await findFreePort();
  const saved = process.env['LPX_DEV_NODE_ARGS'];
  process.env['LPX_DEV_NODE_ARGS'] = '--max-old-space-size=300 --no-deprecation';
  t.teardown(() => {
    if (saved === undefined) delete process.env['LPX_DEV_NODE_ARGS'];
    else process.env['LPX_DEV_NODE_ARGS'] = saved;
  });
  const started = startNodeProcess('orchestrator-1', dir, {}, port, { argv: [FAKE, 'exit', String(port), join(dir, 'never')] });
  await t.rejects(started, { message: /node flags: \[--max-old-space-size=300 --no-deprecation\]/ });
});
