/**
 * One `lpx start` child of the local network: spawned with its own config
 * file, its output in a log file, ready when its /readyz answers 200.
 *
 * Readiness has no fixed deadline on a healthy child: on a loaded machine a
 * node can take minutes to boot, and giving up while it is still working only
 * leaves the user to start again. We wait while the child is alive and making
 * progress (new output, or a /readyz answer that differs from the last one:
 * its checks change as it boots), give up when it
 * has been silent for `readyStallMs` or the generous `readyTimeoutMs` has
 * passed, and fail at once, with its last output, when it exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors } from '@lpx/sdk';
import { lpxNodeArgs } from '../boot/compiled-mirror.js';
import { OutputTail } from './output-tail.js';
import { PRIVATE_FILE_MODE, writePrivateFile } from './private-files.js';

const LPX_BIN = fileURLToPath(new URL('../../bin/lpx.mjs', import.meta.url));

/** The whole wait, however busy the child looks: 15 minutes. */
export const DEFAULT_READY_TIMEOUT_MS = 15 * 60_000;
/** How long a child that has shown signs of life may then show no progress before we call it stuck. */
export const DEFAULT_READY_STALL_MS = 120_000;
const PROBE_INTERVAL_MS = 100;
const PROBE_TIMEOUT_MS = 5_000;

export interface NodeProcess {
  readonly name: string;
  readonly pid: number;
  readonly httpUrl: string;
  readonly logFile: string;
  readonly configFile: string;
  readonly child: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once (fault drills). */
  kill(): Promise<void>;
}

export interface NodeProcessOptions {
  readonly readyTimeoutMs?: number;
  readonly readyStallMs?: number;
  /** Runs `process.execPath argv… <configFile>` instead of `lpx start --config <configFile>` (tests use a small script). */
  readonly argv?: readonly string[];
}

/**
 * Extra node flags for every node the dev network starts, from
 * `LPX_DEV_NODE_ARGS` (space-separated), e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
 * to profile each process of a bench, or `--max-semi-space-size=…`.
 */
export function devNodeArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env['LPX_DEV_NODE_ARGS'] ?? '').split(/\s+/).filter((arg) => arg !== '');
}

export async function startNodeProcess(name: string, dir: string, config: Record<string, unknown>, httpPort: number, options: NodeProcessOptions = {}): Promise<NodeProcess> {
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const readyStallMs = options.readyStallMs ?? DEFAULT_READY_STALL_MS;
  const configFile = join(dir, `${name}.json`);
  const logFile = join(dir, `${name}.log`);
  await writePrivateFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
  const log = createWriteStream(logFile, { flags: 'a', mode: PRIVATE_FILE_MODE });
  const argv = options.argv !== undefined ? [...options.argv, configFile] : [...lpxNodeArgs(), LPX_BIN, 'start', '--config', configFile];
  const child = spawn(process.execPath, [...devNodeArgs(), ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  const tail = new OutputTail();
  // Unset until the first sign of life: starting a process on a loaded machine can itself take a while.
  let lastProgress: number | undefined;
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.pipe(log, { end: false });
    stream.on('data', (chunk: Buffer) => {
      tail.push(chunk);
      lastProgress = Date.now();
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // An output stream may still hold the child's last words when 'exit' fires; 'close' comes after them.
  const drained = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  const hasExited = (): boolean => child.exitCode !== null || child.signalCode !== null;

  const stop = async (graceMs = 15_000): Promise<void> => {
    if (hasExited()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const kill = async (): Promise<void> => {
    if (hasExited()) return;
    child.kill('SIGKILL');
    await exited;
  };
  const notReady = async (why: string): Promise<never> => {
    await stop(2_000);
    throw errors.plugin.START_FAILED.create(`${name} ${why}; see ${logFile}${tail.describe()}`, { details: { name, logFile } });
  };

  const started = Date.now();
  let lastAnswer: string | undefined;
  for (;;) {
    const answer = await Promise.race([probe(`${httpUrl}/readyz`), exited.then(() => 'exited' as const)]);
    if (answer === 'exited' || hasExited()) {
      await Promise.race([drained, sleep(1_000)]);
      const how = child.signalCode !== null ? `on ${child.signalCode}` : `with code ${child.exitCode}`;
      throw errors.plugin.START_FAILED.create(`${name} exited ${how} before it was ready; see ${logFile}${tail.describe()}`, { details: { name, logFile } });
    }
    if (answer?.status === 200) break;
    const seen = answer === undefined ? undefined : `${answer.status} ${answer.body}`;
    if (seen !== lastAnswer) {
      lastAnswer = seen;
      lastProgress = Date.now();
    }
    if (lastProgress !== undefined && Date.now() - lastProgress > readyStallMs) await notReady(`showed no progress for ${readyStallMs} ms and is not ready`);
    if (Date.now() - started > readyTimeoutMs) await notReady(`was not ready within ${readyTimeoutMs} ms`);
    await Promise.race([sleep(PROBE_INTERVAL_MS), exited]);
  }
  return { name, pid: child.pid!, httpUrl, logFile, configFile, child, stop, kill };
}

/** The /readyz answer (status and the start of its body), or undefined while nothing answers. */
async function probe(url: string): Promise<{ status: number; body: string } | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const body = await response.text();
    return { status: response.status, body: body.slice(0, 4_096) };
  } catch {
    return undefined;
  }
}
