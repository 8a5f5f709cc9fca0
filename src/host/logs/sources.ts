// The log files a host keeps under /var/log, and the one way a name a user
// gave becomes a path: inside the directory (after symbolic links), a
// regular file, or nothing.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface LogFile { name: string; path: string; bytes: number; modified: string }

/** Binary or rotated-and-compressed files: not logs a viewer can show as text. */
const NOT_TEXT = /^(wtmp|btmp|lastlog|faillog)$|\.(gz|xz|bz2|zst|journal|journal~)$/;
/** Directories with their own sources (the journal, VMs' logs) or that are not text. */
const SKIP_DIRS = new Set(['journal', 'private', 'qemu']);

async function filesIn(dir: string, prefix: string, depth: number): Promise<LogFile[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: LogFile[] = [];
  for (const e of entries) {
    const name = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory() && depth > 0 && !SKIP_DIRS.has(e.name)) out.push(...await filesIn(join(dir, e.name), name, depth - 1));
    else if (e.isFile() && !NOT_TEXT.test(e.name)) {
      const s = await stat(join(dir, e.name)).catch(() => undefined);
      if (s) out.push({ name, path: join(dir, e.name), bytes: s.size, modified: s.mtime.toISOString() });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The text log files under `dir` and its directories one level down. */
export const listLogFiles = (dir: string): Promise<LogFile[]> => filesIn(dir, '', 1);

/** `name` (relative to `dir`) as a path, when it is a regular file inside `dir` once its links are followed. */
export async function resolveLogFile(dir: string, name: string): Promise<string | undefined> {
  const [root, real] = await Promise.all([realpath(dir).catch(() => undefined), realpath(join(dir, name)).catch(() => undefined)]);
  if (!root || !real || !real.startsWith(`${root}/`)) return undefined;
  return (await stat(real).catch(() => undefined))?.isFile() ? real : undefined;
}
