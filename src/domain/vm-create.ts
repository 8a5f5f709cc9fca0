// VM creation and editing input, and its validation: pure, no I/O. The TUI
// wizard and `hostdeck vm create` build a VmCreateInput; validateVmCreate
// checks every field against the host's facts (gathered once by the service)
// and returns every problem, each naming the field and the rule, before
// anything is created.

import type { FieldError } from './errors.ts';
import { objectNameProblem } from './names.ts';
import { formatMiB } from './size.ts';
import { controlCharProblem } from './text.ts';
import {
  CPU_DEFAULT, DISK_BUSES, cpuProblem, diskBusProblem, firmwareProblem, nicsProblems, osVariantProblem,
  type DiskBus, type Firmware, type MachineFacts, type NicInput, type OsVariants,
} from './vm-devices.ts';

/** Field ids: name, vcpus, memory, description, disks[0].pool, nics[0].source, boot, iso, kernel, machine, firmware, cpu, osVariant, graphics ... */
export type { FieldError };
export type { DiskBus, NicInput } from './vm-devices.ts';
export { macProblem } from './vm-devices.ts';

export type DiskFormat = 'qcow2' | 'raw';
export type BootKind = 'disk' | 'cdrom' | 'network' | 'kernel';
export type GraphicsKind = 'vnc' | 'spice' | 'none';
export type OsType = 'linux' | 'windows' | 'other';

export type DiskInput =
  | { kind: 'new'; pool: string; sizeMiB: number; format: DiskFormat; bus?: DiskBus }
  | { kind: 'existing'; pool: string; volume: string; bus?: DiskBus };

export interface VmCreateInput {
  name: string;
  vcpus: number;
  memoryMiB: number;
  description?: string;
  disks: DiskInput[];
  /** In the order the guest sees them; none is fine. */
  nics: NicInput[];
  boot: BootKind;
  /** ISO for CD-ROM boot: a path on this host, or POOL/VOLUME. */
  iso?: string;
  /** Direct kernel boot. */
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  osType: OsType;
  /** QEMU machine type (pc, q35, or a versioned one such as pc-q35-7.2). */
  machine: string;
  /** bios when absent; uefi needs OVMF on the host. */
  firmware?: Firmware;
  /** host-model when absent, host-passthrough, or a named model QEMU lists for the host. */
  cpu?: string;
  /** osinfo short id (e.g. debian12), recorded in the domain's metadata. */
  osVariant?: string;
  graphics: GraphicsKind;
  /** The cluster (name or id) the VM joins; its CPU type is the VM's CPU when `cpu` is absent. Default when absent. */
  cluster?: string;
}

/** What validation needs to know about the host (read by the service, once). */
export interface HostFacts {
  /** Names of every domain libvirt knows. */
  domains: readonly string[];
  /** Host memory in KiB (libvirt's node info). */
  memoryKiB: number;
  /** Logical CPUs of the host: a VM gets at most this many vCPUs. */
  cpus: number;
  pools: readonly { name: string; state: string; availableBytes?: number }[];
  /** Volumes by pool (only the pools the input names need to be here). */
  volumes: Readonly<Record<string, readonly string[]>>;
  networks: readonly string[];
  bridges: readonly string[];
  /** Why a NIC cannot use a vNIC profile (PROFILE or NETWORK/PROFILE), or undefined; absent: profiles are not known. */
  profileProblem?: (ref: string) => string | undefined;
  /** Machine types QEMU offers here (from the capabilities); empty when the driver has none (test driver). */
  machines: readonly string[];
  /** What QEMU offers a machine type (firmware, CPU, disk buses), or why that is not known. */
  machineFacts: (machine: string) => MachineFacts;
  osVariants: OsVariants;
  /** Whether a path exists on this host (ISO, kernel, initrd). */
  fileExists: (path: string) => boolean;
  /** The first `bytes` of a regular file on this host (the ISO and kernel rules read its magic number); undefined when it cannot be read. */
  fileHead: (path: string, bytes: number) => Uint8Array | undefined;
}

const ascii = (head: Uint8Array, at: number, text: string): boolean =>
  head.length >= at + text.length && [...text].every((c, i) => head[at + i] === c.charCodeAt(0));

