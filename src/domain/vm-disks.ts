// Which of a VM's disks may be removed or copied, and why not. A disk names
// a file on the host of the libvirt connection, which need not be this
// machine (qemu+ssh://other/system) or any machine at all (test:///...), so
// disks are removed and copied through libvirt's storage API on that
// connection; a file operation here only where the URI is this machine's own
// QEMU daemon and the file lies in a pool hostdeck manages. Pure: the
// connection layer looks the volumes up (src/virt/volumes.ts).
import { posix } from 'node:path';
import type { DomainDisk } from '../virt/xml/parse.ts';

/** A storage volume as libvirt names it on one connection. */
export interface VolumeRef {
  pool: string;
  name: string;
  /** libvirt's unique key (the path for file pools). */
  key: string;
  path: string;
}

/** One disk a VM owns, as the connection sees it: a volume, a local file hostdeck may remove itself, or neither (problem). */
export interface DiskStorage {
  target: string;
  /** As the VM names it: POOL/VOLUME or a path. */
  source: string;
  volume?: VolumeRef;
  localFile?: string;
  problem?: string;
}

/** The disks of other domains, to find who else uses a volume or file. */
export interface DomainDisks {
  domain: string;
  disks: readonly Pick<DomainDisk, 'path' | 'pool' | 'volume'>[];
}

export interface DiskRemovalPlan {
  /** Removed with the VM: volumes through libvirt, local files here. */
  remove: DiskStorage[];
  /** Kept because another domain uses them. */
  shared: { disk: DiskStorage; usedBy: string[] }[];
  /** Why the disks cannot be removed: then nothing is, and the VM stays defined. */
  refusals: string[];
}

/** The disks a VM owns (writable, not CD-ROMs): what clone copies and delete may remove. */
export function ownedDisks<D extends Pick<DomainDisk, 'device' | 'readonly' | 'path' | 'pool' | 'volume'>>(disks: readonly D[]): D[] {
  return disks.filter((d) => d.device === 'disk' && !d.readonly && (d.path || (d.pool && d.volume)));
}

/** How a disk names its storage: POOL/VOLUME or its path. */
export function diskSource(d: Pick<DomainDisk, 'path' | 'pool' | 'volume'>): string {
  return d.pool && d.volume ? `${d.pool}/${d.volume}` : d.path ?? '';
}

/**
 * Whether a libvirt URI reaches this machine's own QEMU daemon, so that a
 * path in a domain names a file here: qemu:///system, qemu:///session, also
 * over the explicit local socket transport (qemu+unix:///system). Not the
 * test driver (its files are fiction), not a URI with a host or a network
 * transport, not one with its own socket= (that can be a tunnel to another host).
 */
export function uriIsLocal(uri: string): boolean {
  const m = /^([a-z][a-z0-9]*)(?:\+([a-z0-9]+))?:\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/.exec(uri);
  if (!m) return false;
  const [, driver, transport, authority, path, query] = m;
  if (driver !== 'qemu' || (transport !== undefined && transport !== 'unix') || authority) return false;
  if (path !== '/system' && path !== '/session') return false;
  return !(query ?? '').split('&').some((p) => /^socket=/i.test(p));
}

/**
 * What the operator must know about a connection before acting on it: on
 * libvirt's test driver every connection (each call, each virsh) opens its
 * own copy of the fixture, so a VM created or started is not there afterwards.
 */
export function connectionNote(uri: string): string | undefined {
  return /^test(\+[a-z0-9]+)?:\/\//.test(uri) ? 'test driver: changes are not kept' : undefined;
}

/** Why hostdeck may not remove the file at `path` itself over `uri`, if it may. `managedDirs`: the directories of the pools hostdeck manages there. */
export function localFileProblem(uri: string, path: string, managedDirs: readonly string[]): string | undefined {
  if (!uriIsLocal(uri)) return `${uri} is not this machine's own libvirt (qemu:///system or qemu:///session), so hostdeck touches disks there only through libvirt's storage API`;
  const p = posix.normalize(path);
  if (!posix.isAbsolute(p)) return 'the path is not absolute';
  if (!managedDirs.some((d) => posix.dirname(p) === posix.normalize(d).replace(/(.)\/$/, '$1'))) return 'it lies in no storage pool hostdeck manages';
  return undefined;
}

/** Why a disk that is not a libvirt volume cannot be removed or copied: names the disk, its source and the rule. */
export function notAVolumeMessage(target: string, source: string, uri: string, why?: string): string {
  return `disk ${target} (${source}) is not a storage volume of any pool on ${uri}${why ? `: ${why}` : ''}`;
}

const norm = (p: string) => posix.normalize(p);

/** The domains among `others` whose disks use the same volume or file as `disk` (by pool/name, key or path). */
export function diskUsers(disk: DiskStorage, others: readonly DomainDisks[]): string[] {
  const v = disk.volume;
  const paths = new Set([v?.path, v?.key, disk.localFile, disk.source.startsWith('/') ? disk.source : undefined].filter((x): x is string => Boolean(x)).map(norm));
  const volume = v ? `${v.pool}/${v.name}` : undefined;
  return others.filter((o) => o.disks.some((d) => (d.path !== undefined && paths.has(norm(d.path))) || (volume !== undefined && d.pool !== undefined && `${d.pool}/${d.volume}` === volume)))
    .map((o) => o.domain);
}

/** What delete with its disks does: every disk must be a volume (or a local file hostdeck may remove), else nothing is removed. */
export function diskRemovalPlan(disks: readonly DiskStorage[], others: readonly DomainDisks[]): DiskRemovalPlan {
  const plan: DiskRemovalPlan = { remove: [], shared: [], refusals: [] };
  for (const d of disks) {
    const usedBy = diskUsers(d, others);
    if (usedBy.length) plan.shared.push({ disk: d, usedBy });
    else if (d.problem) plan.refusals.push(d.problem);
    else plan.remove.push(d);
  }
  return plan;
}

/** Why a delete with its disks is refused as a whole (nothing is removed, the VM stays defined). */
export function diskRefusalMessage(vm: string, refusals: readonly string[]): string {
  return `cannot remove the disks of ${vm}, so nothing was deleted: ${refusals.join('; ')}`;
}

/** The clone's volume for a disk: NEW.ext for the first, NEW-TARGET.ext for the others (ext from the source volume, else its format). */
export function cloneVolumeName(newName: string, index: number, target: string, sourceName: string, format?: string): string {
  const ext = posix.extname(sourceName) || (format ? `.${format}` : '');
  return `${index === 0 ? newName : `${newName}-${target}`}${ext}`;
}
