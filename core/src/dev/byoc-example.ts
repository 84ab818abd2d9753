/**
 * The dev network's BYOC partner (`lpx dev up --byoc`): the example plugin in
 * examples/byoc-echo-plugin, installed into the dev data dir the way a
 * partner ships it. Its image is built here, FROM `lpx/busybox:<version>`
 * (made by the same code as `lpx images base`), on the dev network's own
 * dockerd; saved as the package's archive; and its image id pinned in the
 * installed copy's manifest. A build is not byte-reproducible (image
 * configs carry creation times), so the digest is pinned per machine, at
 * install, not in the repository (ADR 0046). The archive and its id are
 * cached next to the dev dockerd's state, so later runs copy them in
 * without touching the engine.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, cp, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ByocAppSpec, PluginManifest } from '@lpx/sdk';
import { DEFAULT_BUSYBOX_PATH, ensureBusyboxBase } from '../cli/partner/busybox-base.js';
import { withNodeRuntime } from '../cli/node-runtime.js';
import { linkSdkInto } from '../plugins/load-plugins.js';

export const BYOC_EXAMPLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'byoc-echo-plugin');

export interface InstalledByocExample {
  /** The installed package: its index.js is the plugin module. */
  readonly dir: string;
  readonly pluginId: string;
  /** The app's name: its capability is `byoc/<name>`. */
  readonly app: string;
  readonly digest: string;
}

export interface InstallOptions {
  /**
   * Keep the archive and its image id here, keyed by the container files and the busybox binary:
   * a later install with the same inputs copies them and needs no engine (loading the archive
   * reproduces the same image id, whatever the engine holds).
   */
  readonly cacheDir?: string;
  readonly onProgress?: (line: string) => void;
}

/** The cache key: every file of the build context, and the busybox the base is made of. */
async function buildKey(containerDir: string): Promise<string> {
  const hash = createHash('sha256').update(await readFile(DEFAULT_BUSYBOX_PATH).catch(() => Buffer.alloc(0)));
  const entries = (await readdir(containerDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
  for (const file of entries) hash.update(file.slice(containerDir.length)).update('\0').update(await readFile(file));
  return hash.digest('hex').slice(0, 16);
}

/** Copies the example into `targetDir`, builds and saves its image through `runtimeConfig` (runtime-docker's config), pins the digest. */
export async function installByocExample(targetDir: string, runtimeConfig: Record<string, unknown>, options: InstallOptions = {}): Promise<InstalledByocExample> {
  const { onProgress } = options;
  await mkdir(targetDir, { recursive: true });
  for (const entry of ['index.js', 'package.json', 'plugin.manifest.json', 'container']) await cp(join(BYOC_EXAMPLE_DIR, entry), join(targetDir, entry), { recursive: true });
  const manifestPath = join(targetDir, 'plugin.manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as PluginManifest & { byoc: ByocAppSpec & { container: { image: string; archive: string } } };
  const { image, archive } = manifest.byoc.container;
  await mkdir(dirname(join(targetDir, archive)), { recursive: true });
  const key = await buildKey(join(targetDir, 'container'));
  const cached = options.cacheDir === undefined ? undefined : join(options.cacheDir, key);
  const hit = cached === undefined ? undefined : await readFile(join(cached, 'digest'), 'utf8').catch(() => undefined);
  const digest = hit !== undefined ? (await copyFile(join(cached!, 'app.tar'), join(targetDir, archive)), hit.trim()) : await build(targetDir, image, key, archive, runtimeConfig, onProgress);
  if (cached !== undefined && hit === undefined) {
    await mkdir(cached, { recursive: true });
    await copyFile(join(targetDir, archive), join(cached, 'app.tar'));
    // The digest file is written last (and renamed into place): its presence means the archive is whole.
    await writeFile(join(cached, 'digest.tmp'), `${digest}\n`);
    await rename(join(cached, 'digest.tmp'), join(cached, 'digest'));
  }
  await writeFile(manifestPath, `${JSON.stringify({ ...manifest, byoc: { ...manifest.byoc, container: { ...manifest.byoc.container, digest } } }, null, 2)}\n`);
  // index.js imports @lpx/sdk, which must resolve from the data dir.
  linkSdkInto(targetDir);
  return { dir: targetDir, pluginId: manifest.id, app: manifest.byoc.name, digest };
}

async function build(targetDir: string, image: string, key: string, archive: string, runtimeConfig: Record<string, unknown>, onProgress: ((line: string) => void) | undefined): Promise<string> {
  return withNodeRuntime({ runtimeConfig }, async ({ runtime, dockerHost }) => {
    const base = await ensureBusyboxBase(runtime, onProgress ? { onProgress } : {});
    const version = base.ref.slice(base.ref.lastIndexOf(':') + 1);
    // Built under a tag of its inputs (ensureImage keeps an image already present), then tagged as the manifest names it.
    const built = await runtime.ensureImage({ ref: `${image}-build-${key}`, source: { kind: 'build', contextDir: join(targetDir, 'container'), buildArgs: { BUSYBOX_VERSION: version } } }, onProgress ? { onProgress } : {});
    // The runtime has no `save`: the docker CLI on the same engine writes the archive, as a partner's build script does.
    const docker = (...args: string[]) => promisify(execFile)('docker', args, { env: { ...process.env, ...(dockerHost !== undefined ? { DOCKER_HOST: dockerHost } : {}) } });
    await docker('tag', `${image}-build-${key}`, image);
    await docker('save', '-o', join(targetDir, archive), image);
    return built.id;
  });
}
