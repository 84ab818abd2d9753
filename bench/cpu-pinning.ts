/**
 * Pins processes (all their threads) to CPUs with util-linux `taskset`, so a
 * bench can give two sides of a network a core each, as two machines would
 * have. Linux only; `pin` answers false where taskset is missing or refuses.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

function taskset(cpus: string, pid: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Pins each group of pids to one CPU (group i → CPU i); false, with nothing left pinned, if it cannot. */
export function pin(groups: readonly (readonly number[])[]): boolean {
  if (availableParallelism() < groups.length) return false;
  const pinned = groups.every((pids, cpu) => pids.every((pid) => taskset(String(cpu), pid)));
  if (!pinned) unpin(groups.flat());
  return pinned;
}

/** Lets the processes run on every CPU again. */
export function unpin(pids: readonly number[]): void {
  const all = `0-${availableParallelism() - 1}`;
  for (const pid of pids) taskset(all, pid);
}
