// Storage pools and volumes on one libvirt connection, through virsh's
// storage commands with every pool and volume named by its option (--pool,
// --vol, --newname), so no name is ever read as another option: listing,
// defining, starting, stopping and forgetting pools; creating, cloning and
// deleting volumes; the volume behind a VM's disk. Every function takes the
// connection's virsh (VirtConnection.virsh, or PoolClient's over an injected
// runner, which drives this machine's libvirtd or the one inside a test
// host). The rules for what may be removed or copied are pure, in
// src/domain/vm-disks.ts.
import { rm } from 'node:fs/promises';
import type { RunOptions, RunResult } from '../exec/runner.ts';
import { parseXml, renderXml, textOf, x } from './xml/xml.ts';
import { VirshError, virshArgs, virshArgv, virshErrorMessage, withXmlFile } from './virsh.ts';
import { NotFoundError } from '../domain/errors.ts';
import { parsePoolList, parseVolList, type StoragePool, type StorageVolume } from './storage.ts';
import type { DomainDisk } from './xml/parse.ts';
import type { Virsh } from './link.ts';
import { domainNames, domainStateText, domainXmlText } from './domains.ts';
import { diskSource, localFileProblem, notAVolumeMessage, type DiskStorage, type VolumeRef } from '../domain/vm-disks.ts';

export type { Virsh } from './link.ts';

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
  if (v.name !== name) throw new NotFoundError(`Storage volume not found: no volume named ${name} in pool ${pool}`);
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
  const pools = (await poolList(virsh)).filter((p) => p.state === 'running').map((p) => p.name);
  // A pool that cannot refresh just finds nothing: the disk is then refused, never removed by guess.
  for (const p of pools) await poolRefresh(virsh, p).catch(() => undefined);
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

// ---- pools ------------------------------------------------------------------

/** A pool start, stop or refresh waits for the pool's storage (a slow NFS mount, an iSCSI login). */
const POOL_TIMEOUT_MS = 60_000;

export interface PoolInfo {
  state: string;
  capacityBytes?: number;
  allocationBytes?: number;
  availableBytes?: number;
}

