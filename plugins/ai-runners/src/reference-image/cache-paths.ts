import { homedir } from 'node:os';
import { join } from 'node:path';
import { recipeHash, REFERENCE_ROOTFS_RECIPE, type RootfsRecipe } from './recipe.js';

/** Where rootfs tarballs are kept: LPX_RUNNER_ROOTFS_CACHE, else `${XDG_CACHE_HOME:-~/.cache}/lpx/runner-rootfs`. */
export function defaultRootfsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['LPX_RUNNER_ROOTFS_CACHE']) return env['LPX_RUNNER_ROOTFS_CACHE'];
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'lpx', 'runner-rootfs');
}

/** The cached tarball's path for a recipe, whether or not it exists yet (no heavy imports: tap's before script checks it every run). */
export function rootfsTarballPath(options: { readonly cacheDir?: string; readonly recipe?: RootfsRecipe } = {}): string {
  return join(options.cacheDir ?? defaultRootfsCacheDir(), `${recipeHash(options.recipe ?? REFERENCE_ROOTFS_RECIPE)}.tar`);
}
