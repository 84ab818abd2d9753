/**
 * Idle CPU of a dev network's nodes: starts `lpx dev up --orchestrators N`,
 * lets it settle, then reads utime+stime from /proc/<pid>/stat of every
 * node over a window. Linux only. Prints one line per node and the total.
 *
 *   node --import tsx scripts/idle-cpu.ts [orchestrators=1] [windowSeconds=30]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

const orchestrators = process.argv[2] ?? '1';
const windowSeconds = Number(process.argv[3] ?? '30');
const TICKS = 100; // getconf CLK_TCK on Linux

function cpuTicks(pid: number): number {
  // Fields after the ")" of the command name: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const dataDir = mkdtempSync(join(tmpdir(), 'lpx-idle-cpu-'));
const started = Date.now();
const child = spawn(process.execPath, [join(import.meta.dirname, '../core/bin/lpx.mjs'), 'dev', 'up', '--json', '--orchestrators', orchestrators, '--data-dir', dataDir], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const nodes: { name: string; pid: number }[] = [];
for await (const line of createInterface({ input: child.stdout! })) {
  const event = JSON.parse(line) as Record<string, unknown>;
  if (event['role'] !== undefined) nodes.push({ name: `${event['role'] as string}-${nodes.length + 1}`, pid: event['pid'] as number });
  if (event['ready'] === true) break;
}
console.log(`ready after ${((Date.now() - started) / 1000).toFixed(1)} s; settling 10 s`);
await sleep(10_000);
const before = nodes.map((n) => cpuTicks(n.pid));
const devUpBefore = cpuTicks(child.pid!);
await sleep(windowSeconds * 1000);
let total = 0;
nodes.forEach((n, i) => {
  const seconds = (cpuTicks(n.pid) - before[i]!) / TICKS;
  total += seconds;
  console.log(`${n.name.padEnd(16)} pid ${n.pid}: ${seconds.toFixed(2)} s CPU in ${windowSeconds} s (${((seconds / windowSeconds) * 100).toFixed(1)} % of a core)`);
});
const devUp = (cpuTicks(child.pid!) - devUpBefore) / TICKS;
console.log(`dev up (chain keeper) pid ${child.pid}: ${devUp.toFixed(2)} s CPU`);
console.log(`nodes total: ${total.toFixed(2)} s CPU in ${windowSeconds} s`);
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
rmSync(dataDir, { recursive: true, force: true });