/** virsh pool-info --bytes output -> numbers. */
export function parsePoolInfo(text: string): PoolInfo {
  const get = (k: string) => new RegExp(`^${k}:\\s*(.+)$`, 'mi').exec(text)?.[1]?.trim();
  const num = (k: string) => {
    const v = get(k);
    return v && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  return { state: get('State') ?? 'unknown', capacityBytes: num('Capacity'), allocationBytes: num('Allocation'), availableBytes: num('Available') };
}

export async function poolList(virsh: Virsh): Promise<StoragePool[]> {
  return parsePoolList(await virsh(virshArgs('pool-list', {}, ['--all', '--details'])));
}

export async function poolInfo(virsh: Virsh, pool: string, timeoutMs = 15_000): Promise<PoolInfo> {
  return parsePoolInfo(await virsh(virshArgs('pool-info', { pool }, ['--bytes']), { timeoutMs }));
}

export async function poolRefresh(virsh: Virsh, pool: string): Promise<void> {
  await virsh(virshArgs('pool-refresh', { pool }), { timeoutMs: POOL_TIMEOUT_MS });
}

export async function poolStart(virsh: Virsh, pool: string): Promise<void> {
  await virsh(virshArgs('pool-start', { pool }), { timeoutMs: POOL_TIMEOUT_MS });
}

/** pool-destroy stops a pool; its data stays. */
export async function poolStop(virsh: Virsh, pool: string): Promise<void> {
  await virsh(virshArgs('pool-destroy', { pool }), { timeoutMs: POOL_TIMEOUT_MS });
}

export async function poolUndefine(virsh: Virsh, pool: string): Promise<void> {
  await virsh(virshArgs('pool-undefine', { pool }));
}

export async function poolDefineDir(virsh: Virsh, pool: string, target: string): Promise<void> {
  await virsh(virshArgs('pool-define-as', { name: pool, type: 'dir', target }));
}

export async function poolDefineLogical(virsh: Virsh, pool: string, vg: string): Promise<void> {
  await virsh(virshArgs('pool-define-as', { name: pool, type: 'logical', 'source-name': vg, target: `/dev/${vg}` }));
}

/** Define, build and start a directory pool. */
export async function poolCreateDir(virsh: Virsh, pool: string, target: string): Promise<void> {
  await poolDefineDir(virsh, pool, target);
  await virsh(virshArgs('pool-build', { pool }));
  await poolStart(virsh, pool);
}

// ---- volumes ----------------------------------------------------------------

/** The volume's XML (its format, capacity, target). */
export async function volumeXml(virsh: Virsh, pool: string, name: string): Promise<string> {
  return virsh(virshArgs('vol-dumpxml', { vol: name, pool }));
}

export async function volumePath(virsh: Virsh, pool: string, name: string): Promise<string> {
  return (await virsh(virshArgs('vol-path', { vol: name, pool }))).trim();
}

export async function volumeList(virsh: Virsh, pool: string): Promise<StorageVolume[]> {
  return parseVolList(await virsh(virshArgs('vol-list', { pool }, ['--details']), { timeoutMs: 30_000 }));
}

/** Create a volume (`thin`: nothing allocated up front); returns its path. */
export async function volumeCreate(virsh: Virsh, pool: string, name: string, sizeBytes: number, format: 'qcow2' | 'raw', opts: { thin?: boolean } = {}): Promise<string> {
  await virsh(virshArgs('vol-create-as', { pool, name, capacity: `${sizeBytes}b`, format, allocation: opts.thin ? '0' : undefined }), { timeoutMs: 300_000 });
  return volumePath(virsh, pool, name);
}

/**
 * A new qcow2 volume whose reads fall through to the image `backing` (a thin
 * VM's disk). libvirt makes it and lists it at once: one call, no pool
 * refresh. compat 1.1 as `qemu-img create` makes it (libvirt's own default
 * is 0.10, without zero clusters).
 */
export async function volumeCreateOverlay(virsh: Virsh, pool: string, name: string, backing: { path: string; format: string; sizeBytes: number }): Promise<void> {
  const xml = renderXml(x('volume', {},
    x('name', {}, name),
    x('capacity', { unit: 'bytes' }, backing.sizeBytes),
    x('target', {}, x('format', { type: 'qcow2' }), x('compat', {}, '1.1')),
    x('backingStore', {}, x('path', {}, backing.path), x('format', { type: backing.format }))));
  await withXmlFile(xml, (file) => virsh(virshArgs('vol-create', { pool, file })));
}

// ---- over an injected runner --------------------------------------------------

export interface Runner {
  run(command: string, args?: readonly string[], opts?: RunOptions): Promise<RunResult>;
  runOk(command: string, args?: readonly string[], opts?: RunOptions): Promise<RunResult>;
}

/** virsh on `uri` through `runner`; a failure is a VirshError with virsh's own message. */
export function runnerVirsh(runner: Runner, uri: string): Virsh {
  return async (args, opts = {}) => {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const r = await runner.run('virsh', virshArgv(uri, args), { timeoutMs, env: { LC_ALL: 'C' } });
    if (r.exitCode !== 0 || r.timedOut) {
      if (r.spawnError) throw new VirshError(`virsh is not installed: ${r.spawnError}`, r);
      const msg = r.timedOut ? `virsh ${args[0] ?? ''} did not answer within ${Math.round(timeoutMs / 1000)} s` : virshErrorMessage(r.stderr || r.stdout, `virsh ${args[0] ?? ''} exited with code ${r.exitCode}`);
      throw new VirshError(msg, r);
    }
    return r.stdout;
  };
}

/**
 * The pools and volumes of one connection for storage domains, where
 * defining, starting, stopping and forgetting are idempotent (a pool already
 * there, running or gone is success).
 */
export class PoolClient {
  readonly virsh: Virsh;

  constructor(runner: Runner, uri: string) {
    this.virsh = runnerVirsh(runner, uri);
  }

  pools(): Promise<StoragePool[]> {
    return poolList(this.virsh);
  }

  async pool(name: string): Promise<StoragePool | undefined> {
    return (await this.pools()).find((p) => p.name === name);
  }

  poolInfo(name: string, timeoutMs = 15_000): Promise<PoolInfo> {
    return poolInfo(this.virsh, name, timeoutMs);
  }

  /** Define a pool unless one of that name exists; returns whether it was defined now. */
  async defineDir(name: string, target: string): Promise<boolean> {
    if (await this.pool(name)) return false;
    await poolDefineDir(this.virsh, name, target);
    return true;
  }

  async defineLogical(name: string, vg: string): Promise<boolean> {
    if (await this.pool(name)) return false;
    await poolDefineLogical(this.virsh, name, vg);
    return true;
  }

  /** Start a pool; an already running pool is success. */
  async start(name: string): Promise<void> {
    if ((await this.pool(name))?.state === 'running') return;
    await poolStart(this.virsh, name);
  }

  /** Stop a pool (the data stays); a stopped pool is success. */
  async stop(name: string): Promise<void> {
    const p = await this.pool(name);
    if (!p || p.state !== 'running') return;
    await poolStop(this.virsh, name);
  }

  /** Forget a pool (stop + undefine); never deletes data. */
  async undefine(name: string): Promise<void> {
    const p = await this.pool(name);
    if (!p) return;
    if (p.state === 'running') await poolStop(this.virsh, name);
    if (p.persistent) await poolUndefine(this.virsh, name);
  }

  refresh(name: string): Promise<void> {
    return poolRefresh(this.virsh, name);
  }

  volumes(pool: string): Promise<StorageVolume[]> {
    return volumeList(this.virsh, pool);
  }

  volumeCreate(pool: string, name: string, sizeBytes: number, format: 'qcow2' | 'raw', opts: { thin?: boolean } = {}): Promise<string> {
    return volumeCreate(this.virsh, pool, name, sizeBytes, format, opts);
  }

  volumeDelete(pool: string, name: string): Promise<void> {
    return volumeDelete(this.virsh, { pool, name });
  }

  /** Names of running (or, with all, every defined) VM. */
  vmNames(all: boolean): Promise<string[]> {
    return domainNames(this.virsh, all);
  }

  vmXml(name: string): Promise<string> {
    return domainXmlText(this.virsh, name);
  }

  vmState(name: string): Promise<string> {
    return domainStateText(this.virsh, name);
  }
}
