// Mounting and unmounting file storage (NFS, POSIX) at a fixed directory:
// an existing mount of the same source is success; a busy file system is
// refused with what keeps it busy; the mount directory is removed after.
import type { RunResult } from '../../exec/runner.ts';
import { StorageError } from './errors.ts';
import { mountAt, type HostFs, type MountEntry, type Runner } from './fs.ts';

export interface MountSpec {
  source: string;
  target: string;
  fstype: string;
  options: string[];
  timeoutMs: number;
}

export interface MountOutcome {
  already: boolean;
  entry?: MountEntry;
}

const tail = (r: RunResult) => (r.stderr || r.stdout).trim().split('\n').filter(Boolean).slice(-2).join(' | ');

/** Whether an NFS source matches what the kernel shows (server:/path; it may drop a trailing slash). */
export function sameSource(a: string, b: string): boolean {
  const n = (s: string) => (s.length > 1 ? s.replace(/\/+$/, '') : s);
  return n(a) === n(b);
}

export async function mountFs(runner: Runner, fs: HostFs, m: MountSpec, explain: (r: RunResult) => StorageError | undefined): Promise<MountOutcome> {
  const cur = await mountAt(fs, m.target);
  if (cur) {
    if (sameSource(cur.source, m.source)) return { already: true, entry: cur };
    throw new StorageError('busy', `${m.target} already has ${cur.source} (${cur.fstype}) mounted; disconnect that first`);
  }
  await fs.mkdirp(m.target);
  const args = ['-t', m.fstype, ...(m.options.length ? ['-o', m.options.join(',')] : []), '--', m.source, m.target];
  const r = await runner.run('mount', args, { timeoutMs: m.timeoutMs });
  if (r.exitCode !== 0 || r.timedOut) {
    await fs.rmdir(m.target);
    if (r.spawnError) throw new StorageError('missing-tool', `mount: ${r.spawnError}`);
    if (r.timedOut) throw new StorageError('timeout', `mounting ${m.source} did not finish within ${Math.round(m.timeoutMs / 1000)} s (the server does not answer)`);
    throw explain(r) ?? new StorageError('failed', `mount ${m.source} failed (exit ${r.exitCode}): ${tail(r)}`);
  }
  return { already: false, entry: await mountAt(fs, m.target) };
}

/** Unmount; false when nothing was mounted there. Refuses a busy file system with a clear message. */
export async function unmountFs(runner: Runner, fs: HostFs, target: string, what: string): Promise<boolean> {
  const cur = await mountAt(fs, target);
  if (!cur) {
    await fs.rmdir(target);
    return false;
  }
  const r = await runner.run('umount', ['--', target], { timeoutMs: 60_000 });
  if (r.exitCode !== 0 || r.timedOut) {
    const text = tail(r);
    if (/busy/i.test(text)) {
      // fuser prints the PIDs on stdout (the names go to stderr); the names come from /proc.
      const users = await runner.run('fuser', ['-m', target], { timeoutMs: 10_000 });
      const who: string[] = [];
      for (const pid of [...new Set(users.stdout.match(/\d+/g) ?? [])].slice(0, 5)) {
        const comm = ((await fs.read(`/proc/${pid}/comm`)) ?? '').trim();
        who.push(`${comm || 'process'} (pid ${pid})`);
      }
      throw new StorageError('busy', `${what} is in use and was not disconnected: ${target} is busy${who.length ? `, used by ${who.join(', ')}` : ''}. Stop what uses it (VMs, storage domains, shells in that directory) and try again.`);
    }
    if (r.timedOut) throw new StorageError('timeout', `unmounting ${target} did not finish within 60 s`);
    throw new StorageError('failed', `umount ${target} failed (exit ${r.exitCode}): ${text}`);
  }
  await fs.rmdir(target);
  return true;
}
