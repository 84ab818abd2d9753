import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chainErrors } from './chain-errors.js';

// @foundry-rs/anvil ships the real binary in a per-platform package; its
// postinstall (blocked by npm 11 here) would only have linked it, so we find
// the platform package ourselves instead of going through its bin.mjs wrapper
// (which costs ~0.5 s of Node start-up and hides the child's pid).
const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@foundry-rs/anvil-linux-amd64',
  'linux-arm64': '@foundry-rs/anvil-linux-arm64',
  'darwin-x64': '@foundry-rs/anvil-darwin-amd64',
  'darwin-arm64': '@foundry-rs/anvil-darwin-arm64',
  'win32-x64': '@foundry-rs/anvil-win32-amd64',
};

/** Absolute path of the anvil executable; LPX_ANVIL_BIN overrides the lookup. */
export function locateAnvilBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LPX_ANVIL_BIN) return env.LPX_ANVIL_BIN;
  const platformKey = `${process.platform}-${process.arch}`;
  const packageName = PLATFORM_PACKAGES[platformKey];
  if (packageName === undefined) {
    throw chainErrors.ANVIL_BINARY_MISSING.create(`@foundry-rs/anvil has no binary for ${platformKey}; set LPX_ANVIL_BIN`);
  }
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve(`${packageName}/package.json`));
  } catch (cause) {
    throw chainErrors.ANVIL_BINARY_MISSING.create(`${packageName} is not installed (npm install @foundry-rs/anvil)`, { cause });
  }
  const binary = join(packageDir, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
  try {
    accessSync(binary, constants.X_OK);
  } catch (cause) {
    throw chainErrors.ANVIL_BINARY_MISSING.create(`${binary} is missing or not executable`, { cause });
  }
  return binary;
}
