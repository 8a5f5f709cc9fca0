// What the diagnostics read from files, no process started: the NICs' link
// facts in /sys/class/net, the file system of a path (statfs), and the
// validity of a certificate file.
import { X509Certificate } from 'node:crypto';
import { readdir, readFile, stat, statfs } from 'node:fs/promises';
import type { NicFacts, PathUsage } from '../../domain/diagnostics.ts';
import { parseProcRoute } from '../parse.ts';

// The kernel refuses carrier/speed/duplex of a down or virtual interface (EINVAL): undefined, not an error.
const readOpt = (p: string) => readFile(p, 'utf8').then((s) => s.trim(), () => undefined);
const exists = (p: string) => stat(p).then(() => true, () => false);

/** The NICs worth checking: physical ones (a device behind them) and those carrying a default route. */
export async function readNics(sysNet = '/sys/class/net', procRoute = '/proc/net/route'): Promise<NicFacts[]> {
  const names = await readdir(sysNet).catch(() => [] as string[]);
  const routed = new Set(parseProcRoute((await readOpt(procRoute)) ?? '').map((x) => x.dev));
  const picked = (await Promise.all(names.filter((n) => n !== 'lo').map(async (n) => ((routed.has(n) || (await exists(`${sysNet}/${n}/device`))) ? n : undefined))))
    .filter((n): n is string => n !== undefined);
  return Promise.all(picked.sort().map(async (name) => {
    const [flags, carrier, speed, duplex] = await Promise.all(['flags', 'carrier', 'speed', 'duplex'].map((f) => readOpt(`${sysNet}/${name}/${f}`)));
    // IFF_UP is bit 0 of the flags.
    return { name, adminUp: (Number(flags) & 1) === 1, carrier, speed, duplex };
  }));
}

/** df's figures of the file system a path is on, with its mount point (the longest mount in /proc/self/mounts above it). */
export async function pathUsage(path: string, mountsFile = '/proc/self/mounts'): Promise<PathUsage> {
  const [fs, mounts] = await Promise.all([statfs(path), readOpt(mountsFile)]);
  const mount = (mounts ?? '').split('\n').map((l) => l.split(' ')[1]?.replace(/\\040/g, ' ')).filter((m): m is string => Boolean(m))
    .filter((m) => path === m || path.startsWith(m.endsWith('/') ? m : `${m}/`)).sort((a, b) => b.length - a.length)[0] ?? '/';
  const k = fs.bsize / 1024;
  return { path, mount, sizeKiB: Math.round(fs.blocks * k), usedKiB: Math.round((fs.blocks - fs.bfree) * k), availKiB: Math.round(fs.bavail * k) };
}

/** The validity of the first certificate of a PEM file; undefined when it cannot be read as one. */
export async function certValidity(file: string): Promise<{ from: Date; to: Date } | undefined> {
  try {
    const c = new X509Certificate(await readFile(file));
    return { from: new Date(c.validFrom), to: new Date(c.validTo) };
  } catch {
    return undefined;
  }
}
