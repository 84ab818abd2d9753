// The BYOC → Live Runner bridge on an lpx orchestrator (offchain), with a
// test double of `byoc.hosted` (the real provider, the byoc-host plugin, is
// built in parallel) serving a real runner app: a ready hosted app appears in
// /discovery as `byoc/<name>` at /apps/<name>/..., sessions reach the app, an
// app whose price is not a whole wei per unit is left out, and an app that
// goes away is removed with its sessions.
import t from 'tap';
import { byocHostedServiceRef, coreServices, definePlugin, type ByocAppSpec, type CapabilitiesService, type HostedByocApp } from '@lpx/sdk';
import { byocLiveRunnerPlugin, hostedRunner } from '../../../plugins/byoc-live-runner/src/index.js';
import { call } from '../live-runner/helpers/live-runner-client.js';
import { startLiveRunnerNode, until } from '../live-runner/helpers/node.js';
import { startRunnerApp } from '../live-runner/helpers/runner-app.js';

/** Test double of the byoc-host plugin's service: a list the test edits. */
function hostedDouble() {
  let apps: HostedByocApp[] = [];
  const listeners = new Set<(apps: readonly HostedByocApp[]) => void>();
  const plugin = definePlugin({
    manifest: { id: 'byoc-hosted-double', version: '0.1.0', host: '^0.1.0', provides: { services: ['byoc.hosted'] } },
    register(reg) {
      reg.registerInit({ deps: {}, init: () => undefined });
      reg.registerService(byocHostedServiceRef, {
        deps: {},
        factory: () => ({ list: () => apps, get: (name: string) => apps.find((a) => a.name === name), onChange: (l: (apps: readonly HostedByocApp[]) => void) => (listeners.add(l), () => listeners.delete(l)) }),
      });
    },
  });
  return {
    plugin,
    set(next: HostedByocApp[]) {
      apps = next;
      for (const listener of listeners) listener(apps);
    },
  };
}

function hosted(name: string, url: string, spec: Partial<ByocAppSpec>, price: HostedByocApp['price']): HostedByocApp {
  return {
    name,
    capabilityId: `byoc/${name}`,
    pluginId: 'partner-plugin',
    version: '1.2.3',
    spec: { name, description: 'test app', mode: 'request-response', price, capacity: 2, ...spec } as ByocAppSpec,
    price,
    capacity: 2,
    url,
    healthUrl: `${url}/health`,
    healthyStatus: 200,
    ready: true,
    gpus: ['0'],
  };
}

t.test('hostedRunner maps a hosted app to a static runner, exactly', async (t) => {
  const app = hosted('echo', 'http://127.0.0.1:9', { mode: 'websocket' }, { unit: 'second', pricePerUnit: '3000', pixelsPerUnit: '3' });
  const converted = hostedRunner(app);
  t.same(converted, {
    ok: true,
    runner: { label: 'echo', routing: 'label', runnerUrl: 'http://127.0.0.1:9', healthUrl: 'http://127.0.0.1:9/health', healthyStatusCode: 200, app: 'byoc/echo', version: '1.2.3', mode: 'persistent', capacity: 2, gpu: { id: '0' }, price: { price: '1000', unit: 'seconds' } },
  });
  t.same(hostedRunner(hosted('x', 'http://h', {}, { unit: 'request', pricePerUnit: '10', pixelsPerUnit: '3' })), { ok: false, reason: 'price 10/3 wei is not a whole number of wei per fixed' });
  const free = hostedRunner(hosted('f', 'http://h', {}, { unit: 'request', pricePerUnit: '0' }));
  t.ok(free.ok && free.runner.price === undefined && free.runner.mode === 'single-shot', 'a zero price is free; request-response is single-shot');
});

