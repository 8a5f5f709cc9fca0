// Plain data -> domain / snapshot XML (the "create" half of the XML split).
// Pure. Everything a user typed is escaped by the XML writer.
import { renderXml, x, type XmlNode } from './xml.ts';
import { objectNameProblem } from '../../domain/names.ts';

export type CpuSpec = { mode: 'host-model' | 'host-passthrough' } | { mode: 'custom'; model: string };

/** A CPU type as hostdeck names it (host-model, host-passthrough or a QEMU CPU model) as a domain's CPU. */
export const cpuSpecOf = (cpu: string): CpuSpec => (cpu === 'host-model' || cpu === 'host-passthrough' ? { mode: cpu } : { mode: 'custom', model: cpu });

/** The <cpu> element: a named model is exact and never falls back to another, so the VM sees the same CPU wherever it runs. */
export const cpuNode = (c: CpuSpec): XmlNode =>
  x('cpu', c.mode === 'custom' ? { mode: 'custom', match: 'exact', check: 'partial' } : { mode: c.mode }, c.mode === 'custom' ? x('model', { fallback: 'forbid' }, c.model) : undefined);

export interface DiskSpec {
  /** An image file ... */
  path?: string;
  /** ... or a volume on a storage pool. */
  pool?: string;
  volume?: string;
  format?: 'qcow2' | 'raw';
  target?: string;
  bus?: 'virtio' | 'sata' | 'scsi' | 'ide';
  device?: 'disk' | 'cdrom';
  readonly?: boolean;
  bootOrder?: number;
}

export interface NicSpec {
  /** network (a libvirt network), bridge (a host bridge), ethernet (a plain tap). */
  type: 'network' | 'bridge' | 'ethernet';
  source?: string;
  mac?: string;
  model?: 'virtio' | 'e1000' | 'e1000e' | 'rtl8139';
  /** A libvirt network filter (nwfilter) on the NIC's traffic. */
  filter?: string;
}

export interface DomainSpec {
  name: string;
  uuid?: string;
  title?: string;
  description?: string;
  /** kvm where KVM works, qemu (TCG) where it does not. */
  type: 'kvm' | 'qemu' | 'test';
  memoryMiB: number;
  vcpus: number;
  arch?: string;
  machine?: string;
  /** Boot devices in order (hd, cdrom, network) when no kernel is given. */
  boot?: ('hd' | 'cdrom' | 'network')[];
  /** Direct kernel boot. */
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  disks?: DiskSpec[];
  nics?: NicSpec[];
  /** efi: libvirt picks UEFI firmware (OVMF) from the host's firmware descriptors; BIOS when absent. */
  firmware?: 'efi';
  /** host-model, host-passthrough, or a named model (mode custom); QEMU's default CPU when absent. */
  cpu?: CpuSpec;
  /** libosinfo's id of the guest OS (http://debian.org/debian/12), kept in the metadata as virt-install does. */
  osinfoId?: string;
  /** A serial console (pty) with its output also logged to this file, when given. */
  serial?: { logFile?: string } | false;
  graphics?: { type: 'vnc' | 'spice'; listen?: string } | false;
  /** Guest-reported memory figures every N seconds (virtio balloon). */
  balloonStatsPeriod?: number;
  onPoweroff?: 'destroy' | 'restart' | 'preserve';
  onReboot?: 'destroy' | 'restart' | 'preserve';
  onCrash?: 'destroy' | 'restart' | 'preserve' | 'coredump-destroy';
}

const LIBOSINFO_NS = 'http://libosinfo.org/xmlns/libvirt/domain/1.0';

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;

/** Why a name cannot be a domain name, or undefined when it can. */
export function domainNameProblem(name: string): string | undefined {
  if (!name) return 'a name is required';
  const shared = objectNameProblem(name);
  if (shared) return shared;
  if (!NAME_RE.test(name)) return 'use 1-64 letters, digits, ".", "_", "+" or "-", starting with a letter or digit';
  return undefined;
}

function diskNode(d: DiskSpec, i: number): XmlNode {
  const target = d.target ?? `${d.bus === 'virtio' || !d.bus ? 'vd' : 'sd'}${String.fromCharCode(97 + i)}`;
  const type = d.pool ? 'volume' : 'file';
  return x('disk', { type, device: d.device ?? 'disk' },
    x('driver', { name: 'qemu', type: d.format ?? (d.device === 'cdrom' ? 'raw' : 'qcow2') }),
    d.pool ? x('source', { pool: d.pool, volume: d.volume }) : d.path ? x('source', { file: d.path }) : undefined,
    x('target', { dev: target, bus: d.bus ?? 'virtio' }),
    d.readonly || d.device === 'cdrom' ? x('readonly') : undefined,
    d.bootOrder ? x('boot', { order: d.bootOrder }) : undefined);
}

