import { readdir, readFile } from 'node:fs/promises';

export interface RunningProcess {
  readonly pid: number;
  readonly command: string;
}

/**
 * The live (non-zombie) processes below `rootPid`, read from /proc. Used to
 * prove a cancelled transcode left no encoder behind. Returns undefined where
 * /proc is not there (not Linux): callers then skip the check rather than pass it falsely.
 */
export async function descendantProcesses(rootPid: number = process.pid): Promise<RunningProcess[] | undefined> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return undefined;
  }
  const table: { pid: number; ppid: number; state: string; command: string }[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // `pid (comm) state ppid ...`; comm may hold spaces and parentheses, so split at the last ')'.
      const close = stat.lastIndexOf(')');
      const [state = '', ppid = ''] = stat.slice(close + 2).split(' ');
      table.push({ pid: Number(entry), ppid: Number(ppid), state, command: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // The process exited while we listed /proc.
    }
  }
  const found: RunningProcess[] = [];
  const parents = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of table) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        grew = true;
        if (p.state !== 'Z' && p.state !== 'X') found.push({ pid: p.pid, command: p.command });
      }
    }
  }
  return found;
}
