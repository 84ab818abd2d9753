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

/** CPU per job of each named process over a measured stretch: start before it, `perJob(jobs)` after. */
export function cpuMeter(processes: Readonly<Record<string, number>>): { perJob(jobs: number): string } {
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuSeconds(pid)]));
  return {
    perJob(jobs: number): string {
      const parts: string[] = [];
      let total = 0;
      for (const [name, pid] of Object.entries(processes)) {
        const start = before[name];
        const end = cpuSeconds(pid);
        if (start === undefined || end === undefined) continue;
        const ms = ((end - start) * 1000) / jobs;
        total += ms;
        parts.push(`${name} ${ms.toFixed(2)}`);
      }
      return parts.length === 0 ? 'n/a' : `${total.toFixed(2)} ms/job (${parts.join(', ')})`;
    },
  };
}