t.test('ready hosted apps become live runners and leave with their sessions', async (t) => {
  const runnerApp = await startRunnerApp();
  t.teardown(() => runnerApp.close());
  const double = hostedDouble();
  double.set([
    hosted('echo', runnerApp.url, { mode: 'websocket' }, { unit: 'second', pricePerUnit: '5' }),
    hosted('oneshot', runnerApp.url, { mode: 'request-response' }, { unit: 'request', pricePerUnit: '7' }),
    hosted('odd', runnerApp.url, {}, { unit: 'request', pricePerUnit: '10', pixelsPerUnit: '3' }),
  ]);
  const { uri } = await startLiveRunnerNode(t, { extraPlugins: [double.plugin, byocLiveRunnerPlugin] });

  const discovered = () => call(`${uri}/discovery`).then((d) => d.json<{ runners?: { url: string; app: string; mode: string; capacity: number }[] }[]>()[0]!.runners ?? []);
  const runners = await discovered();
  t.same(
    runners.map((r) => [r.app, r.url, r.mode, r.capacity]).sort(),
    [
      ['byoc/echo', `${uri}/apps/echo/session`, 'persistent', 2],
      ['byoc/oneshot', `${uri}/apps/oneshot/app`, 'single-shot', 2],
    ],
    'each ready app by its name; the unrepresentable price is left out',
  );

  const session = (await call(`${uri}/apps/echo/session`, { method: 'POST' })).json<{ app_url: string }>();
  const seen = (await call(`${session.app_url}/v1/hello`)).json<{ path: string; headers: Record<string, string> }>();
  t.equal(seen.path, '/v1/hello');
  t.equal(seen.headers['livepeer-runner-route'], 'echo');
  t.equal((await call(`${uri}/apps/oneshot/app/run`, { method: 'POST', body: '{}' })).status, 200);

  double.set([hosted('oneshot', runnerApp.url, { mode: 'request-response' }, { unit: 'request', pricePerUnit: '7' })]);
  await until(async () => ((await discovered()).some((r) => r.app === 'byoc/echo') ? undefined : true), 'the gone app to leave discovery');
  t.equal((await call(`${session.app_url}/v1/hello`)).status, 404, 'its session went with it');
  t.ok((await discovered()).some((r) => r.app === 'byoc/oneshot'), 'the others stay');
});

t.test('an app whose capability the node holds at capacity 0 (a revoked release) leaves the Live Runner route, and comes back', async (t) => {
  const runnerApp = await startRunnerApp();
  t.teardown(() => runnerApp.close());
  const double = hostedDouble();
  double.set([hosted('revocable', runnerApp.url, { mode: 'request-response' }, { unit: 'request', pricePerUnit: '7' })]);
  // What byoc-host does for a hosted app (its capability at run time), and what the revocation watch then does (capacity 0).
  let capabilities: CapabilitiesService | undefined;
  const registrar = definePlugin({
    manifest: { id: 'capability-registrar', version: '0.1.0', host: '^0.1.0', requires: { services: ['core.capabilities'] } },
    register(reg) {
      reg.registerInit({ deps: { capabilities: coreServices.capabilities }, init: (deps) => void (capabilities = deps.capabilities) });
    },
  });
  const { uri } = await startLiveRunnerNode(t, { extraPlugins: [double.plugin, registrar, byocLiveRunnerPlugin] });
  capabilities!.register({ id: 'byoc/revocable', version: 1, mode: 'request-response', workUnit: 'request', priceUnit: 'wei/request', capacity: 2 });
  const listed = async () => (await call(`${uri}/discovery`)).json<{ runners?: { app: string }[] }[]>()[0]!.runners?.some((r) => r.app === 'byoc/revocable') ?? false;
  t.ok(await listed(), 'served while its capability has capacity');

  capabilities!.setCapacity('byoc/revocable', 0);
  await until(async () => ((await listed()) ? undefined : true), 'the withdrawn app to leave discovery');
  t.equal((await call(`${uri}/apps/revocable/app/run`, { method: 'POST', body: '{}' })).status, 404, 'and its route answers 404');

  capabilities!.setCapacity('byoc/revocable', 2);
  await until(async () => ((await listed()) ? true : undefined), 'the app to come back');
  t.equal((await call(`${uri}/apps/revocable/app/run`, { method: 'POST', body: '{}' })).status, 200);
});