/** Where an ISO 9660 image says what it is: "CD001" in its first volume descriptor (sector 16, byte 1). */
const ISO9660_MAGIC_AT = 32769;
/** How much of a file the ISO and kernel rules read. */
export const IMAGE_HEAD_BYTES = ISO9660_MAGIC_AT + 5;

export const ISO_RULE = 'an ISO 9660 image ("CD001" at byte 32769) or a volume of a pool (POOL/VOLUME)';
export const KERNEL_RULE = 'a kernel image: an x86 bzImage ("HdrS" at 0x202), an ELF file, an arm64 Image ("ARMd" at 0x38) or an EFI stub ("MZ" at 0)';

export function isIso9660(head: Uint8Array): boolean {
  return ascii(head, ISO9660_MAGIC_AT, 'CD001');
}

export function isKernelImage(head: Uint8Array): boolean {
  return ascii(head, 0x202, 'HdrS') || (head[0] === 0x7f && ascii(head, 1, 'ELF')) || ascii(head, 0x38, 'ARMd') || ascii(head, 0, 'MZ');
}

/** What is wrong with a file on this host given as an image (ISO, kernel), or undefined. */
function imageFileProblem(path: string, facts: HostFacts, isKind: (head: Uint8Array) => boolean, rule: string): string | undefined {
  if (!path.startsWith('/')) return undefined;
  if (!facts.fileExists(path)) return `${path} does not exist`;
  const head = facts.fileHead(path, IMAGE_HEAD_BYTES);
  if (!head) return `${path} cannot be read (it must be a readable file: ${rule})`;
  return isKind(head) ? undefined : `${path} is not ${rule}`;
}

export const NAME_MAX = 255;
export const DESCRIPTION_MAX = 4096;
export const MACHINES_DEFAULT = ['pc', 'q35'] as const;

const err = (field: string, label: string, rule: string): FieldError => ({ field, message: `${label}: ${rule}` });

/** Rules for a VM name (libvirt's own, plus what makes a name usable in paths and lists). */
export function vmNameProblem(name: string, existing: readonly string[] = []): string | undefined {
  if (!name.trim()) return 'is required';
  if (name.includes('/')) return "must not contain '/'";
  if (/[\n\r]/.test(name)) return 'must not contain a newline';
  const shared = objectNameProblem(name);
  if (shared) return shared;
  if (name.length > NAME_MAX) return `must be at most ${NAME_MAX} characters (got ${name.length})`;
  if (name !== name.trim()) return 'must not start or end with a space';
  if (existing.includes(name)) return `a VM named '${name}' already exists`;
  return undefined;
}

export function vcpusProblem(vcpus: number, hostCpus: number): string | undefined {
  if (!Number.isInteger(vcpus)) return 'must be a whole number';
  if (vcpus < 1) return 'must be at least 1';
  if (vcpus > hostCpus) return `must be at most ${hostCpus} (this host's logical CPUs)`;
  return undefined;
}

export function memoryProblem(memoryMiB: number, hostKiB: number): string | undefined {
  if (!Number.isFinite(memoryMiB) || !Number.isInteger(memoryMiB)) return 'must be a whole number of MiB';
  if (memoryMiB <= 0) return 'must be more than 0 MiB';
  const hostMiB = Math.floor(hostKiB / 1024);
  if (memoryMiB > hostMiB) return `must be at most ${hostMiB} MiB (this host's memory)`;
  return undefined;
}

export function descriptionProblem(d: string | undefined): string | undefined {
  if (d && d.length > DESCRIPTION_MAX) return `must be at most ${DESCRIPTION_MAX} characters`;
  return d ? controlCharProblem(d) : undefined;
}

export const CMDLINE_MAX = 4096;

export function cmdlineProblem(c: string | undefined): string | undefined {
  if (c && c.length > CMDLINE_MAX) return `must be at most ${CMDLINE_MAX} characters`;
  return c ? controlCharProblem(c) : undefined;
}

/** What a machine type looks like where the connection lists none to check it against. */
const MACHINE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function machineProblem(machine: string, known: readonly string[]): string | undefined {
  if (!machine) return 'is required';
  if (known.length) return known.includes(machine) ? undefined : `QEMU on this host has no machine '${machine}' (e.g. ${known.filter((m) => !/-\d/.test(m)).slice(0, 4).join(', ') || 'pc, q35'})`;
  if (!MACHINE_PATTERN.test(machine)) return "must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (this connection lists no machine types to check against)";
  return undefined;
}

