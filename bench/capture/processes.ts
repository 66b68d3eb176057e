/**
 * CPU time of the browser's processes, read from /proc (Linux only): every process descending from
 * this one is Chromium or one of its helpers, since the benchmark runs one browser at a time.
 */
import { readFileSync, readdirSync } from 'node:fs';

export type ProcessKind = 'browser' | 'page' | 'extension' | 'gpu' | 'utility' | 'other';
export const KINDS: readonly ProcessKind[] = ['browser', 'page', 'extension', 'gpu', 'utility', 'other'];
export type CpuSnapshot = Map<number, { kind: ProcessKind; ms: number }>;

/** Clock ticks per second of utime/stime in /proc/PID/stat (`getconf CLK_TCK`, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function kindOf(cmdline: string): ProcessKind {
  const type = /--type=([a-z-]+)/.exec(cmdline)?.[1];
  if (!type) return /chrom/i.test(cmdline) ? 'browser' : 'other';
  if (type === 'renderer') return cmdline.includes('--extension-process') ? 'extension' : 'page';
  if (type === 'gpu-process') return 'gpu';
  if (type === 'utility') return 'utility';
  return 'other';
}

export function cpuSnapshot(root = process.pid): CpuSnapshot {
  const parents = new Map<number, number>();
  const stats = new Map<number, string[]>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return new Map(); // not Linux
  }
  for (const d of pids) {
    const stat = read(`/proc/${d}/stat`);
    if (!stat) continue;
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parents.set(Number(d), Number(fields[1]));
    stats.set(Number(d), fields);
  }
  const snapshot: CpuSnapshot = new Map();
  for (const [pid, fields] of stats) {
    let p = parents.get(pid);
    while (p && p !== root) p = parents.get(p);
    if (p !== root) continue;
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
    const ticks = Number(fields[11]) + Number(fields[12]);
    const cmdline = (read(`/proc/${pid}/cmdline`) ?? '').replaceAll('\0', ' ');
    snapshot.set(pid, { kind: kindOf(cmdline), ms: (ticks * 1000) / TICKS_PER_SECOND });
  }
  return snapshot;
}

/** CPU milliseconds spent between two snapshots, by kind of process (a process new in `after` counts whole). */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): Record<ProcessKind, number> {
  const spent: Record<ProcessKind, number> = {
    browser: 0,
    page: 0,
    extension: 0,
    gpu: 0,
    utility: 0,
    other: 0,
  };
  for (const [pid, a] of after) spent[a.kind] += a.ms - (before.get(pid)?.ms ?? 0);
  return spent;
}

/** Resident memory (MiB) of the snapshot's processes by kind, from /proc/PID/status. */
export function rssByKind(snapshot: CpuSnapshot): Record<ProcessKind, number> {
  const out = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<ProcessKind, number>;
  for (const [pid, { kind }] of snapshot) {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(read(`/proc/${pid}/status`) ?? '')?.[1] ?? 0);
    out[kind] += kb / 1024;
  }
  return out;
}
