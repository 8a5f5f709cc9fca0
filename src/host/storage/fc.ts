// Fibre Channel: HBAs from /sys/class/fc_host (WWNN, WWPN, port state and
// speed) and the LUNs behind them from /sys/class/scsi_disk (H:C:T:L whose
// host is an FC host), through /dev/disk/by-id and multipath. No HBA exists on
// the machines here: the sysfs root is injected and tests use recorded trees.
import type { HostFs } from './fs.ts';
import { mergeLuns, readScsiDevice, type Lun, type SysPaths } from './luns.ts';
import type { MultipathMap } from './multipath.ts';

export interface FcHost {
  host: string;
  /** 0x-prefixed 64-bit names as the kernel prints them. */
  wwnn: string;
  wwpn: string;
  portState: string;
  speed: string;
  portType: string;
  fabricName: string;
  symbolicName: string;
  supportedSpeeds: string;
}

/** WWN as operators write it: 20:00:00:25:b5:00:00:1f. */
export function formatWwn(raw: string): string {
  const h = raw.trim().replace(/^0x/i, '').toLowerCase();
  if (!/^[0-9a-f]{16}$/.test(h)) return raw.trim();
  return h.match(/../g)!.join(':');
}

export async function fcHosts(fs: HostFs, sys: SysPaths): Promise<FcHost[]> {
  const base = `${sys.sysfsRoot}/class/fc_host`;
  const out: FcHost[] = [];
  for (const host of await fs.list(base)) {
    const r = async (f: string) => ((await fs.read(`${base}/${host}/${f}`)) ?? '').trim();
    out.push({
      host,
      wwnn: formatWwn(await r('node_name')),
      wwpn: formatWwn(await r('port_name')),
      portState: await r('port_state'),
      speed: await r('speed'),
      portType: await r('port_type'),
      fabricName: formatWwn(await r('fabric_name')),
      symbolicName: await r('symbolic_name'),
      supportedSpeeds: await r('supported_speeds'),
    });
  }
  return out.sort((a, b) => Number(a.host.slice(4)) - Number(b.host.slice(4)));
}

/** LUNs on FC hosts (all of them, or the one with `wwid`), merged across paths. */
export async function fcLuns(fs: HostFs, sys: SysPaths, maps: readonly MultipathMap[], wwid?: string): Promise<Lun[]> {
  const hosts = new Set((await fcHosts(fs, sys)).map((h) => h.host.replace(/^host/, '')));
  const base = `${sys.sysfsRoot}/class/scsi_disk`;
  const out: Lun[] = [];
  for (const hctl of await fs.list(base)) {
    if (!hosts.has(hctl.split(':')[0]!)) continue;
    const l = await readScsiDevice(fs, `${base}/${hctl}/device`, hctl, sys, maps);
    if (l) out.push(l);
  }
  const all = mergeLuns(out);
  return wwid ? all.filter((l) => l.wwid === wwid) : all;
}