/** Sum of the new volume sizes asked for per pool, in bytes. */
function requestedBytes(disks: readonly DiskInput[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of disks) if (d.kind === 'new') m.set(d.pool, (m.get(d.pool) ?? 0) + d.sizeMiB * 1024 * 1024);
  return m;
}

const poolProblem = (pool: string, facts: Pick<HostFacts, 'pools'>): string | undefined => {
  if (!pool) return 'is required';
  const shared = objectNameProblem(pool);
  if (shared) return shared;
  const p = facts.pools.find((x) => x.name === pool);
  if (!p) return `no storage pool named '${pool}'${facts.pools.length ? ` (pools: ${facts.pools.map((x) => x.name).join(', ')})` : ' (this host has no storage pool)'}`;
  if (p.state !== 'running') return `storage pool '${pool}' is ${p.state || 'not running'}: start it first`;
  return undefined;
};

/** Split "POOL/VOLUME"; undefined when it is a plain path. */
export function poolVolume(s: string): { pool: string; volume: string } | undefined {
  if (s.startsWith('/')) return undefined;
  const i = s.indexOf('/');
  if (i <= 0 || i === s.length - 1) return undefined;
  return { pool: s.slice(0, i), volume: s.slice(i + 1) };
}

/** Every problem with disks on pools: a running pool, a new volume's size and format, an existing volume that is there, room in each pool. */
export function disksProblems(disks: readonly DiskInput[], facts: Pick<HostFacts, 'pools' | 'volumes'>): FieldError[] {
  const out: FieldError[] = [];
  disks.forEach((d, i) => {
    const f = `disks[${i}]`;
    const label = `disk ${i + 1}`;
    const pp = poolProblem(d.pool, facts);
    if (pp) { out.push(err(`${f}.pool`, `${label} pool`, pp)); return; }
    if (d.kind === 'new') {
      if (!Number.isInteger(d.sizeMiB) || d.sizeMiB <= 0) out.push(err(`${f}.size`, `${label} size`, 'must be more than 0'));
      if (d.format !== 'qcow2' && d.format !== 'raw') out.push(err(`${f}.format`, `${label} format`, 'must be qcow2 or raw'));
    } else {
      if (!d.volume) out.push(err(`${f}.volume`, `${label} volume`, 'is required'));
      else if (objectNameProblem(d.volume)) out.push(err(`${f}.volume`, `${label} volume`, objectNameProblem(d.volume)!));
      else if (!(facts.volumes[d.pool] ?? []).includes(d.volume)) out.push(err(`${f}.volume`, `${label} volume`, `no volume named '${d.volume}' in pool '${d.pool}'`));
    }
  });
  // Room: every new volume of one pool together must fit in what the pool has left.
  for (const [pool, bytes] of requestedBytes(disks)) {
    const pl = facts.pools.find((x) => x.name === pool);
    if (!pl || pl.state !== 'running' || pl.availableBytes === undefined) continue;
    if (bytes > pl.availableBytes) {
      const i = disks.findIndex((d) => d.kind === 'new' && d.pool === pool);
      out.push(err(`disks[${i}].size`, `disk ${i + 1} size`, `storage pool '${pool}' has ${formatMiB(Math.floor(pl.availableBytes / 1048576))} free, ${formatMiB(Math.ceil(bytes / 1048576))} asked for`));
    }
  }
  return out;
}

