// When each running domain started, for uptime. libvirt has no uptime
// figure; on a local qemu:///system the QEMU process's start time is read
// from files (libvirt's pid file, /proc/<pid>/stat, /proc/stat's btime):
// no process start and no libvirt round trip per VM. Elsewhere (remote URIs,
// test driver) the start time is unknown (undefined).
import { readFile } from 'node:fs/promises';

/** Clock ticks per second (USER_HZ); 100 on every Linux architecture Debian ships. */
const CLK_TCK = 100;

/** Field 22 (starttime, in clock ticks after boot) of /proc/<pid>/stat. */
export function parseProcStatStartTicks(stat: string): number | undefined {
  // The command name (field 2) is in parentheses and may contain spaces.
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const rest = stat.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); field 22 is rest[19].
  const v = Number(rest[19]);
  return Number.isFinite(v) ? v : undefined;
}

/** The "btime" line of /proc/stat: boot time in seconds since the epoch. */
export function parseBootTime(procStat: string): number | undefined {
  const m = /^btime\s+(\d+)/m.exec(procStat);
  return m ? Number(m[1]) : undefined;
}

export function isLocalQemuSystem(uri: string): boolean {
  return /^qemu(\+unix)?:\/\/\/system(\?|$)/.test(uri);
}

/** Start time (ms since epoch) per domain name, for the names whose QEMU process is found. */
export async function readDomainStartTimes(uri: string, names: readonly string[], runDir = '/run/libvirt/qemu'): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!isLocalQemuSystem(uri) || names.length === 0) return out;
  const btime = parseBootTime(await readFile('/proc/stat', 'utf8').catch(() => ''));
  if (btime === undefined) return out;
  await Promise.all(names.map(async (name) => {
    try {
      const pid = Number((await readFile(`${runDir}/${name}.pid`, 'utf8')).trim());
      if (!Number.isInteger(pid) || pid <= 0) return;
      const ticks = parseProcStatStartTicks(await readFile(`/proc/${pid}/stat`, 'utf8'));
      if (ticks !== undefined) out.set(name, (btime + ticks / CLK_TCK) * 1000);
    } catch {
      /* not running or not readable: unknown */
    }
  }));
  return out;
}
