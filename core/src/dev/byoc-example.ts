/**
 * The dev network's BYOC partner (`lpx dev up --byoc`): the example plugin in
 * examples/byoc-echo-plugin, installed into the dev data dir the way a
 * partner ships it. Its image is built here, FROM `lpx/busybox:<version>`
 * (made by the same code as `lpx images base`), on the dev network's own
 * dockerd; saved as the package's archive; and its image id pinned in the
 * installed copy's manifest. A build is not byte-reproducible (image
 * configs carry creation times), so the digest is pinned per machine, at
 * install, not in the repository (ADR 0046). The engine keeps the image, so
 * later runs reuse it and the digest stays the same.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ByocAppSpec, PluginManifest } from '@lpx/sdk';
import { ensureBusyboxBase } from '../cli/partner/busybox-base.js';
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

/** Copies the example into `targetDir`, builds and saves its image through `runtimeConfig` (runtime-docker's config), pins the digest. */
export async function installByocExample(targetDir: string, runtimeConfig: Record<string, unknown>, onProgress?: (line: string) => void): Promise<InstalledByocExample> {
  await mkdir(targetDir, { recursive: true });
  for (const entry of ['index.js', 'package.json', 'plugin.manifest.json', 'container']) await cp(join(BYOC_EXAMPLE_DIR, entry), join(targetDir, entry), { recursive: true });
  const manifestPath = join(targetDir, 'plugin.manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as PluginManifest & { byoc: ByocAppSpec & { container: { image: string; archive: string } } };
  const { image, archive } = manifest.byoc.container;
  const digest = await withNodeRuntime({ runtimeConfig }, async ({ runtime, dockerHost }) => {
    const base = await ensureBusyboxBase(runtime, onProgress ? { onProgress } : {});
    const version = base.ref.slice(base.ref.lastIndexOf(':') + 1);
    const built = await runtime.ensureImage({ ref: image, source: { kind: 'build', contextDir: join(targetDir, 'container'), buildArgs: { BUSYBOX_VERSION: version } } }, onProgress ? { onProgress } : {});
    // The runtime has no `save`: the docker CLI on the same engine writes the archive, as a partner's build script does.
    await mkdir(dirname(join(targetDir, archive)), { recursive: true });
    await promisify(execFile)('docker', ['save', '-o', join(targetDir, archive), image], { env: { ...process.env, ...(dockerHost !== undefined ? { DOCKER_HOST: dockerHost } : {}) } });
    return built.id;
  });
  await writeFile(manifestPath, `${JSON.stringify({ ...manifest, byoc: { ...manifest.byoc, container: { ...manifest.byoc.container, digest } } }, null, 2)}\n`);
  // index.js imports @lpx/sdk, which must resolve from the data dir.
  linkSdkInto(targetDir);
  return { dir: targetDir, pluginId: manifest.id, app: manifest.byoc.name, digest };
}
