// How lpx.mjs runs a command under the "lpx-js" condition (ADR 0063): bring the
// compiled mirror up to date and import it, or — when it cannot be made fresh,
// or LPX_JS_MIRROR=0 — run the same command again in a child node without the
// condition, which takes the tsx path. A stale mirror is never imported.
import { spawn } from 'node:child_process';
import { buildMirror, mirrorState, MIRROR_CONDITION } from './js-mirror.mjs';

export async function runFromMirror(argv) {
  const reason = process.env.LPX_JS_MIRROR === '0' ? 'LPX_JS_MIRROR=0' : await freshen({ state: mirrorState, build: buildMirror, trace });
  if (reason !== undefined) return rerunThroughTsx(argv, reason);
  trace('mirror');
  const { main } = await import('../.lpx-js/src/cli/main.js');
  process.exitCode = await main(argv);
}

const describe = (stale) => stale.map((s) => `${s.pkg} (${s.reason})`).join(', ');

/**
 * undefined when the mirror is fresh (rebuilt first if it had to be), else why it cannot be used.
 * The state and build functions are parameters so the tests can make a build fail.
 */
export async function freshen({ state, build, trace: say = () => {} }) {
  const before = state();
  if (before.fresh) return undefined;
  try {
    const { compiled } = await build();
    say(`rebuilt ${compiled} file(s): ${describe(before.stale)}`);
  } catch (error) {
    return `the mirror is stale and could not be rebuilt: ${error instanceof Error ? error.message : String(error)}`;
  }
  const after = state();
  return after.fresh ? undefined : `the mirror is still stale after a rebuild: ${describe(after.stale)}`;
}

/** Node flags and NODE_OPTIONS without the mirror condition, in any of the spellings node accepts. */
export function withoutCondition(flags) {
  const out = [];
  for (let i = 0; i < flags.length; i += 1) {
    const flag = flags[i];
    if (flag === `--conditions=${MIRROR_CONDITION}` || flag === `-C=${MIRROR_CONDITION}`) continue;
    if ((flag === '--conditions' || flag === '-C') && flags[i + 1] === MIRROR_CONDITION) {
      i += 1;
      continue;
    }
    out.push(flag);
  }
  return out;
}

function rerunThroughTsx(argv, reason) {
  trace(`tsx (${reason})`);
  const env = { ...process.env };
  if (env.NODE_OPTIONS !== undefined) env.NODE_OPTIONS = withoutCondition(env.NODE_OPTIONS.split(/\s+/).filter(Boolean)).join(' ');
  const child = spawn(process.execPath, [...withoutCondition(process.execArgv), ...argv.slice(1)], { stdio: 'inherit', env });
  // The child is the command: signals go to it, and its ending is ours.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      if (signal !== null) {
        process.removeAllListeners(signal);
        process.kill(process.pid, signal);
      }
      process.exitCode = code ?? 1;
      resolve();
    });
  });
}

function trace(line) {
  if (process.env.LPX_LAUNCH_TRACE === '1') process.stderr.write(`[lpx] ${line}\n`);
}
