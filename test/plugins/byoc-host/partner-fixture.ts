/**
 * What a BYOC partner ships, for the hosting tests: a plugin package folder
 * holding the test app's `docker save` archive, a manifest with a `byoc`
 * section, and the plugin defineByocPlugin makes of it. Also a plugin that
 * hands the test `byoc.hosted`.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pipeline } from 'node:stream/promises';
import Dockerode from 'dockerode';
import { byocHostedServiceRef, defineByocPlugin, definePlugin, type ByocAppHooks, type ByocAppSpec, type ByocHostedService, type PluginDefinition } from '@lpx/sdk';
import type { ByocTestApp } from '../../helpers/byoc-test-app.js';
import { testDocker, type Teardownable } from '../../helpers/docker.js';

export const ARCHIVE = 'image/app.tar';

/**
 * The test app under a tag of its own that is NOT on the engine, saved as an
 * archive: the node must `docker load` it from the partner's package. The tag
 * is removed again at teardown.
 */
export async function unloadedApp(t: Teardownable, app: ByocTestApp): Promise<ByocTestApp> {
  const { socketPath } = await testDocker(t);
  const docker = new Dockerode({ socketPath });
  const repo = `lpx-byoc-partner-${randomBytes(4).toString('hex')}`;
  const ref = `${repo}:1`;
  await docker.getImage(app.ref).tag({ repo, tag: '1' });
  const archivePath = join(mkdtempSync(join(tmpdir(), 'lpx-byoc-archive-')), 'app.tar');
  await pipeline(await docker.getImage(ref).get(), createWriteStream(archivePath));
  await docker.getImage(ref).remove();
  t.teardown(() => docker.getImage(ref).remove().catch(() => undefined));
  return { ...app, ref, archivePath };
}

export function partnerPlugin(app: ByocTestApp, spec: Partial<ByocAppSpec> & { readonly name: string }, options: { readonly id?: string; readonly hooks?: ByocAppHooks } = {}): PluginDefinition {
  const packageDir = mkdtempSync(join(tmpdir(), 'lpx-byoc-partner-'));
  mkdirSync(join(packageDir, 'image'));
  mkdirSync(join(packageDir, 'dist'));
  copyFileSync(app.archivePath, join(packageDir, ARCHIVE));
  const byoc: ByocAppSpec = {
    description: 'echoes what it gets (busybox httpd CGI)',
    mode: 'request-response',
    price: { unit: 'second', pricePerUnit: '1000' },
    capacity: 2,
    container: { image: app.ref, digest: app.digest, archive: ARCHIVE, port: app.port },
    health: { path: '/health', status: 200 },
    ...spec,
  };
  return defineByocPlugin({
    manifest: {
      id: options.id ?? `partner-${spec.name}`,
      version: '1.0.0',
      host: '^0.1.0',
      description: 'a BYOC partner app (test)',
      requires: { extensionPoints: ['byoc.apps'] },
      permissions: ['docker'],
      byoc,
    },
    moduleUrl: pathToFileURL(join(packageDir, 'dist', 'index.js')).href,
    ...(options.hooks !== undefined ? { hooks: options.hooks } : {}),
  });
}

export function hostedGrabber(sink: { hosted?: ByocHostedService }): PluginDefinition {
  return definePlugin({
    manifest: { id: 'hosted-grabber', version: '0.1.0', host: '^0.1.0', description: 'test: exposes byoc.hosted', requires: { services: ['byoc.hosted'] } },
    register(reg) {
      reg.registerInit({ deps: { hosted: byocHostedServiceRef }, init: ({ hosted }) => void (sink.hosted = hosted) });
    },
  });
}