function nicNode(n: NicSpec): XmlNode {
  return x('interface', { type: n.type },
    n.mac ? x('mac', { address: n.mac }) : undefined,
    n.type === 'network' ? x('source', { network: n.source ?? 'default' }) : n.type === 'bridge' ? x('source', { bridge: n.source }) : undefined,
    x('model', { type: n.model ?? 'virtio' }),
    n.filter ? x('filterref', { filter: n.filter }) : undefined);
}

/** One disk's or NIC's <disk>/<interface> element alone (what attach-device takes). */
export const diskDeviceXml = (d: DiskSpec): string => `${renderXml(diskNode(d, 0))}\n`;
export const nicDeviceXml = (n: NicSpec): string => `${renderXml(nicNode(n))}\n`;

/** Domain XML for `define`. */
export function domainXml(s: DomainSpec): string {
  const problem = domainNameProblem(s.name);
  if (problem) throw new Error(`domain name ${JSON.stringify(s.name)}: ${problem}`);
  const kib = Math.round(s.memoryMiB * 1024);
  const isTest = s.type === 'test';
  const doc = x('domain', { type: s.type },
    x('name', {}, s.name),
    s.uuid ? x('uuid', {}, s.uuid) : undefined,
    s.title ? x('title', {}, s.title) : undefined,
    s.description ? x('description', {}, s.description) : undefined,
    s.osinfoId ? x('metadata', {}, x('libosinfo:libosinfo', { 'xmlns:libosinfo': LIBOSINFO_NS }, x('libosinfo:os', { id: s.osinfoId }))) : undefined,
    x('memory', { unit: 'KiB' }, kib),
    x('currentMemory', { unit: 'KiB' }, kib),
    x('vcpu', { placement: 'static' }, s.vcpus),
    x('os', { firmware: s.firmware },
      x('type', { arch: s.arch ?? 'x86_64', machine: isTest ? undefined : s.machine ?? 'pc' }, 'hvm'),
      s.kernel ? x('kernel', {}, s.kernel) : undefined,
      s.kernel && s.initrd ? x('initrd', {}, s.initrd) : undefined,
      s.kernel && s.cmdline ? x('cmdline', {}, s.cmdline) : undefined,
      ...(s.kernel ? [] : (s.boot ?? ['hd']).map((dev) => x('boot', { dev })))),
    isTest ? undefined : x('features', {}, x('acpi'), x('apic')),
    s.cpu ? cpuNode(s.cpu) : undefined,
    x('on_poweroff', {}, s.onPoweroff ?? 'destroy'),
    x('on_reboot', {}, s.onReboot ?? 'restart'),
    x('on_crash', {}, s.onCrash ?? 'destroy'),
    x('devices', {},
      ...(s.disks ?? []).map(diskNode),
      // A SCSI disk needs a SCSI controller; virtio-scsi is the one guests have drivers for.
      (s.disks ?? []).some((d) => d.bus === 'scsi') ? x('controller', { type: 'scsi', index: 0, model: 'virtio-scsi' }) : undefined,
      ...(s.nics ?? []).map(nicNode),
      ...(isTest || s.serial === false ? [] : [
        x('serial', { type: 'pty' }, s.serial?.logFile ? x('log', { file: s.serial.logFile, append: 'off' }) : undefined, x('target', { port: 0 })),
        x('console', { type: 'pty' }, x('target', { type: 'serial', port: 0 })),
      ]),
      s.graphics ? x('graphics', { type: s.graphics.type, autoport: 'yes', listen: s.graphics.listen ?? '127.0.0.1' }) : undefined,
      isTest ? undefined : x('memballoon', { model: 'virtio' }, s.balloonStatsPeriod ? x('stats', { period: s.balloonStatsPeriod }) : undefined)));
  return `${renderXml(doc)}\n`;
}

/** Snapshot XML for `snapshot-create` (name and description only; libvirt picks the rest). */
export function snapshotXml(s: { name: string; description?: string }): string {
  return `${renderXml(x('domainsnapshot', {}, x('name', {}, s.name), s.description ? x('description', {}, s.description) : undefined))}\n`;
}
