import type { PackageFile } from '../tarball/package-tarball.js';

/**
 * What a plugin package may ask `npm ci` to do. `--ignore-scripts` stops
 * install scripts, but npm still honours other inputs that come from the
 * package itself: a project `.npmrc` (registry, proxy, `git`/`script-shell`
 * programs), lockfile entries that are links or local paths (a symlink out of
 * the install folder), git or plain-URL sources (code fetched without a
 * registry integrity), and entries with no integrity at all. A signed plugin
 * installs only registry tarballs npm verifies byte for byte; anything else is
 * refused before npm runs, with the entry named.
 */
export interface LockfileRefusal {
  readonly where: string;
  readonly reason: string;
}

/** Files npm would read as configuration from the install folder. */
const CONFIG_FILES = ['.npmrc'];

/** A dependency spec npm resolves from the registry by version range, tag or `npm:` alias. */
function isRegistrySpec(spec: string): boolean {
  if (/^(file|link|git|git\+[a-z]+|github|gitlab|bitbucket|gist|https?):/i.test(spec)) return false;
  // `owner/repo` is npm's GitHub shorthand; a scoped name never appears as a bare spec.
  if (/^[^@\s][^\s/]*\/[^\s]+$/.test(spec)) return false;
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('~')) return false;
  if (spec.startsWith('npm:')) return isRegistrySpec(spec.slice(spec.lastIndexOf('@') + 1));
  return true;
}

function screenSpecs(where: string, specs: unknown, refusals: LockfileRefusal[]): void {
  if (typeof specs !== 'object' || specs === null) return;
  for (const [name, spec] of Object.entries(specs as Record<string, unknown>)) {
    if (typeof spec !== 'string' || !isRegistrySpec(spec)) {
      refusals.push({ where: `${where} ${name}`, reason: `spec ${JSON.stringify(spec)} is not a registry version range` });
    }
  }
}

interface LockEntry {
  link?: unknown;
  resolved?: unknown;
  integrity?: unknown;
  inBundle?: unknown;
}

function screenEntry(path: string, entry: LockEntry, refusals: LockfileRefusal[]): void {
  // Bundled dependencies arrive inside a signed tarball: npm installs them from it, not from a source.
  if (entry.inBundle === true) return;
  if (entry.link === true) {
    refusals.push({ where: path, reason: 'is a link to a local folder' });
    return;
  }
  if (typeof entry.resolved !== 'string' || !/^https:\/\/[^/]+\/.+\.tgz$/i.test(entry.resolved)) {
    refusals.push({ where: path, reason: `resolves to ${JSON.stringify(entry.resolved ?? null)}, not an https registry tarball` });
    return;
  }
  if (typeof entry.integrity !== 'string' || !/^sha(256|384|512)-/.test(entry.integrity)) {
    refusals.push({ where: path, reason: 'has no sha256/384/512 integrity for npm to verify' });
  }
}

/**
 * Every way the package's npm inputs step outside "registry tarballs with
 * integrity"; empty when `npm ci` may run.
 */
export function screenNpmInputs(files: readonly PackageFile[], packageJson: Record<string, unknown>, lockText: string): LockfileRefusal[] {
  const refusals: LockfileRefusal[] = [];
  for (const file of files) {
    const base = file.path.split('/').pop()!;
    if (CONFIG_FILES.includes(base)) refusals.push({ where: file.path, reason: 'npm would read it as configuration; publish without it' });
  }
  for (const key of ['dependencies', 'optionalDependencies', 'overrides']) screenSpecs(`package.json ${key}`, packageJson[key], refusals);

  let lock: { lockfileVersion?: unknown; packages?: unknown };
  try {
    lock = JSON.parse(lockText) as typeof lock;
  } catch (error) {
    return [...refusals, { where: 'package-lock.json', reason: `is not valid JSON: ${(error as Error).message}` }];
  }
  if (typeof lock.lockfileVersion !== 'number' || lock.lockfileVersion < 2 || typeof lock.packages !== 'object' || lock.packages === null) {
    return [...refusals, { where: 'package-lock.json', reason: 'needs lockfileVersion 2 or 3 with a "packages" map (npm 7 or later)' }];
  }
  for (const [path, entry] of Object.entries(lock.packages as Record<string, LockEntry>)) {
    if (path === '') continue;
    if (typeof entry !== 'object' || entry === null) {
      refusals.push({ where: `package-lock.json "${path}"`, reason: 'is not an object' });
      continue;
    }
    if (path === 'node_modules/@lpx/sdk') {
      refusals.push({ where: `package-lock.json "${path}"`, reason: 'is the host sdk, which the node links itself; regenerate the lockfile with `npm install --legacy-peer-deps`' });
      continue;
    }
    if (!path.startsWith('node_modules/')) {
      refusals.push({ where: `package-lock.json "${path}"`, reason: 'lies outside node_modules (a workspace or local folder)' });
      continue;
    }
    screenEntry(`package-lock.json "${path}"`, entry, refusals);
  }
  return refusals;
}
