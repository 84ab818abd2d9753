import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors, type LoggerService } from '@lpx/sdk';
import { findFreePort } from './free-port.js';
import { probeRedis } from './ping.js';

export interface EmbeddedRedisOptions {
  /** Where the AOF lives; restarting on the same directory recovers the data. */
  dataDir: string;
  logger?: LoggerService;
  /** Path or name of the server binary (default `redis-server` from PATH). */
  binary?: string;
  /** Fixed port, e.g. to come back on the same url after a restart; default: a free one. */
  port?: number;
  /** How long to wait for the first PONG (default 10 s; a large AOF takes a while to load). */
  startTimeoutMs?: number;
}

export interface EmbeddedRedis {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** SIGTERM (Redis fsyncs the AOF on the way out), SIGKILL if it lingers. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 3;

/** Children still running; killed if this process exits without stopping them. */
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
 * Runs `redis-server` as a child process so the node works on a machine with
 * no Redis installed as a service. Durability matches production settings:
 * AOF with fsync every second, RDB snapshots off.
 */
export async function startEmbeddedRedis(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  // The AOF holds what nodes keep in Redis, recipient secrets and tenants' key hashes included: owner-only.
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  await chmod(options.dataDir, 0o700);
  const attempts = options.port === undefined ? PORT_ATTEMPTS : 1;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = options.port ?? (await findFreePort(HOST));
    try {
      return await launch(options, port);
    } catch (error) {
      lastError = error;
      // Only a lost race for the port is worth another try.
      if (!(error instanceof PortTakenError)) throw error;
    }
  }
  throw errors.redis.EMBEDDED_START.create(`redis-server could not bind a free port after ${attempts} tries`, { cause: lastError });
}

class PortTakenError extends Error {}

async function launch(options: EmbeddedRedisOptions, port: number): Promise<EmbeddedRedis> {
  const binary = options.binary ?? 'redis-server';
  const args = [
    '--bind', HOST, '--port', String(port), '--daemonize', 'no',
    '--dir', options.dataDir, '--appendonly', 'yes', '--appendfsync', 'everysec',
    '--save', '', '--logfile', '', '--protected-mode', 'yes',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer): void => {
    // Keep only the tail: it is what explains a failed start.
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let spawnError: NodeJS.ErrnoException | undefined;
  let exited = false;
  child.once('error', (error: NodeJS.ErrnoException) => { spawnError = error; });
  child.once('exit', () => {
    exited = true;
    liveChildren.delete(child);
  });

  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    if (spawnError?.code === 'ENOENT' || spawnError?.code === 'EACCES') {
      throw errors.redis.BINARY_MISSING.create(
        `cannot run '${binary}' (${spawnError.code}): install redis-server (Debian/Ubuntu: apt-get install redis-server) or set REDIS_URL to an existing Redis`,
        { cause: spawnError, details: { binary } },
      );
    }
    if (spawnError || exited) break;
    const probe = await probeRedis(HOST, port);
    // Another server already on a fixed port would answer too; only our child counts.
    if (probe.ready && probe.pid === child.pid) {
      liveChildren.add(child);
      installExitHook();
      options.logger?.info({ port, pid: child.pid, dataDir: options.dataDir }, 'embedded redis ready');
      return handle(child, port, options.logger);
    }
    await sleep(50);
  }

  if (!exited && !spawnError) await stopChild(child);
  if (/address already in use/i.test(output) && options.port === undefined) throw new PortTakenError(`port ${port} is taken`);
  throw errors.redis.EMBEDDED_START.create(
    `redis-server on port ${port} did not answer PING within ${options.startTimeoutMs ?? 10_000} ms${spawnError ? ` (${spawnError.message})` : ''}; last output: ${output.trim() || '(none)'}`,
    { details: { port, dataDir: options.dataDir }, ...(spawnError ? { cause: spawnError } : {}) },
  );
}

function handle(child: ChildProcess, port: number, logger: LoggerService | undefined): EmbeddedRedis {
  let stopping: Promise<void> | undefined;
  return {
    url: `redis://${HOST}:${port}`,
    port,
    pid: child.pid ?? -1,
    stop() {
      stopping ??= stopChild(child).then(() => logger?.info({ port }, 'embedded redis stopped'));
      return stopping;
    },
  };
}

async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  liveChildren.delete(child);
}
