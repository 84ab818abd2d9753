import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import type { PluginManifest } from '@lpx/sdk';
import { publishToLocalRegistry, type RegistryEntry } from '../../src/index.js';
import { writeTar } from '../../src/tarball/tar-write.js';
import { fixtureManifest, fixturePluginFolder, type FixtureDir, type FixtureOptions } from './fixture-plugin.js';

/** A fresh folder removed at teardown (a test needs several: registry, plugin folders, install dir). */
export function tempDir(t: Pick<Test, 'teardown'>, prefix = 'lpx-registry-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes a `t.testdir`-style spec (strings, Buffers, nested folders) under `dir`. */
export async function writeFixture(dir: string, spec: FixtureDir): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(spec)) {
    if (typeof content === 'string' || Buffer.isBuffer(content)) await writeFile(join(dir, name), content);
    else await writeFixture(join(dir, name), content as FixtureDir);
  }
}

/** Publishes a fixture plugin (manifest overrides merged onto the default fixture) into `root`. */
export async function publishFixture(t: Test, root: string, overrides: Partial<PluginManifest> = {}, options: Omit<FixtureOptions, 'manifest'> = {}): Promise<RegistryEntry> {
  const folder = tempDir(t, 'lpx-plugin-src-');
  await writeFixture(folder, fixturePluginFolder({ ...options, manifest: fixtureManifest(overrides) }));
  return (await publishToLocalRegistry(root, folder)).entry;
}

/** What an install folder holds: `<id>/<version>` pairs (dot folders are staging leftovers and would be a bug). */
export async function installedVersions(installDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const id of await readdir(installDir).catch(() => [] as string[])) {
    if (id === 'node_modules') continue;
    for (const version of await readdir(`${installDir}/${id}`).catch(() => [] as string[])) out.push(`${id}/${version}`);
  }
  return out.sort();
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface DockerSaveArchive {
  readonly tar: Buffer;
  /** The image id: `sha256:` + sha256 of the config JSON. */
  readonly digest: string;
}

/**
 * A `docker save` archive in Docker 25+'s layout (OCI blobs plus the legacy
 * manifest.json that `docker load` reads), built in memory: one layer tar
 * holding one file, a config whose rootfs.diff_ids names it, and
 * manifest.json tying both to `ref`. What Docker would produce, without
 * needing a Docker daemon in the test.
 */
export function dockerSaveArchive(ref: string, fileContent = 'hello from the image\n'): DockerSaveArchive {
  const layer = writeTar([{ path: 'app/hello.txt', content: Buffer.from(fileContent) }]);
  const layerHex = sha256Hex(layer);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['/bin/true'] },
      rootfs: { type: 'layers', diff_ids: [`sha256:${layerHex}`] },
      history: [{ created_by: 'fixture' }],
    }),
  );
  const configHex = sha256Hex(config);
  const manifest = Buffer.from(JSON.stringify([{ Config: `blobs/sha256/${configHex}`, RepoTags: [ref], Layers: [`blobs/sha256/${layerHex}`] }]));
  const tar = writeTar([
    { path: 'oci-layout', content: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
    { path: `blobs/sha256/${configHex}`, content: config },
    { path: `blobs/sha256/${layerHex}`, content: layer },
    { path: 'manifest.json', content: manifest },
  ]);
  return { tar, digest: `sha256:${configHex}` };
}

/** A manifest section for a BYOC app whose image ships in the package. */
export function byocManifest(digest: string, archive = 'image.tar'): Partial<PluginManifest> {
  return {
    permissions: ['docker'],
    byoc: {
      name: 'hello-app',
      description: 'fixture app',
      mode: 'request-response',
      price: { unit: 'request', pricePerUnit: '1000' },
      capacity: 1,
      container: { image: 'fixture/hello:1.0', digest, archive, port: 8080 },
    },
  } as Partial<PluginManifest>;
}