/** Every problem with a create input (empty when it can be created). */
export function validateVmCreate(input: VmCreateInput, facts: HostFacts): FieldError[] {
  const out: FieldError[] = [];
  const p = (field: string, label: string, problem: string | undefined) => { if (problem) out.push(err(field, label, problem)); };
  p('name', 'name', vmNameProblem(input.name, facts.domains));
  p('vcpus', 'vCPUs', vcpusProblem(input.vcpus, facts.cpus));
  p('memory', 'memory', memoryProblem(input.memoryMiB, facts.memoryKiB));
  p('description', 'description', descriptionProblem(input.description));
  p('cmdline', 'kernel command line', cmdlineProblem(input.cmdline));

  out.push(...disksProblems(input.disks, facts));

  out.push(...nicsProblems(input.nics, facts));

  switch (input.boot) {
    case 'disk':
      if (!input.disks.length) out.push(err('boot', 'boot', 'boot from disk needs at least one disk'));
      break;
    case 'cdrom': {
      if (!input.iso) { out.push(err('iso', 'ISO', 'is required to boot from CD-ROM (a path or POOL/VOLUME)')); break; }
      const pv = poolVolume(input.iso);
      if (pv) {
        const pp = poolProblem(pv.pool, facts);
        if (pp) out.push(err('iso', 'ISO', pp));
        else if (objectNameProblem(pv.volume)) out.push(err('iso', 'ISO', `volume ${objectNameProblem(pv.volume)!}`));
        else if (!(facts.volumes[pv.pool] ?? []).includes(pv.volume)) out.push(err('iso', 'ISO', `no volume named '${pv.volume}' in pool '${pv.pool}'`));
      } else if (!input.iso.startsWith('/')) out.push(err('iso', 'ISO', 'must be an absolute path or POOL/VOLUME'));
      else p('iso', 'ISO', imageFileProblem(input.iso, facts, isIso9660, ISO_RULE));
      break;
    }
    case 'network':
      if (!input.nics.length) out.push(err('boot', 'boot', 'network boot needs a network interface'));
      break;
    case 'kernel':
      if (!input.kernel) out.push(err('kernel', 'kernel', 'is required for direct kernel boot'));
      else if (!input.kernel.startsWith('/')) out.push(err('kernel', 'kernel', 'must be an absolute path'));
      else p('kernel', 'kernel', imageFileProblem(input.kernel, facts, isKernelImage, KERNEL_RULE));
      if (input.initrd) {
        if (!input.initrd.startsWith('/')) out.push(err('initrd', 'initrd', 'must be an absolute path'));
        else if (!facts.fileExists(input.initrd)) out.push(err('initrd', 'initrd', `${input.initrd} does not exist`));
      }
      break;
    default:
      out.push(err('boot', 'boot', 'must be disk, cdrom, network or kernel'));
  }
  if (input.boot !== 'kernel') {
    if (input.initrd) out.push(err('initrd', 'initrd', 'needs boot from kernel (give the kernel too)'));
    if (input.cmdline) out.push(err('cmdline', 'kernel command line', 'needs boot from kernel (give the kernel too)'));
  }
  if (!['linux', 'windows', 'other'].includes(input.osType)) out.push(err('os', 'OS type', 'must be linux, windows or other'));
  const machineBad = machineProblem(input.machine, facts.machines);
  p('machine', 'machine type', machineBad);
  if (!machineBad) {
    const mf = facts.machineFacts(input.machine);
    p('firmware', 'firmware', firmwareProblem(input.firmware ?? 'bios', mf));
    p('cpu', 'CPU', cpuProblem(input.cpu ?? CPU_DEFAULT, mf));
    input.disks.forEach((d, i) => p(`disks[${i}].bus`, `disk ${i + 1} bus`, d.bus ? diskBusProblem(d.bus, mf, input.machine) : undefined));
  }
  if (input.osVariant !== undefined) p('osVariant', 'OS variant', osVariantProblem(input.osVariant, facts.osVariants));
  if (!['vnc', 'spice', 'none'].includes(input.graphics)) out.push(err('graphics', 'graphics', 'must be vnc, spice or none'));
  return out;
}

/** Disk bus for an OS type (Windows lacks virtio drivers out of the box). */
export function defaultDiskBus(os: OsType): DiskBus {
  return os === 'windows' ? 'sata' : 'virtio';
}

/** Volume name for the i-th new disk of a VM. */
export function newVolumeName(vm: string, i: number, format: DiskFormat): string {
  return `${vm}${i === 0 ? '' : `-${i + 1}`}.${format}`;
}

