/**
 * Files the shared test engine keeps in its state dir, shared by the helper
 * (test processes), the supervisor and tap's after script. Plain node, no
 * dependencies beyond the file system.
 */
import { join } from 'node:path';

export const DEFAULT_TEST_DOCKER_DIR = '/var/tmp/lpx-test-docker';

export interface TestDockerPaths {
  readonly dir: string;
  /** One file per test process using the engine, named by its pid. */
  readonly leases: string;
  readonly supervisorPid: string;
  readonly supervisorLog: string;
  /** Held (exclusive create) by whoever starts the supervisor. */
  readonly startLock: string;
  /** Written by tap's after script: stop as soon as no test process holds a lease. */
  readonly stopRequested: string;
}

export function testDockerPaths(dir = process.env['LPX_TEST_DOCKER_DIR'] ?? DEFAULT_TEST_DOCKER_DIR): TestDockerPaths {
  return {
    dir,
    leases: join(dir, 'leases'),
    supervisorPid: join(dir, 'supervisor.pid'),
    supervisorLog: join(dir, 'supervisor.log'),
    startLock: join(dir, 'start.lock'),
    stopRequested: join(dir, 'stop-requested'),
  };
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
