#!/usr/bin/env -S node --conditions=lpx-js
// The lpx binary. Under the "lpx-js" export condition (the shebang sets it) it
// runs the compiled JS mirror of the sources (ADR 0063): no TypeScript compiler
// in the process. A stale mirror is rebuilt first (only the changed files); one
// that cannot be built is never used — the command reruns through tsx. Without
// the condition (`node core/bin/lpx.mjs`, the tests) it runs the TypeScript
// sources through tsx's loader as before (ADR 0008).
// `lpx --version` answers before either, from the sdk's version file (ADR 0059).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const version = args.length === 1 && (args[0] === '--version' || args[0] === '-v') ? hostApiVersion() : undefined;
if (version !== undefined) {
  process.stdout.write(`${version}\n`);
} else if (import.meta.resolve('@lpx/sdk').includes('/.lpx-js/')) {
  const { runFromMirror } = await import('./mirror-launch.mjs');
  await runFromMirror(process.argv);
} else {
  trace('tsx');
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv);
}

/** HOST_API_VERSION read from the sdk's version file as text; undefined sends the call down the full path. */
function hostApiVersion() {
  try {
    // Always the TypeScript source: under the condition this resolves into the mirror, which may be stale.
    const url = import.meta.resolve('@lpx/sdk/version').replace('/.lpx-js/src/', '/src/').replace(/\.js$/, '.ts');
    const text = readFileSync(new URL(url), 'utf8');
    return /export const HOST_API_VERSION = ['"]([^'"]+)['"]/.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

/** LPX_LAUNCH_TRACE=1 says on stderr which way the command runs (tests, and operators asking why it is slow). */
function trace(line) {
  if (process.env.LPX_LAUNCH_TRACE === '1') process.stderr.write(`[lpx] ${line}\n`);
}
