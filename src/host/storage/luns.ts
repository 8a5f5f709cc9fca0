// SCSI LUNs as sysfs shows them (the root is injected: tests use recorded
// trees): size, vendor, model, serial (VPD page 0x80) and the WWID in the
// form multipath and /dev/disk/by-id/scsi-* use (scsi_id: 3 + NAA, 2 + EUI-64,
// 1 + T10 vendor id). The device path is the multipath device when
// multipathd has a map for the LUN, else its /dev/disk/by-id link, else /dev/sdX.
import type { HostFs } from './fs.ts';
import type { MultipathMap } from './multipath.ts';

export interface Lun {
  wwid: string;
  devicePath: string;
  sizeBytes: number;
  vendor: string;
  model: string;
  serial: string;
  /** Kernel names of the SCSI disks (paths) behind the LUN. */
  paths: string[];
  /** H:C:T:L of the first path. */
  hctl: string;
  multipath: boolean;
  /** The device-mapper device of the multipath map (dm-N), when there is one. */
  dm?: string;
}

export interface SysPaths {
  sysfsRoot: string;
  devRoot: string;
}

/** sysfs's `wwid` (naa.6001405..., eui...., t10.VENDOR...) in scsi_id's form. */
export function scsiIdWwid(sysWwid: string): string {
  const w = sysWwid.trim();
  const m = /^(naa|eui|t10)\.(.*)$/.exec(w);
  if (!m) return w.replace(/\s+/g, '_');
  const body = m[1] === 't10' ? m[2]!.replace(/\s+/g, '_') : m[2]!.toLowerCase();
  return `${m[1] === 'naa' ? '3' : m[1] === 'eui' ? '2' : '1'}${body}`;
}

/** Unit serial number from the raw VPD page 0x80 (4-byte header, then the serial). */
export function vpd80Serial(raw: string | undefined): string {
  if (!raw || raw.length < 4) return '';
  return raw.slice(4).replace(/\0/g, '').trim();
}

/** One SCSI device directory (…/H:C:T:L) as a LUN, or undefined when it has no block device. */
export async function readScsiDevice(fs: HostFs, dir: string, hctl: string, sys: SysPaths, maps: readonly MultipathMap[]): Promise<Lun | undefined> {
  const blocks = await fs.list(`${dir}/block`);
  const dev = blocks[0];
  if (!dev) return undefined;
  const read = async (f: string) => ((await fs.read(`${dir}/${f}`)) ?? '').trim();
  const sectors = Number(((await fs.read(`${dir}/block/${dev}/size`)) ?? '0').trim());
  const sysWwid = await read('wwid');
  const wwid = sysWwid ? scsiIdWwid(sysWwid) : '';
  const map = maps.find((m) => m.paths.some((p) => p.device === dev) || (wwid && m.wwid === wwid));
  let devicePath = `/dev/${dev}`;
  if (map) devicePath = `/dev/mapper/${map.name}`;
  else if (wwid && (await fs.exists(`${sys.devRoot}/disk/by-id/scsi-${wwid}`))) devicePath = `/dev/disk/by-id/scsi-${wwid}`;
  else if (sysWwid.startsWith('naa.') && (await fs.exists(`${sys.devRoot}/disk/by-id/wwn-0x${sysWwid.slice(4)}`))) devicePath = `/dev/disk/by-id/wwn-0x${sysWwid.slice(4)}`;
  return {
    wwid: map?.wwid ?? wwid,
    devicePath,
    sizeBytes: Number.isFinite(sectors) ? sectors * 512 : 0,
    vendor: await read('vendor'),
    model: await read('model'),
    serial: vpd80Serial(await fs.read(`${dir}/vpd_pg80`)),
    paths: map ? map.paths.map((p) => p.device) : [dev],
    hctl,
    multipath: Boolean(map),
    ...(map ? { dm: map.dm } : {}),
  };
}

/** Merge LUNs seen on several paths (same WWID) into one. */
export function mergeLuns(luns: Lun[]): Lun[] {
  const by = new Map<string, Lun>();
  for (const l of luns) {
    const k = l.wwid || l.paths.join(',');
    const prev = by.get(k);
    if (!prev) by.set(k, { ...l, paths: [...l.paths] });
    else for (const p of l.paths) if (!prev.paths.includes(p)) prev.paths.push(p);
  }
  return [...by.values()];
}

/** The LUNs behind iSCSI session `sid` (/sys/class/iscsi_session/session<sid>/device/target*\/H:C:T:L). */
export async function sessionLuns(fs: HostFs, sid: number, sys: SysPaths, maps: readonly MultipathMap[]): Promise<Lun[]> {
  const base = `${sys.sysfsRoot}/class/iscsi_session/session${sid}/device`;
  const out: Lun[] = [];
  for (const t of (await fs.list(base)).filter((n) => n.startsWith('target'))) {
    for (const hctl of (await fs.list(`${base}/${t}`)).filter((n) => /^\d+:\d+:\d+:\d+$/.test(n))) {
      const l = await readScsiDevice(fs, `${base}/${t}/${hctl}`, hctl, sys, maps);
      if (l) out.push(l);
    }
  }
  return mergeLuns(out);
}

/** Kernel names of the SCSI disks iSCSI session `sid` itself brought (its own paths, whatever multipath merged them into). */
export async function sessionDisks(fs: HostFs, sid: number, sys: SysPaths): Promise<string[]> {
  const base = `${sys.sysfsRoot}/class/iscsi_session/session${sid}/device`;
  const out: string[] = [];
  for (const t of (await fs.list(base)).filter((n) => n.startsWith('target'))) {
    for (const hctl of (await fs.list(`${base}/${t}`)).filter((n) => /^\d+:\d+:\d+:\d+$/.test(n))) out.push(...(await fs.list(`${base}/${t}/${hctl}/block`)));
  }
  return out;
}
