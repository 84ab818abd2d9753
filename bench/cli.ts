// The CLI's start-up and the node's idle memory (ADR 0059, 0063), both ways
// the binary runs: the compiled JS mirror (`--conditions=lpx-js`, what the
// shebang uses; built by bootstrap) and the TypeScript sources through tsx.
// Baselines in the same run: `node -e 0` for the short commands, a bare
// node+fastify process for idle RSS. Run: node --import tsx bench/cli.ts
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../', import.meta.url).pathname;
const bin = join(root, 'core/bin/lpx.mjs');
const minimal = join(root, 'examples/configs/minimal.yaml');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median wall time of a command, interleaved with the baseline so both see the same machine load. */
function wallMs(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const result = spawnSync(process.execPath, args, { stdio: 'ignore', cwd: root });
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Resident set 3 s after ready (boot garbage settling) and after a minute idle (V8 has shrunk its heap). */
async function idleRssMiB(args: string[], ready: RegExp, cwd: string): Promise<{ early: number; idle: number }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (ready.test(seen)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${seen}`)));
  });
  const rss = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  await new Promise((r) => setTimeout(r, 3000));
  const early = rss();
  await new Promise((r) => setTimeout(r, 57_000));
  const idle = rss();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { early, idle };
}

const runs = 7;
const ways = [
  { name: 'mirror', node: ['--conditions=lpx-js'] },
  { name: 'tsx', node: [] as string[] },
];
const base = wallMs(['-e', '0'], runs);
const rows: string[] = [];
for (const way of ways) {
  const version = wallMs([...way.node, bin, '--version'], runs);
  const help = wallMs([...way.node, bin, '--help'], runs);
  const check = wallMs([...way.node, bin, 'config', 'check', minimal], runs);
  rows.push(`[${way.name}] lpx --version: median ${version.toFixed(0)} ms`, `[${way.name}] lpx --help: median ${help.toFixed(0)} ms`, `[${way.name}] lpx config check minimal: median ${check.toFixed(0)} ms`);
}
const base2 = wallMs(['-e', '0'], runs);
const baseline = Math.min(base, base2);
console.log(`node -e 0 (baseline):        median ${baseline.toFixed(0)} ms over ${runs} runs`);
for (const row of rows) {
  const ms = Number(/median (\d+) ms/.exec(row)![1]);
  console.log(`${row}, ratio ${(ms / baseline).toFixed(2)}x node -e 0`);
}

const bare = "const f=require('fastify')();f.get('/',async()=>'x');f.listen({port:0}).then(()=>console.error('ready'))";
const fastify = await idleRssMiB(['-e', bare], /ready/, join(root, 'core'));
for (const way of ways) {
  const dir = mkdtempSync(join(tmpdir(), 'lpx-bench-cli-'));
  try {
    const lpx = await idleRssMiB([...way.node, bin, 'start', '--config', minimal, '--set', 'http.port=0', '--set', `node.dataDir=${dir}`, '--set', 'log.level=warn'], /lpx ready/, root);
    console.log(
      `[${way.name}] RSS of lpx start (minimal config): ${lpx.early.toFixed(1)} MiB 3 s after ready, ${lpx.idle.toFixed(1)} MiB after 60 s idle; ` +
        `bare node+fastify: ${fastify.early.toFixed(1)} / ${fastify.idle.toFixed(1)} MiB; idle ratio ${(lpx.idle / fastify.idle).toFixed(2)}x (target <= 120 MB)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
