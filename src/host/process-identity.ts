// Which process a PID names: a PID is reused after its process ends (and
// after a reboot), so a lock that records only a PID could be held forever by
// a stranger. The identity adds the boot and the process's start time after
// boot; a lock is held only while both still match.
import { readFileSync } from 'node:fs';
import { parseProcStat } from '../domain/processes.ts';

function readSmall(path: string): string | undefined {
  try { return readFileSync(path, 'utf8'); } catch { return undefined; }
}

/** `<boot id>:<start ticks>` of a running process; undefined when it is not running (or /proc cannot tell). */
export function processIdentity(pid: number, proc = '/proc'): string | undefined {
  const boot = readSmall(`${proc}/sys/kernel/random/boot_id`)?.trim();
  const stat = readSmall(`${proc}/${pid}/stat`);
  const start = stat === undefined ? undefined : parseProcStat(stat)?.start;
  return boot && start !== undefined ? `${boot}:${start}` : undefined;
}

/**
 * Whether the process that recorded `identity` still runs as `pid`. Without
 * an identity to compare (none recorded, /proc unreadable) a live PID counts
 * as the same process: better to refuse a second instance than to run two.
 */
export function processRuns(pid: number, identity: string | undefined, proc = '/proc'): boolean {
  const now = processIdentity(pid, proc);
  if (now !== undefined && identity) return now === identity;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Send `signal` to `pid`; false when no such process runs. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}
