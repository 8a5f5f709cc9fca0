// Storage volumes on the libvirt connection that owns them: the volume
// behind a VM's disk, cloning and deleting it, through virsh's storage
// commands with every pool and volume named by its option (--pool, --vol,
// --newname), so no name is ever read as another option. The rules for what
// may be removed or copied are pure, in src/domain/vm-disks.ts.
import { rm } from 'node:fs/promises';
import { parseXml, textOf } from './xml/xml.ts';
import { virshArgs, type VirshArgs } from './virsh.ts';
import { parsePoolList } from './storage.ts';
import type { DomainDisk } from './xml/parse.ts';
import { diskSource, localFileProblem, notAVolumeMessage, type DiskStorage, type VolumeRef } from '../domain/vm-disks.ts';

/** The connection's virsh helper (VirtConnection.virsh). */
export type Virsh = (args: VirshArgs, opts?: { timeoutMs?: number }) => Promise<string>;

/** A copy runs as long as the image is big; libvirt does it (qemu-img on the pool's host). */
const COPY_TIMEOUT_MS = 3_600_000;

/** libvirt's answers for a volume or pool that is not there (or not usable now); anything else is a real failure. */
const NOT_A_VOLUME = /not found|no storage vol|failed to get (vol|pool)|specifying --pool might help|is not active/i;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The volume NAME in POOL; throws when the pool has no volume of that name. */
export async function volumeInPool(virsh: Virsh, pool: string, name: string): Promise<VolumeRef> {
  const root = parseXml(await virsh(virshArgs('vol-dumpxml', { pool, vol: name })));
  const v = { pool, name: textOf(root, 'name') ?? '', key: textOf(root, 'key') ?? '', path: textOf(root, 'target/path') ?? '' };
  // virsh falls back to a lookup by key or path on the whole connection: only the volume of that name in that pool counts.
  if (v.name !== name) throw new Error(`Storage volume not found: no volume named ${name} in pool ${pool}`);
  return v;
}

/** The volume whose path (or key) is `path` on this connection, if a running pool holds one. */
async function volumeAt(virsh: Virsh, path: string): Promise<VolumeRef | undefined> {
  try {
    const pool = (await virsh(virshArgs('vol-pool', { vol: path }))).trim();
    const root = parseXml(await virsh(virshArgs('vol-dumpxml', { vol: path })));
    return { pool, name: textOf(root, 'name') ?? '', key: textOf(root, 'key') ?? '', path: textOf(root, 'target/path') ?? path };
  } catch (e) {
    if (NOT_A_VOLUME.test(message(e))) return undefined;
    throw e;
  }
}

/** Refresh every running pool, so that a file written since its last refresh shows up as its volume. */
async function refreshPools(virsh: Virsh): Promise<void> {
  const pools = parsePoolList(await virsh(virshArgs('pool-list', {}, ['--all', '--details']))).filter((p) => p.state === 'running').map((p) => p.name);
  // A pool that cannot refresh just finds nothing: the disk is then refused, never removed by guess.
  for (const p of pools) await virsh(virshArgs('pool-refresh', { pool: p })).catch(() => undefined);
}

/** The target directories of the pools named (pools the connection does not have are left out). */
async function poolDirs(virsh: Virsh, pools: readonly string[]): Promise<string[]> {
  const dirs: string[] = [];
  for (const p of pools) {
    const xml = await virsh(virshArgs('pool-dumpxml', { pool: p })).catch(() => '');
    const dir = xml ? textOf(parseXml(xml), 'target/path') : undefined;
    if (dir) dirs.push(dir);
  }
  return dirs;
}

/**
 * Finds the storage behind a VM's disks on one connection. Pools are
 * refreshed once, when a path is not (yet) a known volume.
 */
export class DiskLookup {
  private refreshed = false;
  private managedDirs?: Promise<string[]>;

  /** `managedPools`: the pools hostdeck manages on this connection (storage domains); only their files may be removed here, and only on a local URI. */
  constructor(private readonly virsh: Virsh, private readonly uri: string, private readonly managedPools: readonly string[] = []) {}

  /** One owned disk: its volume; for `purpose: 'remove'` a local file hostdeck may remove itself; else why neither. */
  async disk(d: Pick<DomainDisk, 'target' | 'path' | 'pool' | 'volume'>, purpose: 'remove' | 'copy'): Promise<DiskStorage> {
    const source = diskSource(d);
    const base = { target: d.target, source };
    if (d.pool && d.volume) {
      try {
        return { ...base, volume: await volumeInPool(this.virsh, d.pool, d.volume) };
      } catch (e) {
        if (!NOT_A_VOLUME.test(message(e))) throw e;
        return { ...base, problem: notAVolumeMessage(d.target, source, this.uri, `libvirt says: ${message(e)}`) };
      }
    }
    if (!d.path) return { ...base, problem: `disk ${d.target} has neither a file nor a pool volume: hostdeck cannot ${purpose} it` };
    let volume = await volumeAt(this.virsh, d.path);
    if (!volume && !this.refreshed) {
      this.refreshed = true;
      await refreshPools(this.virsh);
      volume = await volumeAt(this.virsh, d.path);
    }
    if (volume) return { ...base, volume };
    if (purpose === 'copy') return { ...base, problem: notAVolumeMessage(d.target, source, this.uri, 'hostdeck copies disks only as volumes, with libvirt\'s vol-clone in their pool') };
    this.managedDirs ??= poolDirs(this.virsh, this.managedPools);
    const why = localFileProblem(this.uri, d.path, await this.managedDirs);
    if (!why) return { ...base, localFile: d.path };
    return { ...base, problem: notAVolumeMessage(d.target, source, this.uri, `${why}; delete the VM keeping its disks instead`) };
  }
}

/** Clone a volume in its own pool under `newName`; returns the new volume. */
export async function volumeClone(virsh: Virsh, src: VolumeRef, newName: string): Promise<VolumeRef> {
  await virsh(virshArgs('vol-clone', { pool: src.pool, vol: src.name, newname: newName }), { timeoutMs: COPY_TIMEOUT_MS });
  return volumeInPool(virsh, src.pool, newName);
}

export async function volumeDelete(virsh: Virsh, v: Pick<VolumeRef, 'pool' | 'name'>): Promise<void> {
  await virsh(virshArgs('vol-delete', { pool: v.pool, vol: v.name }), { timeoutMs: 600_000 });
}

/** Remove a disk DiskLookup found: its volume through libvirt, or the local file it allowed. */
export async function diskRemove(virsh: Virsh, d: DiskStorage): Promise<void> {
  if (d.volume) await volumeDelete(virsh, d.volume);
  else if (d.localFile) await rm(d.localFile);
  else throw new Error(d.problem ?? `disk ${d.target}: nothing hostdeck may remove`);
}
