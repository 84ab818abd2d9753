import { execFile } from 'node:child_process';
import { errors } from '@lpx/sdk';
import type { PluginPackage } from '../package/plugin-package.js';
import { PACKAGE_JSON } from '../package/plugin-package.js';
import { screenNpmInputs } from './lockfile-screen.js';

/** The host's sdk: linked into the install folder by the kernel, never installed from npm (two copies would break `instanceof` and error codes). */
export const HOST_SDK = '@lpx/sdk';
export const PACKAGE_LOCK = 'package-lock.json';

function fail(subject: string, message: string, details: Record<string, unknown> = {}): Error {
  return errors.registry.DEPENDENCIES_FAILED.create(`${subject}: ${message}; nothing was installed`, { details });
}

/**
 * Whether a package needs `npm ci`, checked before anything is written:
 * runtime dependencies other than the host sdk must come with the
 * package-lock.json npm verifies them against, and the sdk itself must be a
 * peerDependency (the host provides it). The lockfile may name only registry
 * tarballs with integrity (`lockfile-screen.ts`).
 */
export function needsDependencyInstall(pkg: PluginPackage, subject: string): boolean {
  const packageJson = JSON.parse(pkg.files.find((f) => f.path === PACKAGE_JSON)!.content.toString('utf8')) as Record<string, unknown> & { dependencies?: Record<string, string> };
  const names = Object.keys(packageJson.dependencies ?? {});
  const installable = names.filter((name) => name !== HOST_SDK);
  if (installable.length === 0) return false;
  if (names.includes(HOST_SDK)) {
    throw fail(subject, `package.json lists ${HOST_SDK} in "dependencies"; move it to "peerDependencies" (the node provides its own sdk)`);
  }
  const lock = pkg.files.find((f) => f.path === PACKAGE_LOCK);
  if (lock === undefined) {
    throw fail(subject, `package.json has dependencies (${installable.join(', ')}) but the package has no ${PACKAGE_LOCK}; run \`npm install\` in the plugin folder and publish with the lockfile`, { dependencies: installable });
  }
  const refusals = screenNpmInputs(pkg.files, packageJson, lock.content.toString('utf8'));
  if (refusals.length > 0) {
    const listed = refusals.map((r) => `${r.where} ${r.reason}`).join('; ');
    throw fail(subject, `npm would install from outside the registry: ${listed}`, { refusals });
  }
  return true;
}

/** npm's own env (when lpx runs under `npm run`) would otherwise leak into the plugin's install (workspace, prefix, registry overrides). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

/**
 * Installs a plugin's npm dependencies from its package-lock.json: `npm ci`
 * verifies every tarball's integrity against the lockfile, runs no install
 * scripts, and leaves out dev dependencies. `--legacy-peer-deps` keeps npm
 * from fetching peers: the sdk is a peer the host provides, and no public
 * registry serves it.
 */
export async function installDependencies(dir: string, subject: string, timeoutMs = 300_000): Promise<void> {
  // Short fetch retries: npm retries an integrity failure like a network one, with backoff up to minutes.
  const retries = ['--fetch-retries=1', '--fetch-retry-mintimeout=1000', '--fetch-retry-maxtimeout=5000'];
  const args = ['ci', '--omit=dev', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error', ...retries];
  await new Promise<void>((resolve, reject) => {
    execFile('npm', args, { cwd: dir, env: cleanEnv(), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const tail = String(stderr).trim().split('\n').slice(-8).join('\n');
      reject(fail(subject, `\`npm ${args.join(' ')}\` failed (${error.message.split('\n')[0]})${tail ? `:\n${tail}` : ''}`, { exitCode: error.code }));
    });
  });
}
