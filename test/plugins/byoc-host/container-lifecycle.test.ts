// byoc-host's container side on the shared test engine, through the
// kernel's own per-plugin containers service: a node that crashed leaves
// its app containers behind and the next run adopts the ones that match
// (and replaces the rest); the watchdog restarts an instance that stops
// answering its health check and reports healthy instances as they go and
// come back.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import t, { type Test } from 'tap';
import Dockerode from 'dockerode';
import { pino } from 'pino';
import type { ByocAppContribution, ContainersService, LoggerService } from '@lpx/sdk';
import { pluginContainers } from '../../../core/src/containers/plugin-containers.js';
import { planApp, resolveConfig } from '../../../plugins/byoc-host/src/index.js';
import { ContainerApp } from '../../../plugins/byoc-host/src/container-app.js';
import { byocTestApp, type ByocTestApp } from '../../helpers/byoc-test-app.js';
import { testDocker } from '../../helpers/docker.js';

const logger = pino({ level: 'silent' }) as unknown as LoggerService;

async function service(t: Test, app: ByocTestApp): Promise<ContainersService> {
  const containers = pluginContainers({
    pluginId: 'byoc-host',
    ownerId: `test-${randomBytes(4).toString('hex')}`,
    ready: async () => app.runtime,
    status: async () => ({ available: true, runtime: 'docker' }),
  });
  t.teardown(async () => {
    for (const c of await containers.list()) await containers.remove(c.id, { force: true });
  });
  return containers;
}

function contribution(app: ByocTestApp, name: string): ByocAppContribution {
  return {
    pluginId: 'partner',
    pluginVersion: '1.0.0',
    packageDir: '/nonexistent',
    spec: { name, description: 'test', mode: 'request-response', price: { unit: 'second', pricePerUnit: '1' }, capacity: 1, container: { image: app.ref, digest: app.digest, port: app.port } },
  };
}

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

t.test('a restarted node adopts the containers that match what it would create, and replaces the others', async (t) => {
  const app = await byocTestApp(t);
  const containers = await service(t, app);
  // A watchdog that never ticks: the first run "crashes" by being dropped without stopping.
  const config = resolveConfig({ watchIntervalMs: 3_600_000 });
  const make = (env: Record<string, string> = {}) =>
    new ContainerApp({ containers, plan: planApp(contribution(app, 'adopt-me'), { instances: 2, env }), config, nodeTag: 'adopt', logger, onHealthy: () => undefined });

  const first = make();
  await first.start();
  const before = (await containers.list()).map((c) => c.id).sort();
  t.equal(before.length, 2, 'two instances');

  const second = make();
  await second.start();
  t.same((await containers.list()).map((c) => c.id).sort(), before, 'both adopted: same containers');
  t.equal(second.healthy, 2);

  const third = make({ CHANGED: '1' });
  await third.start();
  const after = (await containers.list()).map((c) => c.id).sort();
  t.equal(after.length, 2, 'still two instances');
  t.same(after.filter((id) => before.includes(id)), [], 'a changed spec replaced every container');
  await third.stop();
  t.same(await containers.list(), [], 'stop removes them');
});

t.test('the watchdog restarts an instance that fails its health checks and reports it healthy again', async (t) => {
  const app = await byocTestApp(t);
  const containers = await service(t, app);
  const { socketPath } = await testDocker(t);
  const docker = new Dockerode({ socketPath });
  const reports: number[] = [];
  const config = resolveConfig({ watchIntervalMs: 200, watchFailures: 2, healthMs: 1_000, pollMs: 100, startTimeoutMs: 30_000 });
  const running = new ContainerApp({ containers, plan: planApp(contribution(app, 'watched')), config, nodeTag: 'watch', logger, onHealthy: (healthy) => void reports.push(healthy) });
  t.teardown(() => running.stop());
  await running.start();
  const [container] = await containers.list();
  const startedAt = (await docker.getContainer(container!.id).inspect()).State.StartedAt;

  const exec = async (cmd: string[]) => {
    const run = await docker.getContainer(container!.id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await run.start({});
    await new Promise<void>((resolve) => (stream.on('end', resolve), stream.resume()));
  };
  await exec(['/bin/mv', '/www/health', '/www/health.off']);
  await until(() => reports.includes(0), 'reported unhealthy');
  t.equal(running.pick(), undefined, 'no instance takes work while it is down');
  await until(async () => (await docker.getContainer(container!.id).inspect()).State.StartedAt !== startedAt, 'restarted');
  t.pass('the container was restarted');

  await until(async () => (await docker.getContainer(container!.id).inspect()).State.Running, 'running again');
  await exec(['/bin/mv', '/www/health.off', '/www/health']);
  await until(() => reports.at(-1) === 1, 'reported healthy again');
  t.ok(running.pick(), 'it takes work again');
});
