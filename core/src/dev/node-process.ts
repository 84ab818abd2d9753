/**
 * One `lpx start` child of the local network: spawned with its own config
 * file, its output in a log file, ready when its /readyz answers 200.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors } from '@lpx/sdk';

const LPX_BIN = fileURLToPath(new URL('../../bin/lpx.mjs', import.meta.url));

export interface NodeProcess {
  readonly name: string;
  readonly pid: number;
  readonly httpUrl: string;
  readonly logFile: string;
  readonly child: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once (fault drills). */
  kill(): Promise<void>;
}

export async function startNodeProcess(name: string, dir: string, config: Record<string, unknown>, httpPort: number, readyTimeoutMs = 60_000): Promise<NodeProcess> {
  const configFile = join(dir, `${name}.json`);
  const logFile = join(dir, `${name}.log`);
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [LPX_BIN, 'start', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const httpUrl = `http://127.0.0.1:${httpPort}`;

  const stop = async (graceMs = 15_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw errors.plugin.START_FAILED.create(`${name} exited with code ${child.exitCode} before it was ready; see ${logFile}`);
    const ready = await fetch(`${httpUrl}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop(2_000);
      throw errors.plugin.START_FAILED.create(`${name} was not ready within ${readyTimeoutMs} ms; see ${logFile}`);
    }
    await sleep(100);
  }
  return { name, pid: child.pid!, httpUrl, logFile, child, stop, kill };
}
