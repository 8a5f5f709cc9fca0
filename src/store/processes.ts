// The host monitor's process list, sampled on the host metrics store's tick:
// /proc read directly (no program started), each /proc/PID/stat into one
// reused buffer with synchronous reads (a few hundred small files: cheaper
// than as many promises), the command line, user and VM name read once per
// process (a PID with the same start time is the same process).
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import {
  cpuPercent, isQemu, parseCmdline, parsePasswd, parseProcStat, processCommand, qemuGuestName, topProcesses,
  type ProcessRow, type ProcessTop,
} from '../domain/processes.ts';

export interface ProcessSamplerOptions {
  procDir?: string;
  /** Where libvirt keeps each running VM's pid file (NAME.pid): the name of a QEMU started without `-name`. */
  libvirtRunDir?: string;
  passwdFile?: string;
  /** Rows kept of each list (the screen shows what fits). */
  top?: number;
}

interface Known { start: number; ticks: number; user: string; command: string; vm?: string }

const buf = Buffer.alloc(4096);

/** A small file's text (stat, cmdline), undefined when the process is gone. */
function readSmall(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.toString('utf8', 0, n);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The size of a memory page: this process's resident set in bytes over its count of pages. */
function pageSize(proc: string): number {
  const bytes = process.memoryUsage.rss();
  const pages = Number(readSmall(`${proc}/self/statm`)?.split(' ')[1]);
  if (!(pages > 0)) return 4096;
  return 2 ** Math.round(Math.log2(bytes / pages));
}

export interface ProcessSampler { sample: (at: number) => ProcessTop }

export function createProcessSampler(opts: ProcessSamplerOptions = {}): ProcessSampler {
  const proc = opts.procDir ?? '/proc';
  const runDir = opts.libvirtRunDir ?? '/run/libvirt/qemu';
  const top = opts.top ?? 30;
  const page = pageSize(proc);
  let users: Map<number, string> | undefined;
  let known = new Map<number, Known>();
  let prevAt: number | undefined;

  const userOf = (uid: number) => {
    users ??= (() => { try { return parsePasswd(readFileSync(opts.passwdFile ?? '/etc/passwd', 'utf8')); } catch { return new Map<number, string>(); } })();
    return users.get(uid) ?? String(uid);
  };
  /** VM names by QEMU PID from libvirt's pid files (read only when a QEMU without -name appears). */
  const vmByPidFile = (pid: number) => {
    try {
      for (const f of readdirSync(runDir)) {
        if (f.endsWith('.pid') && Number(readSmall(`${runDir}/${f}`)?.trim()) === pid) return f.slice(0, -'.pid'.length);
      }
    } catch { /* no libvirt here */ }
    return undefined;
  };

  function describe(pid: number, comm: string, start: number, ticks: number): Known | undefined {
    let uid: number;
    try { uid = statSync(`${proc}/${pid}`).uid; } catch { return undefined; }
    const argv = parseCmdline(readSmall(`${proc}/${pid}/cmdline`) ?? '');
    const vm = isQemu(comm, argv) ? qemuGuestName(argv) ?? vmByPidFile(pid) : undefined;
    return { start, ticks, user: userOf(uid), command: processCommand(comm, argv, vm), vm };
  }

  return {
    sample(at) {
      const seconds = prevAt === undefined ? 0 : (at - prevAt) / 1000;
      const next = new Map<number, Known>();
      const rows: ProcessRow[] = [];
      for (const name of readdirSync(proc)) {
        const c = name.charCodeAt(0);
        if (c < 48 || c > 57) continue;
        const pid = Number(name);
        const st = parseProcStat(readSmall(`${proc}/${name}/stat`) ?? '');
        if (!st) continue;
        const before = known.get(pid);
        const same = before?.start === st.start ? before : undefined;
        const cpu = cpuPercent(same?.ticks, st.ticks, seconds);
        const k = same ?? describe(pid, st.comm, st.start, st.ticks);
        if (!k) continue;
        k.ticks = st.ticks;
        next.set(pid, k);
        rows.push({ pid, user: k.user, cpuPercent: cpu, rssBytes: st.rssPages * page, command: k.command, vm: k.vm });
      }
      known = next;
      prevAt = at;
      return topProcesses(rows, top);
    },
  };
}
