// The plugin's own dockerd (no host, no DOCKER_HOST): started by the probe,
// running next to the shared test engine without either breaking the other
// (no docker0, no iptables, a bridge network per engine), borrowed but not
// stopped by a second process on the same state dir, stopped on close, and
// its containers found again after a restart.
import t, { type Test } from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContainerRuntime } from '@lpx/sdk';
import { createDockerRuntime } from '../src/index.js';
import { testDocker } from '../../../test/helpers/docker.js';
import { makeBusyboxRootfs, ROOTFS_INDEX_TEXT } from '../../../sdk/src/testing/containers/busybox-rootfs.js';

const HERE = dirname(fileURLToPath(import.meta.url));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function serve(runtime: ContainerRuntime, image: string, name: string, ownerId: string): Promise<{ id: string; port: number }> {
  const created = await runtime.create({ name, image, command: ['httpd', '-f', '-p', '8080', '-h', '/www'], ports: [{ containerPort: 8080 }] }, { ownerId, pluginId: 'test', specHash: 'h' });
  const started = await runtime.start(created.id);
  return { id: created.id, port: started.ports[0]!.hostPort };
}

async function get(port: number): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5_000) });
      return await response.text();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** A node in another process that starts the own engine on dataDir and keeps running until killed. */
async function otherNode(t: Test, work: string, dataDir: string): Promise<{ child: ChildProcess; enginePid: number }> {
  const script = join(work, 'other-node.mts');
  await writeFile(script, [
    `import { createDockerRuntime } from ${JSON.stringify(join(HERE, '..', 'src', 'index.ts'))};`,
    'const runtime = createDockerRuntime({ dataDir: process.argv[2] }, undefined, undefined);',
    'const status = await runtime.probe(new AbortController().signal);',
    'process.stdout.write(JSON.stringify({ ...status, enginePid: runtime.ownEngine?.pid }) + "\\n");',
    'setInterval(() => undefined, 60_000);',
  ].join('\n'));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], { cwd: join(HERE, '..', '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => child.kill('SIGKILL'));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`the other node exited (${code}) before its engine was ready`)));
  });
  const status = JSON.parse(line) as { available: boolean; reason?: string; enginePid: number };
  if (!status.available) throw new Error(`the other node's engine is unavailable: ${status.reason}`);
  return { child, enginePid: status.enginePid };
}

t.test('own dockerd: next to another engine, borrowed from a live node, adopted after a crash, stopped on close, containers found after a restart', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'lpx-own-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const work = t.testdir();
  const rootfs = await makeBusyboxRootfs({ workDir: work });
  const ownerId = `own-${process.pid}`;
  const make = () => createDockerRuntime({ dataDir }, undefined, undefined);

  // Another process (a running node) starts the engine.
  const other = await otherNode(t, work, dataDir);
  t.ok(alive(other.enginePid), 'the other node runs a dockerd');
  t.teardown(() => {
    if (alive(other.enginePid)) process.kill(other.enginePid, 'SIGTERM');
  });

  // This process (lpx containers list next to the running node) borrows it.
  const borrower = make();
  t.teardown(() => borrower.close());
  const status = await borrower.probe(new AbortController().signal);
  t.equal(status.available, true, status.reason ?? '');
  t.equal(borrower.ownEngine?.pid, other.enginePid, 'the same dockerd');
  t.equal(borrower.ownEngine?.borrowed, true, 'borrowed: its owner is alive');
  t.equal(status.endpoint, `unix://${borrower.ownEngine!.socketPath}`);
  t.ok(borrower.ownEngine!.layout.dataRoot.startsWith(dataDir), 'its data root is under the plugin data dir');
  const image = await borrower.ensureImage({ ref: `lpx-test/busybox:${rootfs.digest}`, source: { kind: 'import', tarPath: rootfs.tarPath } });
  const mine = await serve(borrower, image.ref, `lpx-own-${process.pid}`, ownerId);

  // The shared test engine serves too, at the same time: neither engine broke the other's networking.
  const { dockerHost } = await testDocker(t);
  const shared = createDockerRuntime({ host: dockerHost, dataDir: work });
  t.teardown(() => shared.close());
  t.ok((await shared.probe(new AbortController().signal)).available);
  await shared.ensureImage({ ref: image.ref, source: { kind: 'import', tarPath: rootfs.tarPath } });
  const theirs = await serve(shared, image.ref, `lpx-shared-${process.pid}`, ownerId);
  t.teardown(() => shared.remove(theirs.id, { force: true }));
  t.match(await get(mine.port), ROOTFS_INDEX_TEXT, 'the own engine\'s container answers on its published port');
  t.match(await get(theirs.port), ROOTFS_INDEX_TEXT, 'the shared engine\'s container answers on its published port');
  t.match(await get(mine.port), ROOTFS_INDEX_TEXT, 'and the first still does');

  await borrower.close();
  t.ok(alive(other.enginePid), 'closing a borrowed engine leaves it running for its node');

  // The other node crashes (SIGKILL: no exit hook), leaving its dockerd behind; the next runtime adopts it.
  other.child.kill('SIGKILL');
  await new Promise((resolve) => other.child.once('exit', resolve));
  t.ok(alive(other.enginePid), 'the crashed node\'s dockerd is still running');
  const adopter = make();
  t.teardown(() => adopter.close());
  t.equal((await adopter.probe(new AbortController().signal)).available, true);
  t.equal(adopter.ownEngine?.pid, other.enginePid, 'adopted the orphan');
  t.equal(adopter.ownEngine?.borrowed, false, 'and owns it now');
  t.same((await adopter.list({ ownerId })).map((c) => [c.id, c.state]), [[mine.id, 'running']], 'the container kept running');
  await adopter.close();
  t.notOk(alive(other.enginePid), 'close stopped the adopted dockerd');

  const again = make();
  t.teardown(() => again.close());
  t.equal((await again.probe(new AbortController().signal)).available, true, 'a restart starts a new dockerd');
  t.ok(again.ownEngine !== undefined && !again.ownEngine.adopted && alive(again.ownEngine.pid));
  const found = await again.list({ ownerId });
  t.same(found.map((c) => [c.id, c.state]), [[mine.id, 'exited']], 'the container is found after the restart, stopped with the engine');
  await again.remove(mine.id, { force: true });
  const pid = again.ownEngine!.pid;
  await again.close();
  t.notOk(alive(pid), 'stopped on close');
});
