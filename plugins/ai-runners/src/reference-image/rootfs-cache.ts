import { spawn, spawnSync } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '@lpx/sdk';
import { defaultRootfsCacheDir } from './cache-paths.js';
import { detectMirror, recipeHash, REFERENCE_ROOTFS_RECIPE, type RootfsRecipe } from './recipe.js';

export interface RootfsOptions {
  /** Where tarballs are kept: LPX_RUNNER_ROOTFS_CACHE, else `${XDG_CACHE_HOME:-~/.cache}/lpx/runner-rootfs`. */
  readonly cacheDir?: string;
  /** Debian mirror; default the one apt uses here (detectMirror). */
  readonly mirror?: string;
  readonly recipe?: RootfsRecipe;
  readonly onProgress?: (line: string) => void;
  readonly signal?: AbortSignal;
  /** false: only a cached tarball will do (tests: a debootstrap would outlast their timeout). Default true. */
  readonly build?: boolean;
}

export interface RootfsTarball {
  readonly path: string;
  readonly recipeHash: string;
  readonly sizeBytes: number;
  /** Set when this call ran debootstrap (not cached): how long debootstrap plus tar took. */
  readonly builtMs?: number;
}

/**
 * One shell run under `flock` (util-linux, in every Debian): the kernel lock
 * goes away with the process, so a killed build never leaves a stale lock,
 * and a second process waits, then finds the tarball and exits. The tarball
 * appears by rename only when complete. Arguments are positional: nothing
 * from options is parsed by the shell.
 */
const BUILD_SCRIPT = `set -eu
out="$1"; work="$2"; suite="$3"; variant="$4"; mirror="$5"; include="$6"; shift 6
if [ -f "$out" ]; then echo "cached: $out"; exit 0; fi
# debootstrap mounts proc and sys in the target; an interrupted run may leave them.
clean() { for m in proc sys dev/pts; do umount -l "$work/root/$m" 2>/dev/null || true; done; rm -rf --one-file-system "$work"; }
clean; mkdir -p "$work"
trap clean EXIT
trap 'exit 1' TERM INT
debootstrap --variant="$variant" --include="$include" "$suite" "$work/root" "$mirror"
for path in "$@"; do rm -rf "$work/root/$path"; done
tar --numeric-owner -C "$work/root" -cf "$out.partial" .
mv "$out.partial" "$out"
echo "built: $out"`;

function hasBinary(name: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { stdio: 'ignore' }).status === 0;
}

async function sizeOf(path: string): Promise<number | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? info.size : undefined;
}

/** The reference runner's root filesystem tarball: from the cache, else made with debootstrap (minutes, needs root). */
export async function ensureRootfsTarball(options: RootfsOptions = {}): Promise<RootfsTarball> {
  const recipe = options.recipe ?? REFERENCE_ROOTFS_RECIPE;
  const hash = recipeHash(recipe);
  const cacheDir = options.cacheDir ?? defaultRootfsCacheDir();
  const path = join(cacheDir, `${hash}.tar`);
  const cached = await sizeOf(path);
  if (cached !== undefined) return { path, recipeHash: hash, sizeBytes: cached };

  if (options.build === false) {
    throw errors.containers.IMAGE_BUILD_FAILED.create(`the reference runner's root filesystem is not cached (${path}); make it with: node --import tsx scripts/build-reference-runner-image.ts --rootfs`, { details: { path, recipeHash: hash } });
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const missing = ['debootstrap', 'flock', 'tar'].filter((b) => !hasBinary(b));
  if (!isRoot || missing.length > 0) {
    throw errors.containers.IMAGE_BUILD_FAILED.create(
      `the reference runner's root filesystem is not cached (${path}) and cannot be made here: ${!isRoot ? 'debootstrap needs root' : `missing ${missing.join(', ')} (apt-get install debootstrap)`}`,
      { details: { path, recipeHash: hash } },
    );
  }
  await mkdir(cacheDir, { recursive: true });
  const mirror = options.mirror ?? (await detectMirror(recipe.suite));
  const started = Date.now();
  const args = ['-x', join(cacheDir, `${hash}.lock`), 'sh', '-c', BUILD_SCRIPT, 'sh', path, join(cacheDir, `${hash}.work`), recipe.suite, recipe.variant, mirror, recipe.packages.join(','), ...recipe.trim];
  const tail = await runBuild(args, options);
  const size = await sizeOf(path);
  if (size === undefined) {
    throw errors.containers.IMAGE_BUILD_FAILED.create(`debootstrap of the reference runner's root filesystem failed: ${tail.slice(-5).join(' | ')}`, { details: { path, mirror, output: tail } });
  }
  return { path, recipeHash: hash, sizeBytes: size, builtMs: Date.now() - started };
}

function runBuild(args: readonly string[], options: RootfsOptions): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // Own process group: aborting stops flock, the shell and debootstrap together (TERM: the shell's trap cleans up).
    const child = spawn('flock', args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onLine = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        options.onProgress?.(line);
      }
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', onLine);
    const abort = (): void => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    };
    options.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', reject);
    child.on('close', () => {
      options.signal?.removeEventListener('abort', abort);
      if (options.signal?.aborted) reject(errors.containers.IMAGE_BUILD_FAILED.create('building the reference runner root filesystem was aborted'));
      else resolve(tail);
    });
  });
}
