import { tmpdir } from 'node:os';
import { coreServices, definePlugin, type ContainersService, type LoggerService, type MetricsService } from '@lpx/sdk';
import { runtimeDockerPlugin } from '@lpx/plugin-runtime-docker';
import { testDocker } from '../../helpers/docker.js';
import { makeHost, type Teardownable } from '../../helpers/host.js';
import { testManifest } from '../../helpers/plugins.js';

export interface KernelServices {
  readonly containers: ContainersService;
  readonly logger: LoggerService;
  readonly metrics: MetricsService;
  readonly dataDir: string;
  /** The node's /metrics text. */
  metricsText(): Promise<string>;
}

/**
 * A real node (kernel + runtime-docker on the shared test dockerd, or no
 * runtime at all) and a probe plugin that hands its coreServices to the
 * test, so the runners executor is driven directly against the kernel's
 * plugin-scoped containers facade. Containers it leaves are removed at teardown.
 */
export async function kernelServices(t: Teardownable, options: { readonly docker: boolean; readonly pluginId?: string }): Promise<KernelServices> {
  let captured: Omit<KernelServices, 'metricsText'> | undefined;
  const probe = definePlugin({
    // As the ai-runners manifest asks (docker, gpu, fs), with the temp folders tests keep models in granted.
    manifest: testManifest(options.pluginId ?? 'ai-runners-probe', { permissions: ['docker', 'gpu', 'fs'], grants: { fs: { paths: [{ path: tmpdir(), access: 'rw' }] } }, requires: { services: ['core.containers', 'core.logger', 'core.metrics', 'core.config'] } }),
    register(reg) {
      reg.registerInit({
        deps: { containers: coreServices.containers, logger: coreServices.logger, metrics: coreServices.metrics, config: coreServices.config },
        init: ({ containers, logger, metrics, config }) => void (captured = { containers, logger, metrics, dataDir: config.dataDir }),
      });
    },
  });
  const raw: Record<string, unknown> = {};
  const plugins = [probe];
  if (options.docker) {
    const { dockerHost } = await testDocker(t);
    plugins.unshift(runtimeDockerPlugin);
    raw.plugins = { 'runtime-docker': { config: { host: dockerHost } } };
  }
  const host = makeHost(t, plugins, raw);
  await host.start();
  const services = captured!;
  // Registered after the host's own teardown, so it runs first (tap runs teardowns last-in first-out).
  t.teardown(async () => {
    const left = await services.containers.list().catch(() => []);
    await Promise.all(left.map((c) => services.containers.remove(c.id, { force: true }).catch(() => undefined)));
  });
  return { ...services, metricsText: async () => (await fetch(`${host.url}/metrics`)).text() };
}
