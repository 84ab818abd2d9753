#!/usr/bin/env node
// Makes a fresh clone runnable: installs the npm dependencies from the
// lockfile and the system packages the node starts as child processes.
// Plain Node with no dependencies, because it runs before `npm ci`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.env.LPX_BOOTSTRAP_QUIET === '1';
const say = (line) => quiet || process.stderr.write(`[bootstrap] ${line}\n`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    process.stderr.write(`[bootstrap] failed: ${command} ${args.join(' ')} (exit ${result.status ?? result.signal})\n`);
    process.exit(1);
  }
}

function has(binary) {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) {
    process.stderr.write(`[bootstrap] lpx needs Node >= 20; this is ${process.version}\n`);
    process.exit(1);
  }
}

function ensureNpmDependencies() {
  const lock = join(root, 'package-lock.json');
  const marker = join(root, 'node_modules', '.lpx-lock-sha256');
  const digest = createHash('sha256').update(readFileSync(lock)).digest('hex');
  const installed = existsSync(join(root, 'node_modules', '.package-lock.json'));
  const recorded = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : undefined;
  if (installed && (recorded === digest || recorded === undefined)) {
    if (recorded === undefined) writeFileSync(marker, digest);
    return;
  }
  say(installed ? 'package-lock.json changed: npm ci' : 'no node_modules: npm ci');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  writeFileSync(marker, digest);
}

/** System packages from Debian's apt, installed only when missing. */
function ensureSystemPackages() {
  // redis-server: the embedded Redis; openssl: the orchestrator's self-signed TLS certificate;
  // ffmpeg/ffprobe: the transcode-ffmpeg backend and the media tests; dockerd: the runtime-docker
  // plugin's own engine and the docker tests; busybox (static): the tiny image the container tests build.
  const wanted = [
    { binary: 'redis-server', pkg: 'redis-server' },
    { binary: 'openssl', pkg: 'openssl' },
    { binary: 'ffmpeg', pkg: 'ffmpeg' },
    { binary: 'ffprobe', pkg: 'ffmpeg' },
    { binary: 'dockerd', pkg: 'docker.io' },
    { binary: 'busybox', pkg: 'busybox-static' },
    // debootstrap: the reference AI runner image's Debian root filesystem (ADR 0029).
    { binary: 'debootstrap', pkg: 'debootstrap' },
    // chromium: the dashboard's browser test drives it through playwright-core (ADR 0057); never a downloaded browser.
    { binary: 'chromium', pkg: 'chromium' },
  ].filter((p) => !has(p.binary));
  if (wanted.length === 0) return;
  const names = [...new Set(wanted.map((p) => p.pkg))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!has('apt-get') || !isRoot) {
    process.stderr.write(`[bootstrap] missing ${wanted.map((p) => p.binary).join(', ')}; install: sudo apt-get install -y ${names.join(' ')}\n`);
    process.exit(1);
  }
  say(`apt-get install ${names.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-q'], { env });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...names], { env });
}

function ensureContracts() {
  const script = join(root, 'scripts', 'compile-contracts.mjs');
  if (existsSync(script)) run(process.execPath, [script]);
}

/** Every file the dashboard build reads, in a stable order (its sources and the status types it imports). */
function dashboardInputs() {
  const dir = join(root, 'dashboard');
  const walk = (sub) =>
    readdirSync(join(dir, sub), { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((entry) => (entry.isDirectory() ? walk(join(sub, entry.name)) : [join(dir, sub, entry.name)]));
  return [
    ...['index.html', 'package.json', 'tsconfig.json', 'vite.config.ts'].map((name) => join(dir, name)),
    ...walk('src'),
    join(root, 'core', 'src', 'observability', 'status', 'status-types.ts'),
  ];
}

/** Builds the dashboard (GET /dashboard) with Vite, only when its inputs changed since the last build. */
function ensureDashboard() {
  if (!existsSync(join(root, 'dashboard', 'package.json'))) return;
  const hash = createHash('sha256');
  for (const file of dashboardInputs()) hash.update(file.slice(root.length)).update('\0').update(readFileSync(file));
  const digest = hash.digest('hex');
  const stamp = join(root, 'dashboard', 'dist', '.lpx-build-sha256');
  const built = existsSync(join(root, 'dashboard', 'dist', 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === digest;
  if (built) return;
  say('dashboard sources changed: npm run build -w dashboard');
  run('npm', ['run', 'build', '--silent', '-w', 'dashboard'], { stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
  writeFileSync(stamp, digest);
}

/** The compiled JS mirror the lpx binary runs (ADR 0063); only changed sources are recompiled. */
function ensureJsMirror() {
  const script = join(root, 'core', 'bin', 'js-mirror.mjs');
  if (!existsSync(script)) return;
  run(process.execPath, [script], { stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
}

checkNode();
ensureSystemPackages();
ensureNpmDependencies();
ensureContracts();
ensureDashboard();
ensureJsMirror();