/** The summary shown before anything is defined: label/value lines. */
export function createSummary(input: VmCreateInput): [string, string][] {
  const rows: [string, string][] = [
    ['name', input.name],
    ['vCPUs', String(input.vcpus)],
    ['memory', formatMiB(input.memoryMiB)],
  ];
  if (input.description) rows.push(['description', input.description]);
  if (!input.disks.length) rows.push(['disks', 'none']);
  input.disks.forEach((d, i) => rows.push([`disk ${i + 1}`, d.kind === 'new'
    ? `new ${formatMiB(d.sizeMiB)} ${d.format} volume ${newVolumeName(input.name, i, d.format)} on pool ${d.pool}, ${d.bus ?? defaultDiskBus(input.osType)} bus`
    : `existing volume ${d.volume} on pool ${d.pool}, ${d.bus ?? defaultDiskBus(input.osType)} bus`]));
  if (!input.nics.length) rows.push(['network', 'none']);
  input.nics.forEach((n, i) => rows.push([`NIC ${i + 1}`, `${n.kind === 'profile' ? 'vNIC profile' : n.kind} ${n.source}, ${n.model ?? 'virtio'}${n.mac ? `, MAC ${n.mac}` : ', MAC assigned by libvirt'}`]));
  rows.push(['boot', input.boot === 'cdrom' ? `CD-ROM ${input.iso ?? ''}` : input.boot === 'kernel' ? `kernel ${input.kernel ?? ''}${input.initrd ? ` + ${input.initrd}` : ''}${input.cmdline ? ` (${input.cmdline})` : ''}` : input.boot]);
  rows.push(['OS / machine', `${input.osType}${input.osVariant ? ` (${input.osVariant})` : ''} / ${input.machine}`]);
  rows.push(['firmware / CPU', `${(input.firmware ?? 'bios').toUpperCase()} / ${input.cpu ?? CPU_DEFAULT}`]);
  rows.push(['console', 'serial (always)']);
  rows.push(['graphics', input.graphics === 'none' ? 'none' : `${input.graphics.toUpperCase()} on 127.0.0.1`]);
  return rows;
}

// ---- edit ------------------------------------------------------------------

export interface VmEditInput {
  vcpus?: number;
  memoryMiB?: number;
  description?: string;
}

export function validateVmEdit(input: VmEditInput, facts: Pick<HostFacts, 'cpus' | 'memoryKiB'>): FieldError[] {
  const out: FieldError[] = [];
  if (input.vcpus !== undefined) { const e = vcpusProblem(input.vcpus, facts.cpus); if (e) out.push(err('vcpus', 'vCPUs', e)); }
  if (input.memoryMiB !== undefined) { const e = memoryProblem(input.memoryMiB, facts.memoryKiB); if (e) out.push(err('memory', 'memory', e)); }
  const d = descriptionProblem(input.description);
  if (d) out.push(err('description', 'description', d));
  if (input.vcpus === undefined && input.memoryMiB === undefined && input.description === undefined) out.push(err('edit', 'edit', 'nothing to change (give vCPUs, memory or a description)'));
  return out;
}

/** What differs between the running (live) and the next-boot (inactive) definition. */
export function pendingChanges(live: { vcpus: number; memoryKiB: number }, next: { vcpus: number; memoryKiB: number }): string[] {
  const out: string[] = [];
  if (live.vcpus !== next.vcpus) out.push(`vCPUs ${live.vcpus} → ${next.vcpus}`);
  if (live.memoryKiB !== next.memoryKiB) out.push(`memory ${formatMiB(Math.round(live.memoryKiB / 1024))} → ${formatMiB(Math.round(next.memoryKiB / 1024))}`);
  return out;
}

// ---- snapshots -------------------------------------------------------------

export type SnapshotMode = 'full' | 'disk-only';

/** The rule for a snapshot's name; an empty one is fine: libvirt names the snapshot (the time in seconds), as virsh does. */
export function snapshotNameProblem(name: string, existing: readonly string[]): string | undefined {
  if (!name) return undefined;
  if (!name.trim()) return 'must not be only spaces (leave it empty for a name from libvirt)';
  if (/[/\n\r]/.test(name)) return "must not contain '/' or a newline";
  const shared = objectNameProblem(name);
  if (shared) return shared;
  if (name.length > NAME_MAX) return `must be at most ${NAME_MAX} characters`;
  if (/^\d+$/.test(name)) return 'must not be only digits';
  if (existing.includes(name)) return `a snapshot named '${name}' already exists`;
  return undefined;
}

/**
 * Whether libvirt can take this kind of snapshot of a VM with these disks.
 * A full snapshot (disks + memory when running) is internal: every writable
 * disk must be qcow2. A disk-only snapshot is external (new overlay files).
 */
