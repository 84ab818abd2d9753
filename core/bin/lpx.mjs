#!/usr/bin/env node
// The lpx binary runs the TypeScript sources through tsx's loader: no build
// step, and the same files the tests run are the ones that ship (ADR 0008).
// `lpx --version` answers before tsx is registered, which is most of the cost
// of a short command (ADR 0059).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const version = args.length === 1 && (args[0] === '--version' || args[0] === '-v') ? hostApiVersion() : undefined;
if (version !== undefined) {
  process.stdout.write(`${version}\n`);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv);
}

/** HOST_API_VERSION read from the sdk's version file as text; undefined sends the call down the full path. */
function hostApiVersion() {
  try {
    const text = readFileSync(new URL(import.meta.resolve('@lpx/sdk/version')), 'utf8');
    return /export const HOST_API_VERSION = '([^']+)'/.exec(text)?.[1];
  } catch {
    return undefined;
  }
}
