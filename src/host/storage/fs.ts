// The few file-system reads and writes the storage code makes on the host,
// behind an interface: the real file system by default, or the same calls
// made through a runner (tests drive a test host from this machine).
import { access, mkdir, readdir, readFile, readlink, rmdir, stat } from 'node:fs/promises';
import type { RunOptions, RunResult } from '../../exec/runner.ts';

export interface Runner {
  run(command: string, args?: readonly string[], opts?: RunOptions): Promise<RunResult>;
}

export interface HostFs {
  /** File contents, or undefined when it does not exist or cannot be read. */
  read(path: string): Promise<string | undefined>;
  /** Entry names, or [] when the directory does not exist. */
  list(path: string): Promise<string[]>;
  exists(path: string): Promise<boolean>;
  isDir(path: string): Promise<boolean>;
  /** Link target, or undefined. */
  link(path: string): Promise<string | undefined>;
  mkdirp(path: string): Promise<void>;
  /** Remove an empty directory; false when it is not empty or missing. */
  rmdir(path: string): Promise<boolean>;
  /** Every call starts a program (a runner-backed view of another host): prefer one program over many reads. */
  remote?: boolean;
}

export const localFs: HostFs = {
  async read(p) { try { return await readFile(p, 'utf8'); } catch { return undefined; } },
  async list(p) { try { return (await readdir(p)).sort(); } catch { return []; } },
  async exists(p) { try { await access(p); return true; } catch { return false; } },
  async isDir(p) { try { return (await stat(p)).isDirectory(); } catch { return false; } },
  async link(p) { try { return await readlink(p); } catch { return undefined; } },
  async mkdirp(p) { await mkdir(p, { recursive: true, mode: 0o755 }); },
  async rmdir(p) { try { await rmdir(p); return true; } catch { return false; } },
};

/** The same operations as programs run through `runner` (cat, ls, test, readlink, mkdir, rmdir). */
export function runnerFs(runner: Runner): HostFs {
  const ok = async (cmd: string, args: string[]) => (await runner.run(cmd, args)).exitCode === 0;
  return {
    remote: true,
    async read(p) { const r = await runner.run('cat', ['--', p]); return r.exitCode === 0 ? r.stdout : undefined; },
    async list(p) { const r = await runner.run('ls', ['-1A', '--', p]); return r.exitCode === 0 ? r.stdout.split('\n').filter(Boolean).sort() : []; },
    exists: (p) => ok('test', ['-e', p]),
    isDir: (p) => ok('test', ['-d', p]),
    async link(p) { const r = await runner.run('readlink', ['--', p]); return r.exitCode === 0 ? r.stdout.trim() : undefined; },
    async mkdirp(p) { const r = await runner.run('mkdir', ['-p', '--', p]); if (r.exitCode !== 0) throw new Error(`cannot create ${p}: ${r.stderr.trim()}`); },
    rmdir: (p) => ok('rmdir', ['--', p]),
  };
}

/** A mount table entry (/proc/mounts); octal escapes (\040) decoded. */
export interface MountEntry {
  source: string;
  target: string;
  fstype: string;
  options: string;
}

const unescapeMount = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f.length < 4) continue;
    out.push({ source: unescapeMount(f[0]!), target: unescapeMount(f[1]!), fstype: f[2]!, options: f[3]! });
  }
  return out;
}

export async function mountAt(fs: HostFs, target: string): Promise<MountEntry | undefined> {
  const all = parseMounts((await fs.read('/proc/mounts')) ?? '');
  return all.filter((m) => m.target === target).pop();
}
