// Domain XML -> plain data (the "parse" half of cockpit-machines' XML split).
// Pure; tested on `virsh dumpxml` output recorded from this machine.
import { child, children, parseXml, textOf, type XmlElement } from './xml.ts';

export interface DomainDisk {
  /** file, block, volume, network */
  type: string;
  /** disk, cdrom, floppy */
  device: string;
  /** Guest device name, e.g. "vda". */
  target: string;
  bus?: string;
  /** Image format, e.g. qcow2, raw. */
  format?: string;
  /** File or block device path. */
  path?: string;
  pool?: string;
  volume?: string;
  readonly: boolean;
  bootOrder?: number;
}

export interface DomainInterface {
  /** network, bridge, ethernet, direct, user */
  type: string;
  mac?: string;
  network?: string;
  bridge?: string;
  model?: string;
  /** Host-side device (vnetN) while running. */
  hostDevice?: string;
}

export interface DomainGraphics {
  type: string;
  port?: number;
  autoport?: boolean;
  listen?: string;
}

export interface DomainSerial {
  type: string;
  port?: number;
  /** Host pty while running. */
  pty?: string;
  logFile?: string;
}

export interface DomainDetails {
  name: string;
  uuid: string;
  /** Hypervisor type: kvm, qemu, test. */
  type: string;
  /** libvirt id while running. */
  id?: number;
  title?: string;
  description?: string;
  memoryKiB: number;
  currentMemoryKiB: number;
  vcpus: number;
  /** The CPU: host-model, host-passthrough, or the named model (QEMU's default when the domain names none). */
  cpu?: string;
  os: { type?: string; arch?: string; machine?: string; boot: string[]; kernel?: string; initrd?: string; cmdline?: string; firmware?: string; loader?: string };
  onPoweroff?: string;
  onReboot?: string;
  onCrash?: string;
  disks: DomainDisk[];
  interfaces: DomainInterface[];
  graphics: DomainGraphics[];
  serials: DomainSerial[];
  hasConsole: boolean;
  /** The guest reports memory figures (virtio balloon with a stats period). */
  balloonStatsPeriod?: number;
}

const UNIT: Record<string, number> = {
  b: 1 / 1024, bytes: 1 / 1024, kb: 1000 / 1024, k: 1, kib: 1, mb: 1e6 / 1024, m: 1024, mib: 1024,
  gb: 1e9 / 1024, g: 1024 ** 2, gib: 1024 ** 2, tb: 1e12 / 1024, t: 1024 ** 3, tib: 1024 ** 3,
};

/** A libvirt memory element to KiB (the default unit is KiB). */
export function memoryToKiB(el: XmlElement | undefined): number {
  if (!el) return 0;
  const v = Number(el.text);
  const f = UNIT[(el.attrs.unit ?? 'KiB').toLowerCase()] ?? 1;
  return Number.isFinite(v) ? Math.round(v * f) : 0;
}

const int = (s: string | undefined): number | undefined => {
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};

export function parseDomainXml(xml: string): DomainDetails {
  const d = parseXml(xml);
  if (d.name !== 'domain') throw new Error(`not a domain XML document (root <${d.name}>)`);
  const os = child(d, 'os');
  const dev = child(d, 'devices');
  const idAttr = int(d.attrs.id);
  const memory = memoryToKiB(child(d, 'memory'));
  const current = child(d, 'currentMemory');
  return {
    name: textOf(d, 'name') ?? '',
    uuid: textOf(d, 'uuid') ?? '',
    type: d.attrs.type ?? '',
    id: idAttr !== undefined && idAttr >= 0 ? idAttr : undefined,
    title: textOf(d, 'title'),
    description: textOf(d, 'description'),
    memoryKiB: memory,
    currentMemoryKiB: current ? memoryToKiB(current) : memory,
    vcpus: int(child(d, 'vcpu')?.attrs.current) ?? int(textOf(d, 'vcpu')) ?? 1,
    cpu: child(d, 'cpu')?.attrs.mode === 'custom' || (!child(d, 'cpu')?.attrs.mode && child(d, 'cpu/model')) ? textOf(d, 'cpu/model') : child(d, 'cpu')?.attrs.mode,
    os: {
      type: textOf(os, 'type'),
      arch: child(os, 'type')?.attrs.arch,
      machine: child(os, 'type')?.attrs.machine,
      boot: children(os, 'boot').map((b) => b.attrs.dev ?? '').filter(Boolean),
      kernel: textOf(os, 'kernel'),
      initrd: textOf(os, 'initrd'),
      cmdline: textOf(os, 'cmdline'),
      firmware: os?.attrs.firmware,
      loader: textOf(os, 'loader'),
    },
    onPoweroff: textOf(d, 'on_poweroff'),
    onReboot: textOf(d, 'on_reboot'),
    onCrash: textOf(d, 'on_crash'),
    disks: children(dev, 'disk').map((e) => {
      const src = child(e, 'source');
      return {
        type: e.attrs.type ?? 'file',
        device: e.attrs.device ?? 'disk',
        target: child(e, 'target')?.attrs.dev ?? '',
        bus: child(e, 'target')?.attrs.bus,
        format: child(e, 'driver')?.attrs.type,
        path: src?.attrs.file ?? src?.attrs.dev,
        pool: src?.attrs.pool,
        volume: src?.attrs.volume,
        readonly: Boolean(child(e, 'readonly')),
        bootOrder: int(child(e, 'boot')?.attrs.order),
      };
    }),
    interfaces: children(dev, 'interface').map((e) => ({
      type: e.attrs.type ?? '',
      mac: child(e, 'mac')?.attrs.address,
      network: child(e, 'source')?.attrs.network,
      bridge: child(e, 'source')?.attrs.bridge,
      model: child(e, 'model')?.attrs.type,
      hostDevice: child(e, 'target')?.attrs.dev,
    })),
    graphics: children(dev, 'graphics').map((e) => ({
      type: e.attrs.type ?? '',
      port: int(e.attrs.port),
      autoport: e.attrs.autoport === undefined ? undefined : e.attrs.autoport === 'yes',
      listen: e.attrs.listen ?? child(e, 'listen')?.attrs.address,
    })),
    serials: children(dev, 'serial').map((e) => ({
      type: e.attrs.type ?? '',
      port: int(child(e, 'target')?.attrs.port),
      pty: e.attrs.type === 'pty' ? child(e, 'source')?.attrs.path : undefined,
      logFile: child(e, 'log')?.attrs.file,
    })),
    hasConsole: children(dev, 'console').length > 0,
    balloonStatsPeriod: int(child(dev, 'memballoon/stats')?.attrs.period),
  };
}
