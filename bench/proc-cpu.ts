/**
 * CPU seconds a process has used (user + system, from /proc/<pid>/stat), so a
 * bench can say where the CPU of one job goes across separate processes.
 * Linux only; elsewhere every reading is undefined and the bench prints none.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second: 100 on every Linux this runs on (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses; the fields after its last ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU per job, total and by process, from CPU seconds by process name. */
export function formatCpu(seconds: Readonly<Record<string, number>>, jobs: number): string {
  const parts = Object.entries(seconds).map(([name, spent]) => `${name} ${((spent * 1000) / jobs).toFixed(2)}`);
  const total = Object.values(seconds).reduce((sum, spent) => sum + spent, 0);
  return parts.length === 0 ? 'n/a' : `${((total * 1000) / jobs).toFixed(2)} ms/job (${parts.join(', ')})`;
}

/** CPU seconds each named process spends over a measured stretch: start before it, read after. */
export function cpuMeter(processes: Readonly<Record<string, number>>): { seconds(): Record<string, number> } {
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const seconds = (): Record<string, number> => {
    const spent: Record<string, number> = {};
    for (const [name, pid] of Object.entries(processes)) {
      const start = before[name];
      const end = cpuSeconds(pid);
      if (start !== undefined && end !== undefined) spent[name] = end - start;
    }
    return spent;
  };
  return { seconds };
}