export function snapshotCreateProblem(mode: SnapshotMode, disks: readonly { target: string; device: string; format?: string; readonly: boolean }[]): string | undefined {
  const writable = disks.filter((d) => d.device === 'disk' && !d.readonly);
  if (mode === 'full') {
    const bad = writable.filter((d) => d.format !== 'qcow2');
    if (bad.length) return `disk ${bad.map((d) => `${d.target} is ${d.format ?? 'of unknown format'}`).join(', ')}: snapshots with memory and internal disk state need qcow2 disks; take a disk-only (external) snapshot instead`;
  } else if (!writable.length) {
    return 'the VM has no writable disk: a disk-only snapshot would capture nothing';
  }
  return undefined;
}

/** libvirt "9.0.0" -> [9,0,0]. */
export function parseVersion(v: string | undefined): number[] {
  return (v ?? '').split('.').map((n) => Number(n) || 0);
}

export function versionAtLeast(v: string | undefined, want: string): boolean {
  const a = parseVersion(v);
  const b = parseVersion(want);
  for (let i = 0; i < 3; i++) { if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0); }
  return true;
}

/** Whether a snapshot can be reverted to; external (disk-only) ones need libvirt 9.9. */
export function snapshotRevertProblem(snap: { state: string }, libvirtVersion: string | undefined): string | undefined {
  if (snap.state === 'disk-snapshot' && !versionAtLeast(libvirtVersion, '9.9.0')) {
    return `it is a disk-only (external) snapshot: libvirt ${libvirtVersion ?? 'here'} cannot revert external snapshots (9.9 or newer can)`;
  }
  return undefined;
}

// ---- sizes as people type them -------------------------------------------------

/** "512", "512M", "512MiB", "2G", "2GiB", "1T" -> MiB (a bare number is MiB); undefined when unreadable. */
export function parseMiB(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(m|mb|mib|g|gb|gib|t|tb|tib)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const u = (m[2] ?? 'm').toLowerCase()[0];
  const mib = u === 'g' ? n * 1024 : u === 't' ? n * 1024 * 1024 : n;
  return Number.isInteger(mib) ? mib : Math.round(mib);
}

/**
 * A `--disk` value: "pool=P,size=10G[,format=qcow2|raw][,bus=B]" for a new
 * volume or "pool=P,volume=V[,bus=B]" for an existing one. Returns the disk
 * or the rule that was broken.
 */
export function parseDiskSpec(text: string): DiskInput | string {
  const kv: Record<string, string> = {};
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) return `"${part}" is not KEY=VALUE (pool=P,size=10G[,format=qcow2] or pool=P,volume=V)`;
    const k = part.slice(0, i).trim();
    if (!['pool', 'size', 'format', 'volume', 'bus'].includes(k)) return `unknown key "${k}" (pool, size, format, volume, bus)`;
    kv[k] = part.slice(i + 1).trim();
  }
  if (!kv.pool) return 'pool= is required';
  if (kv.bus && !DISK_BUSES.includes(kv.bus as DiskBus)) return `bus must be ${DISK_BUSES.join(', ')}`;
  const bus = kv.bus as DiskBus | undefined;
  if (kv.volume !== undefined) {
    if (kv.size || kv.format) return 'give either volume= (an existing volume) or size= (a new one), not both';
    return { kind: 'existing', pool: kv.pool, volume: kv.volume, ...(bus ? { bus } : {}) };
  }
  if (!kv.size) return 'size= (a new volume) or volume= (an existing one) is required';
  const sizeMiB = parseMiB(kv.size);
  if (sizeMiB === undefined) return `size "${kv.size}" is not a size (e.g. 512M, 10G)`;
  const format = (kv.format ?? 'qcow2') as DiskFormat;
  if (format !== 'qcow2' && format !== 'raw') return 'format must be qcow2 or raw';
  return { kind: 'new', pool: kv.pool, sizeMiB, format, ...(bus ? { bus } : {}) };
}

/** Why libvirt cannot delete this snapshot, if it cannot (an external one whose parent is internal). */
export function snapshotDeleteProblem(snap: { name: string; state: string; parent?: string }, list: readonly { name: string; state: string }[]): string | undefined {
  if (snap.state !== 'disk-snapshot') return undefined;
  const parent = list.find((x) => x.name === snap.parent);
  if (parent && parent.state !== 'disk-snapshot') return 'it is a disk-only (external) snapshot whose parent is a full (internal) one: libvirt cannot delete that combination';
  return undefined;
}
