// Mounted filesystems on removable disks (a USB stick the operator plugged
// in): a block device whose /sys/block/<dev>/removable says 1, with the disk
// or one of its partitions in the mount table.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface RemovableMount {
  /** The disk's kernel name (sdb). */
  disk: string;
  /** The mounted device (/dev/sdb1). */
  device: string;
  mountPoint: string;
  fsType: string;
}

/** /proc/mounts escapes space, tab, newline and backslash as octal. */
const unescapeMount = (s: string) => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));

export interface RemovableRoots {
  sysBlock: string;
  mounts: string;
}

export const REMOVABLE_ROOTS: RemovableRoots = { sysBlock: '/sys/block', mounts: '/proc/mounts' };

async function removableDisks(sysBlock: string): Promise<Map<string, Set<string>>> {
  const disks = new Map<string, Set<string>>();
  for (const disk of await readdir(sysBlock).catch(() => [] as string[])) {
    const flag = await readFile(join(sysBlock, disk, 'removable'), 'utf8').catch(() => '0');
    if (flag.trim() !== '1') continue;
    // The disk itself and its partitions (sub-directories named after it: sdb1, mmcblk0p1).
    const names = new Set([disk]);
    for (const sub of await readdir(join(sysBlock, disk)).catch(() => [] as string[])) if (sub.startsWith(disk)) names.add(sub);
    disks.set(disk, names);
  }
  return disks;
}

/** Every mounted filesystem on a removable disk, in mount-table order. */
export async function removableMounts(roots: RemovableRoots = REMOVABLE_ROOTS): Promise<RemovableMount[]> {
  const disks = await removableDisks(roots.sysBlock);
  if (!disks.size) return [];
  const table = await readFile(roots.mounts, 'utf8').catch(() => '');
  const out: RemovableMount[] = [];
  for (const line of table.split('\n')) {
    const [dev, mnt, type] = line.split(' ');
    if (!dev?.startsWith('/dev/') || !mnt || !type) continue;
    const name = dev.slice('/dev/'.length);
    for (const [disk, names] of disks) if (names.has(name)) out.push({ disk, device: dev, mountPoint: unescapeMount(mnt), fsType: type });
  }
  return out;
}
