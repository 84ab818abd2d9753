/**
 * `lpx dev up` starts Redis, anvil and several `lpx start` processes. If the
 * dev process itself is SIGKILLed it cannot stop them, and Linux gives a
 * Node child no parent-death signal; so a small detached watcher polls the
 * parent and, when it is gone, stops every process listed in a pid file:
 * SIGTERM, then SIGKILL after a grace period. A normal stop kills the
 * watcher after everything else.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const GRACE_MS = 5_000;
const POLL_MS = 500;

// Plain JavaScript run with `node -e`: it must not depend on the project's modules.
const WATCHER = `
const [parent, file, graceMs, pollMs] = process.argv.slice(1);
const fs = require('node:fs');
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const pids = () => { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return []; } };
const timer = setInterval(() => {
  if (alive(Number(parent))) return;
  clearInterval(timer);
  const list = pids();
  for (const pid of list) { try { process.kill(pid, 'SIGTERM'); } catch {} }
  setTimeout(() => {
    for (const pid of list) if (alive(pid)) { try { process.kill(pid, 'SIGKILL'); } catch {} }
    process.exit(0);
  }, Number(graceMs));
}, Number(pollMs));
`;

export interface OrphanReaper {
  /** Adds a process to stop if the parent dies. */
  track(pid: number): void;
  /** The parent stopped everything itself: the watcher is no longer needed. */
  stop(): void;
}

export function startOrphanReaper(pidFile: string, graceMs = GRACE_MS): OrphanReaper {
  const pids: number[] = [];
  writeFileSync(pidFile, '[]\n');
  const watcher = spawn(process.execPath, ['-e', WATCHER, String(process.pid), pidFile, String(graceMs), String(POLL_MS)], { detached: true, stdio: 'ignore' });
  watcher.unref();
  return {
    track(pid) {
      if (!Number.isInteger(pid) || pid <= 0) return;
      pids.push(pid);
      writeFileSync(pidFile, `${JSON.stringify(pids)}\n`);
    },
    stop() {
      try {
        watcher.kill('SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
