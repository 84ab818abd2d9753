/**
 * Docker for tests: ONE dockerd shared by the whole tap run (tap runs files
 * one at a time) and by later runs on the same machine, so images built once
 * are reused. The first test that needs it starts it under a stable state dir
 * (/var/tmp/lpx-test-docker, or LPX_TEST_DOCKER_DIR) through a detached
 * supervisor (docker-supervisor.ts); later calls find it running. Each test
 * process holds a lease while it lives; the engine stops after tap's after
 * script (.taprc) once no lease is held, or after 10 idle minutes.
 *
 * LPX_TEST_DOCKER_HOST points the tests at another engine instead.
 *
 *   const { dockerHost } = await testDocker(t);
 *   createDockerRuntime({ host: dockerHost }) // or env DOCKER_HOST for a node under test
 *
 * Tests remove every container they create (t.teardown); images stay.
 */
import { spawn } from 'node:child_process';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { dockerdLayout } from '../../plugins/runtime-docker/src/engine/dockerd-layout.js';
import { logTail } from '../../plugins/runtime-docker/src/engine/dockerd-process.js';
import { pingSocket } from '../../plugins/runtime-docker/src/engine/ping.js';
import { pidAlive, testDockerPaths, type TestDockerPaths } from './docker-state.js';

export interface Teardownable {
  teardown(fn: () => unknown): void;
}

export interface TestDocker {
  /** For DOCKER_HOST or runtime-docker's `host`: `unix:///…/docker.sock`. */
  readonly dockerHost: string;
  /** The socket path itself (dockerode's `socketPath`). */
  readonly socketPath: string;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const START_TIMEOUT_MS = 90_000;

let shared: Promise<TestDocker> | undefined;

/** The shared test engine, started on first use; `t` is taken for symmetry with testRedis (nothing to tear down per test). */
export function testDocker(_t?: Teardownable): Promise<TestDocker> {
  shared ??= obtain().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

async function obtain(): Promise<TestDocker> {
  const external = process.env['LPX_TEST_DOCKER_HOST'];
  if (external) return { dockerHost: external, socketPath: external.replace(/^unix:\/\//, '') };
  const paths = testDockerPaths();
  await mkdir(paths.leases, { recursive: true });
  // Lease first, then look: the supervisor never stops an engine while a live process holds one.
  await writeFile(join(paths.leases, String(process.pid)), `${new Date().toISOString()}\n`);
  await rm(paths.stopRequested, { force: true });
  const socketPath = dockerdLayout(join(paths.dir, 'engine')).socketPath;
  const found = { dockerHost: `unix://${socketPath}`, socketPath };
  if (await running(paths, socketPath)) return found;
  await withStartLock(paths, async () => {
    if (await running(paths, socketPath)) return;
    await startSupervisor(paths);
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (await running(paths, socketPath)) return;
      await sleep(200);
    }
    throw new Error(`the shared test dockerd did not come up within ${START_TIMEOUT_MS} ms; supervisor log: ${await logTail(paths.supervisorLog)}; dockerd log: ${await logTail(dockerdLayout(join(paths.dir, 'engine')).logFile)}`);
  });
  return found;
}

async function running(paths: TestDockerPaths, socketPath: string): Promise<boolean> {
  const pid = Number.parseInt(await readFile(paths.supervisorPid, 'utf8').catch(() => ''), 10);
  return pidAlive(pid) && (await pingSocket(socketPath, 2_000));
}

/**
 * Starts the supervisor as an orphan (sh forks it in its own session and
 * exits): tap tracks the processes a test file spawns and signals them when
 * the file ends, and this one must outlive the file. Without tap's loaders
 * (NODE_OPTIONS): it is not a test.
 */
function startSupervisor(paths: TestDockerPaths): Promise<void> {
  const script = 'unset NODE_OPTIONS; setsid "$0" --import tsx "$1" "$2" >>"$3" 2>&1 </dev/null &';
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', script, process.execPath, join(ROOT, 'test', 'helpers', 'docker-supervisor.ts'), paths.dir, paths.supervisorLog], {
      cwd: ROOT,
      stdio: 'ignore',
      env: { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: process.env['HOME'] ?? '/root', ...(process.env['LPX_TEST_DOCKER_IDLE_MS'] ? { LPX_TEST_DOCKER_IDLE_MS: process.env['LPX_TEST_DOCKER_IDLE_MS'] } : {}) },
    });
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
}

/** Two tap runs (two terminals, two CI jobs) starting at once must not start two supervisors on one state dir. */
async function withStartLock(paths: TestDockerPaths, run: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      const handle = await open(paths.startLock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(paths.startLock, 'utf8').catch(() => ''), 10);
      // An empty lock is being written right now; only a dead holder's lock is stale.
      if (Number.isInteger(holder) && !pidAlive(holder)) await rm(paths.startLock, { force: true });
      else if (Date.now() > deadline) throw new Error(`the shared test dockerd start lock is held by pid ${holder}`);
      else await sleep(200);
    }
  }
  try {
    await run();
  } finally {
    await rm(paths.startLock, { force: true });
  }
}
