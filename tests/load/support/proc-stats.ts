// CPU and memory of server-side processes, read from /proc: utime+stime of each process and of
// every descendant it has (a replica's worker, taskset's child), and resident set sizes.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux we run). */
const TICKS_PER_SECOND = 100;

interface Stat {
  ppid: number;
  ticks: number;
}

function readStat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** `roots` and all their living descendants. */
export function processTree(roots: readonly number[]): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  const out = new Set<number>();
  const walk = (pid: number) => {
    if (out.has(pid)) return;
    out.add(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  for (const r of roots) walk(r);
  return [...out];
}

/**
 * A CPU counter over a set of processes: `read()` is the seconds of CPU (user + system) they used
 * so far. Processes that exit between two reads keep what they had (their last reading counts).
 */
export class CpuMeter {
  private readonly last = new Map<number, number>();

  constructor(private readonly pids: () => readonly number[]) {}

  read(): number {
    for (const pid of processTree(this.pids())) {
      const stat = readStat(pid);
      if (stat) this.last.set(pid, stat.ticks);
    }
    let ticks = 0;
    for (const t of this.last.values()) ticks += t;
    return ticks / TICKS_PER_SECOND;
  }
}

/** Resident set size in bytes of the processes and their descendants. */
export function rssBytes(pids: readonly number[]): number {
  let total = 0;
  for (const pid of processTree(pids)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // Gone since the listing.
    }
  }
  return total;
}
