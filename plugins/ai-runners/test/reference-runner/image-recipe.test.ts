import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '@lpx/sdk';
import {
  bundleRunner,
  defaultRootfsCacheDir,
  detectMirror,
  ensureRootfsTarball,
  recipeHash,
  REFERENCE_ROOTFS_RECIPE,
  rootfsTarballPath,
} from '../../src/reference-image/index.js';

t.test('recipe hash: stable, and changed by any package or trimmed path', async (t) => {
  const hash = recipeHash(REFERENCE_ROOTFS_RECIPE);
  t.match(hash, /^[0-9a-f]{16}$/);
  t.equal(recipeHash({ ...REFERENCE_ROOTFS_RECIPE, packages: [...REFERENCE_ROOTFS_RECIPE.packages].reverse() }), hash, 'package order does not matter');
  t.not(recipeHash({ ...REFERENCE_ROOTFS_RECIPE, packages: [...REFERENCE_ROOTFS_RECIPE.packages, 'curl'] }), hash);
  t.not(recipeHash({ ...REFERENCE_ROOTFS_RECIPE, trim: [] }), hash);
});

t.test('mirror: the Debian archive apt uses for the suite (deb822 or one-line), else deb.debian.org', async (t) => {
  const deb822 = t.testdir({
    'sources.list.d': {
      'debian.sources': 'Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\n\nTypes: deb\nURIs: http://mirror.example/debian/\nSuites: bookworm bookworm-updates\nComponents: main\n',
      'other.list': 'deb https://packages.example.com/apt cloud-sdk-bookworm main\n',
    },
  });
  t.equal(await detectMirror('bookworm', deb822), 'http://mirror.example/debian');
  const oneLine = t.testdir({ 'sources.list': '# comment\ndeb [arch=amd64] http://ftp.example.org/debian bookworm main\n' });
  t.equal(await detectMirror('bookworm', oneLine), 'http://ftp.example.org/debian');
  t.equal(await detectMirror('bookworm', t.testdir({})), 'http://deb.debian.org/debian');
});

t.test('rootfs cache: LPX_RUNNER_ROOTFS_CACHE, else XDG_CACHE_HOME, else ~/.cache; a cached tarball is used as is', async (t) => {
  t.equal(defaultRootfsCacheDir({ LPX_RUNNER_ROOTFS_CACHE: '/x' }), '/x');
  t.equal(defaultRootfsCacheDir({ XDG_CACHE_HOME: '/c' }), '/c/lpx/runner-rootfs');
  t.match(defaultRootfsCacheDir({}), /\/\.cache\/lpx\/runner-rootfs$/);
  const cacheDir = t.testdir({});
  const path = rootfsTarballPath({ cacheDir });
  await mkdir(cacheDir, { recursive: true });
  await writeFile(path, 'tarball');
  t.same(await ensureRootfsTarball({ cacheDir }), { path, recipeHash: recipeHash(REFERENCE_ROOTFS_RECIPE), sizeBytes: 7 });
});

t.test('rootfs build failure is a coded error with debootstrap\'s last lines', async (t) => {
  const cacheDir = t.testdir({});
  // A mirror that refuses: debootstrap fails fast, before downloading anything.
  const error = await ensureRootfsTarball({ cacheDir, mirror: 'http://127.0.0.1:9/debian' }).catch((e: unknown) => e);
  t.ok(errors.containers.IMAGE_BUILD_FAILED.is(error), String(error));
  t.match((error as Error).message, /debootstrap|cannot be made here/);
  t.same(await import('node:fs/promises').then((fs) => fs.readdir(cacheDir)).then((names) => names.filter((n) => !n.endsWith('.lock'))), [], 'no partial tarball or work dir is left');
});

t.test('the runner bundle: one ES module that imports only node: built-ins, independent of the checkout path', async (t) => {
  const bundle = await bundleRunner();
  const imports = [...bundle.code.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]!);
  t.ok(imports.length > 0);
  t.ok(imports.every((name) => name.startsWith('node:')), imports.join(', '));
  t.notMatch(bundle.code, new RegExp(join('/work', 'main').replace(/\//g, '\\/')));
  t.equal((await bundleRunner()).sha256, bundle.sha256, 'deterministic');
});
