import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors, type LoggerService } from '@lpx/sdk';
import { dockerdArgs, dockerdLayout, type DockerdFlags, type DockerdLayout } from './dockerd-layout.js';
import { pingSocket } from './ping.js';

export interface StartDockerdOptions extends DockerdFlags {
  /** Everything of this engine lives here (data root, log, daemon.json). */
  readonly stateDir: string;
  /** Path or name of the binary (default `dockerd` from PATH). */
  readonly binary?: string;
  /** How long to wait for the API (default 30 s: containerd starts first). */
  readonly startTimeoutMs?: number;
  /** SIGTERM, then SIGKILL after this (default 30 s: dockerd stops its containers first). */
  readonly stopGraceMs?: number;
  /** Leave the engine running when this process exits (the shared test engine). */
  readonly detached?: boolean;
  readonly logger?: LoggerService;
  readonly signal?: AbortSignal;
}

export interface OwnDockerd {
  readonly layout: DockerdLayout;
  readonly socketPath: string;
  readonly pid: number;
  /** True when a dockerd already running on this state dir was taken over instead of started. */
  readonly adopted: boolean;
  /**
   * True when that dockerd belongs to another live process (the node, while
   * `lpx containers list` looks at it): stop() then leaves it running.
   */
  readonly borrowed: boolean;
  /** Still running (the process has not exited). */
  alive(): boolean;
  stop(): Promise<void>;
}

/** Engines we spawned attached to this process: stopped if it exits without closing them. */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of liveChildren) child.kill('SIGTERM');
  });
}

/**
 * Runs the node's own dockerd (Debian's docker.io) as a child process, the
 * way the kernel runs redis-server: flags that let several engines share the
 * machine, logs to a file under the state dir, ready when /_ping answers,
 * SIGTERM on close. A dockerd already running on the same state dir (its
 * pidfile names a live dockerd) is adopted rather than fought over.
 */
export async function startOwnDockerd(options: StartDockerdOptions): Promise<OwnDockerd> {
  const layout = dockerdLayout(options.stateDir);
  await mkdir(layout.dataRoot, { recursive: true, mode: 0o700 });
  await mkdir(layout.execRoot, { recursive: true, mode: 0o700 });
  await writeFile(layout.configFile, '{}\n');
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const grace = options.stopGraceMs ?? 30_000;

  const previous = await runningDockerd(layout);
  if (previous !== undefined) {
    if (await waitForPing(layout.socketPath, startTimeoutMs, () => processAlive(previous), options.signal)) {
      const holder = Number.parseInt(await readFile(ownerFile(layout), 'utf8').catch(() => ''), 10);
      const borrowed = holder !== process.pid && processAlive(holder);
      // A dead holder (a crashed node) hands the engine over: we stop it when we close.
      if (!borrowed) await writeFile(ownerFile(layout), `${process.pid}\n`);
      options.logger?.info({ pid: previous, socket: layout.socketPath, borrowed }, borrowed ? 'using the dockerd another live process runs on this state dir' : 'adopted the dockerd left running on this state dir');
      return pidHandle(layout, previous, grace, borrowed, options.logger);
    }
    // Alive but deaf: a wedged engine from an earlier run; replace it.
    await stopPid(previous, grace);
  }
  await rm(layout.pidFile, { force: true });

  const binary = options.binary ?? 'dockerd';
  const log = openSync(layout.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(binary, dockerdArgs(layout, options), { stdio: ['ignore', log, log], detached: options.detached === true });
  } finally {
    closeSync(log);
  }
  let spawnError: NodeJS.ErrnoException | undefined;
  let exited = false;
  child.once('error', (error: NodeJS.ErrnoException) => { spawnError = error; });
  child.once('exit', () => {
    exited = true;
    liveChildren.delete(child);
  });
  if (options.detached === true) child.unref();
  else {
    liveChildren.add(child);
    installExitHook();
  }

  const ready = await waitForPing(layout.socketPath, startTimeoutMs, () => !exited && spawnError === undefined, options.signal);
  if (!ready) {
    if (spawnError?.code === 'ENOENT' || spawnError?.code === 'EACCES') {
      throw errors.containers.UNAVAILABLE.create(`dockerd not runnable ('${binary}': ${spawnError.code}): install docker.io (apt-get install docker.io) or set DOCKER_HOST to a running engine`, { cause: spawnError, details: { binary } });
    }
    if (!exited) await stopChild(child, 5_000);
    const why = options.signal?.aborted ? 'start aborted' : exited ? `dockerd exited (code ${child.exitCode ?? child.signalCode})` : `dockerd did not answer /_ping within ${startTimeoutMs} ms`;
    throw errors.containers.UNAVAILABLE.create(`${why}; last log lines (${layout.logFile}): ${await logTail(layout.logFile)}`, { details: { stateDir: layout.stateDir } });
  }
  await writeFile(ownerFile(layout), `${options.detached === true ? '' : process.pid}\n`);
  options.logger?.info({ pid: child.pid, socket: layout.socketPath, dataRoot: layout.dataRoot }, 'own dockerd ready');
  let stopping: Promise<void> | undefined;
  return {
    layout,
    socketPath: layout.socketPath,
    pid: child.pid ?? -1,
    adopted: false,
    borrowed: false,
    alive: () => !exited,
    stop() {
      stopping ??= stopChild(child, grace).then(async () => {
        await removeTempExecRoot(layout);
        options.logger?.info({ pid: child.pid }, 'own dockerd stopped');
      });
      return stopping;
    },
  };
}

