// CPU seconds a process has spent (user + system), from /proc/<pid>/stat
// (Linux only). The cluster benchmarks report CPU per operation per process
// beside wall times, because on a shared, loaded machine wall times are
// noise and the CPU each process spends on the same work is not.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

export function cpuSeconds(pid: number): number {
  // Fields after the parenthesised command name: utime and stime are 14 and 15 (1-based).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}
