import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export interface RunOptions {
  readonly stdin?: Uint8Array | string;
  /** A stuck engine must not hold a request forever. */
  readonly timeoutMs?: number;
  readonly cwd?: string;
}

/** Thrown when an engine binary is not installed (spawn ENOENT). */
export class EngineMissingError extends Error {
  constructor(readonly binary: string) {
    super(`${binary} is not installed`);
    this.name = 'EngineMissingError';
  }
}

/** Runs a binary without a shell (arguments are never interpreted) and collects its output. */
export function runProcess(binary: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      // Keep the tail only: it holds the reason.
      err = (err + chunk.toString('utf8')).slice(-8192);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new EngineMissingError(binary) : error);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: err });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin === undefined ? undefined : options.stdin);
  });
}

/** Runs and throws (with stderr's last line) unless the exit code is 0. */
export async function runChecked(binary: string, args: readonly string[], options: RunOptions = {}): Promise<Buffer> {
  const result = await runProcess(binary, args, options);
  if (result.code !== 0) {
    const lines = result.stderr.trim().split('\n');
    throw new Error(`${binary} exited with ${result.code ?? 'a signal'}: ${lines[lines.length - 1] ?? ''}`);
  }
  return result.stdout;
}

/** A scratch directory for one request, removed afterwards whatever happens. */
export async function withWorkDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-runner-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
