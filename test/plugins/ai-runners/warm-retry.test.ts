import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import t from 'tap';
import type { ContainerSpec, ContainersService } from '@lpx/sdk';
import { testDocker, type Teardownable } from '../../helpers/docker.js';
import { referenceRunnerImage } from '../../helpers/reference-runner-image.js';
import { kernelServices } from './containers-probe.js';
import { modelsDir, runnersExecutor, until } from './runner-fixtures.js';

/** Short backoff so a retry comes within a second; the policy itself is tested in plugins/ai-runners/test. */
const RETRY = { warmRetryMs: 200, warmRetryMaxMs: 1_000 };

/** Tags the reference image under `ref` (an operator's `docker tag`/`docker load`); the tag is removed at teardown. */
async function tagAs(t: Teardownable, docker: Docker, source: string, ref: string): Promise<void> {
  const [repo, tag] = ref.split(':') as [string, string];
  await docker.getImage(source).tag({ repo, tag });
  t.teardown(() => docker.getImage(ref).remove({ noprune: true }).catch(() => undefined));
}

t.test('a warm start whose image is missing is retried and comes up once the image appears; nothing leaks', async (t) => {
  const { socketPath } = await testDocker(t);
  const docker = new Docker({ socketPath });
  const reference = await referenceRunnerImage(t);
  const kernel = await kernelServices(t, { docker: true });
  const override = `lpx-test/warm-retry-missing:${randomBytes(4).toString('hex')}`;
  const executor = runnersExecutor(t, kernel, {
    aiModels: [{ pipeline: 'llm', model_id: 'warm/retry', warm: true }],
    aiRunnerImageOverrides: { default: override },
    modelsDir: modelsDir(t),
    timeouts: RETRY,
  });
  executor.start();
  await executor.warmed();
  t.equal(executor.offers()[0]!.capacity, 0, 'the first attempt failed: nothing offered');
  t.same(await kernel.containers.list(), [], 'no container was left by the failed attempt');
  await tagAs(t, docker, reference.ref, override);
  await until(() => executor.offers()[0]!.capacity === 1, 'a retry to start the warm runner once the image is there');
  const left = await kernel.containers.list();
  t.equal(left.length, 1, 'exactly the one live runner exists');
  t.equal(left[0]!.state, 'running');
  await executor.close();
  t.same(await kernel.containers.list(), [], 'stop removes it');
});

t.test('a warm runner whose container exits at once is removed and retried; it comes up once the image is fixed', async (t) => {
  const { socketPath } = await testDocker(t);
  const docker = new Docker({ socketPath });
  const reference = await referenceRunnerImage(t);
  const kernel = await kernelServices(t, { docker: true });
  // A runner image that dies on start (a bad build an operator will fix by tagging a good one).
  const override = `lpx-test/warm-retry-broken:${randomBytes(4).toString('hex')}`;
  const context = await mkdtemp(join(tmpdir(), 'lpx-broken-runner-'));
  t.teardown(() => rm(context, { recursive: true, force: true }));
  await writeFile(join(context, 'Dockerfile'), `FROM ${reference.ref}\nENTRYPOINT ["/bin/false"]\n`);
  const broken = await kernel.containers.ensureImage({ ref: override, source: { kind: 'build', contextDir: context } });
  t.teardown(() => docker.getImage(broken.id).remove({ force: true }).catch(() => undefined));
  const created: string[] = [];
  const watched = observe(kernel.containers, { create: (spec) => void created.push(spec.image) });
  const executor = runnersExecutor(t, { ...kernel, containers: watched }, {
    aiModels: [{ pipeline: 'text-to-speech', model_id: 'warm/exits', warm: true }],
    aiRunnerImageOverrides: { batch: { 'text-to-speech': override } },
    modelsDir: modelsDir(t),
    timeouts: RETRY,
  });
  executor.start();
  await executor.warmed();
  t.ok(created.length >= 1, 'a container was created for the first attempt');
  t.equal(executor.offers()[0]!.capacity, 0, 'it exited: nothing offered');
  t.same(await kernel.containers.list(), [], 'the exited container was removed, not left behind');
  await until(() => created.length >= 2, 'a second attempt');
  // Fixed by the operator: the good image under the same tag (the broken one stays until teardown, untagged).
  await tagAs(t, docker, reference.ref, override);
  await until(() => executor.offers()[0]!.capacity === 1, 'a retry to start the runner from the fixed image');
  const left = await kernel.containers.list();
  t.equal(left.length, 1, 'only the live runner exists: every failed attempt removed its container');
  t.equal(left[0]!.state, 'running');
});

t.test('warm starts take turns: never more than warmConcurrency at once', async (t) => {
  const kernel = await kernelServices(t, { docker: true });
  const models = ['llm', 'text-to-image', 'text-to-speech', 'image-to-text', 'llm'].map((pipeline, i) => ({ pipeline, model_id: `warm/${i}`, warm: true }));
  // Container starts are held until the test lets them through. Containers created and not yet let through
  // belong to attempts in flight: with turns of 2 there are never more than 2 of them.
  const held: (() => void)[] = [];
  let passThrough = false;
  let created = 0;
  let released = 0;
  let mostUnreleased = 0;
  const release = (): void => void released++;
  const watched = observe(kernel.containers, {
    create: () => {
      created++;
      mostUnreleased = Math.max(mostUnreleased, created - released);
    },
    start: () => (passThrough ? release() : new Promise<void>((resolve) => held.push(() => (release(), resolve())))),
  });
  t.teardown(() => held.splice(0).forEach((go) => go()));
  const executor = runnersExecutor(t, { ...kernel, containers: watched }, {
    aiModels: models,
    containersPerGpu: models.length,
    warmConcurrency: 2,
    modelsDir: modelsDir(t),
  });
  executor.start();
  await until(() => held.length >= 2, 'two starts in flight at once');
  t.equal(created, 2, 'two creates, then none while both their starts are held');
  passThrough = true;
  for (const go of held.splice(0)) go();
  await executor.warmed();
  t.equal((await kernel.containers.list()).filter((c) => c.state === 'running').length, models.length, 'every warm runner started');
  t.equal(created, models.length, 'one create per runner');
  t.equal(mostUnreleased, 2, 'never more than two containers whose start was not through yet');
  t.same(executor.warmStarts(), { inFlight: 0, peak: 2 }, 'two ran at once, never more');
});

/** The kernel's containers facade with a hook before chosen calls (observation only: the real engine does the work). */
function observe(containers: ContainersService, hooks: { readonly create?: (spec: ContainerSpec) => unknown; readonly start?: (id: string) => unknown }): ContainersService {
  return new Proxy(containers, {
    get(target, prop, receiver) {
      if (prop === 'create' && hooks.create) {
        return async (spec: ContainerSpec) => {
          await hooks.create!(spec);
          return target.create(spec);
        };
      }
      if (prop === 'start' && hooks.start) {
        return async (id: string) => {
          await hooks.start!(id);
          return target.start(id);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
