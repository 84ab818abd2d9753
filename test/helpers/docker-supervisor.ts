/**
 * The shared test engine's keeper, started detached by test/helpers/docker.ts:
 * runs one dockerd (runtime-docker's own-engine launcher) on a stable state
 * dir so images built by one tap run are reused by the next, removes what
 * crashed runs left behind, and stops the engine when no test process has
 * held a lease for a while — or at once after tap's after script asked and
 * the last lease is gone. It never outlives an idle machine.
 *
 *   node --import tsx test/helpers/docker-supervisor.ts <state dir>
 */
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import Dockerode from 'dockerode';
import { startOwnDockerd } from '../../plugins/runtime-docker/src/engine/dockerd-process.js';
import { pidAlive, testDockerPaths } from './docker-state.js';

const paths = testDockerPaths(process.argv[2]);
const IDLE_MS = Number(process.env['LPX_TEST_DOCKER_IDLE_MS'] ?? 10 * 60_000);
/** After a stop request, how long an empty lease dir must stay empty: the next test file of a run may be starting. */
const REQUESTED_GRACE_MS = 5_000;
const log = (line: string): void => void process.stdout.write(`${new Date().toISOString()} ${line}\n`);

async function liveLeases(): Promise<number> {
  const names = await readdir(paths.leases).catch(() => [] as string[]);
  let live = 0;
  for (const name of names) {
    if (pidAlive(Number(name))) live++;
    else await rm(join(paths.leases, name), { force: true });
  }
  return live;
}

async function removeLeftovers(socketPath: string): Promise<void> {
  const docker = new Dockerode({ socketPath });
  const containers = await docker.listContainers({ all: true });
  for (const container of containers) await docker.getContainer(container.Id).remove({ force: true, v: true }).catch(() => undefined);
  if (containers.length > 0) log(`removed ${containers.length} containers left by earlier runs`);
}

async function main(): Promise<void> {
  const engine = await startOwnDockerd({ stateDir: join(paths.dir, 'engine'), startTimeoutMs: 60_000 });
  log(`dockerd pid ${engine.pid} on ${engine.socketPath}${engine.adopted ? ' (adopted)' : ''}`);
  await removeLeftovers(engine.socketPath).catch((error: unknown) => log(`leftover cleanup failed: ${String(error)}`));
  await writeFile(paths.supervisorPid, `${process.pid}\n`);
  let stopping = false;
  const stop = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`stopping: ${why}`);
    try {
      await rm(paths.supervisorPid, { force: true });
      await engine.stop();
      await rm(paths.stopRequested, { force: true });
      log('stopped');
    } catch (error) {
      log(`stop failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
    process.exit(0);
  };
  process.on('uncaughtException', (error) => log(`uncaught: ${error.stack ?? String(error)}`));
  process.on('unhandledRejection', (error) => log(`unhandled rejection: ${error instanceof Error ? error.stack : String(error)}`));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  let lastBusy = Date.now();
  for (;;) {
    await sleep(1_000);
    if (stopping) continue;
    if (!engine.alive()) {
      await rm(paths.supervisorPid, { force: true });
      log('dockerd exited on its own');
      process.exit(1);
    }
    if ((await liveLeases()) > 0) {
      lastBusy = Date.now();
      continue;
    }
    const idle = Date.now() - lastBusy;
    if (stopping) continue;
    if (existsSync(paths.stopRequested) && idle >= REQUESTED_GRACE_MS) await stop('tap run ended and no test holds a lease');
    else if (idle >= IDLE_MS) await stop(`idle for ${Math.round(idle / 1000)} s`);
  }
}

main().catch(async (error: unknown) => {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  await rm(paths.supervisorPid, { force: true });
  process.exit(1);
});
