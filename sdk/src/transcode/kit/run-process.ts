import { spawn } from 'node:child_process';

export interface ProcessResult {
  /** Exit code; null when the process was killed or never started. */
  readonly code: number | null;
  readonly stdout: string;
  /** The tail of stderr (ffmpeg can be chatty; the end is where the cause is). */
  readonly stderr: string;
  /** The binary does not exist (ENOENT) or is not executable (EACCES). */
  readonly notFound: boolean;
  /** Killed because the caller's signal aborted. */
  readonly aborted: boolean;
  /** Killed because it outran `timeoutMs`. */
  readonly timedOut: boolean;
}

export interface RunProcessOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

const STDERR_TAIL_BYTES = 16 * 1024;
const STDOUT_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Runs a tool to completion and never throws. The child gets its own process
 * group and a kill takes the whole group: a wrapper script around ffmpeg
 * (vendor builds ship some) must not leave an encoder holding a device
 * session after we gave up on it.
 */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const base = { code: null, stdout: '', stderr: '', notFound: false, aborted: false, timedOut: false };
    if (options.signal?.aborted) {
      resolve({ ...base, aborted: true });
      return;
    }
    const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let aborted = false;
    let timedOut = false;
    let settled = false;

    const kill = (): void => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const onAbort = (): void => {
      aborted = true;
      kill();
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (result: ProcessResult): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };

    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < STDOUT_MAX_BYTES) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const notFound = error.code === 'ENOENT' || error.code === 'EACCES';
      finish({ ...base, stderr: notFound ? '' : error.message, notFound });
    });
    child.on('close', (code) => finish({ code, stdout, stderr, notFound: false, aborted, timedOut }));
  });
}
