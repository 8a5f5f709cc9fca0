// Whether a process still runs, as /proc says: a zombie (ended, waiting for
// its parent or init to reap it) has ended.
import { readFileSync } from 'node:fs';

export function processRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
