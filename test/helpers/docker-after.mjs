// tap's `after` script (.taprc): the run is over, so the shared test engine
// (test/helpers/docker.ts) may stop. It stops at once when no other test
// process still holds a lease (another tap run on the machine); otherwise the
// supervisor stops it when the last lease is gone.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const dir = process.env.LPX_TEST_DOCKER_DIR ?? '/var/tmp/lpx-test-docker';
const alive = (pid) => {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

const pidFile = join(dir, 'supervisor.pid');
const supervisor = existsSync(pidFile) ? Number.parseInt(readFileSync(pidFile, 'utf8'), 10) : NaN;
if (alive(supervisor)) {
  writeFileSync(join(dir, 'stop-requested'), `${new Date().toISOString()}\n`);
  const leases = join(dir, 'leases');
  const live = (existsSync(leases) ? readdirSync(leases) : []).filter((name) => {
    if (alive(Number(name))) return true;
    rmSync(join(leases, name), { force: true });
    return false;
  });
  if (live.length === 0) {
    process.kill(supervisor, 'SIGTERM');
    // dockerd stops its containers first; wait so the run ends with the engine gone.
    for (let i = 0; i < 600 && alive(supervisor); i++) await sleep(100);
  }
}