/** The pid in the pidfile when it is a live dockerd (not a recycled pid). */
export async function runningDockerd(layout: DockerdLayout): Promise<number | undefined> {
  const text = await readFile(layout.pidFile, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return undefined;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes('dockerd') && cmdline.includes(layout.pidFile) ? pid : undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForPing(socketPath: string, timeoutMs: number, stillRunning: () => boolean, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && stillRunning() && signal?.aborted !== true) {
    if (await pingSocket(socketPath, 1_000)) return true;
    await sleep(100);
  }
  return false;
}

function pidHandle(layout: DockerdLayout, pid: number, grace: number, borrowed: boolean, logger?: LoggerService): OwnDockerd {
  let stopping: Promise<void> | undefined;
  return {
    layout,
    socketPath: layout.socketPath,
    pid,
    adopted: true,
    borrowed,
    alive: () => processAlive(pid),
    stop() {
      stopping ??= borrowed
        ? Promise.resolve()
        : stopPid(pid, grace).then(async () => {
            await removeTempExecRoot(layout);
            logger?.info({ pid }, 'own dockerd stopped');
          });
      return stopping;
    },
  };
}

/** An exec root in the temp dir (long state dirs) holds only runtime state: gone with the engine, so none pile up. */
async function removeTempExecRoot(layout: DockerdLayout): Promise<void> {
  if (layout.execRoot.startsWith(layout.stateDir)) return;
  await rm(layout.execRoot, { recursive: true, force: true }).catch(() => undefined);
}

/** Which process runs the engine (and stops it): the pid of the node that started or adopted it. */
function ownerFile(layout: DockerdLayout): string {
  return join(layout.execRoot, 'owner.pid');
}

async function stopPid(pid: number, graceMs: number): Promise<void> {
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (processAlive(pid) && Date.now() < deadline) await sleep(100);
  if (processAlive(pid)) signal('SIGKILL');
  while (processAlive(pid)) await sleep(50);
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  liveChildren.delete(child);
}

/** The log's last lines: what explains a failed start. */
export async function logTail(file: string, bytes = 2_000): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (handle === undefined) return '(no log)';
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8').trim() || '(empty log)';
  } finally {
    await handle.close();
  }
}
