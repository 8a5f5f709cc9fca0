// The host's own figures for the dashboard, read from /proc and /etc where
// possible (fast, no process) and from iproute2 and df through the runner.
import { readdir, readFile, stat, statfs } from 'node:fs/promises';
import { hostname, loadavg, networkInterfaces, release, uptime } from 'node:os';
import { parseMeminfo, type MemInfo } from '../domain/host-io.ts';
import { managementIface } from '../domain/net/impact.ts';
import { run } from '../exec/runner.ts';
import {
  fsUsage, localMounts, mainFilesystems, netmaskPrefix, oneMountPerDevice, parseCpuinfo, parseMounts, parseOsRelease, parseProcIpv6Route, parseProcRoute, parseResolvConf,
  type CpuInfo, type FsUsage, type IpAddr, type IpLink, type StatfsFigures,
} from './parse.ts';

export interface VirtCapability {
  usable: boolean;
  /** 'kvm' when hardware virtualization is used, 'tcg' for emulation only. */
  accel: 'kvm' | 'tcg';
  reason?: string;
}

export interface HostOverview {
  hostname: string;
  fqdn: string;
  os: string;
  kernel: string;
  uptimeSec: number;
  cpu: Pick<CpuInfo, 'model' | 'sockets' | 'cores' | 'threads'>;
  virt: VirtCapability;
  memory: MemInfo;
  load: [number, number, number];
  filesystems: FsUsage[];
  management?: { iface: string; addresses: IpAddr[]; state: string; mac?: string };
  gateway?: string;
  gateway6?: string;
  dns: string[];
  searchDomains: string[];
}

const readText = (p: string) => readFile(p, 'utf8').catch(() => '');

let cpuCache: CpuInfo | undefined;
let osCache: string | undefined;

/** Virtualization capability: the libvirt-up probe's verdict if present, else what /dev/kvm and the CPU flags say. */
export async function virtCapability(flags: readonly string[], probeFile = '/run/hostdeck/kvm'): Promise<VirtCapability> {
  const probe = (await readText(probeFile)).split('\n')[0]?.trim();
  const hasFlag = flags.includes('vmx') || flags.includes('svm');
  if (probe === 'usable') return { usable: true, accel: 'kvm' };
  if (probe && /^(unusable|absent):/.test(probe)) return { usable: false, accel: 'tcg', reason: probe.replace(/^\w+:\s*/, '') };
  const dev = await readFile('/dev/kvm').then(() => true, (e: NodeJS.ErrnoException) => e.code !== 'ENOENT');
  if (!dev) return { usable: false, accel: 'tcg', reason: hasFlag ? '/dev/kvm missing (kvm module not loaded?)' : 'CPU has no vmx/svm' };
  return { usable: true, accel: 'kvm', reason: 'not probed yet' };
}

let fqdnCache: string | undefined;
let fqdnPending: Promise<string> | undefined;
let fqdnGate: Promise<unknown> | undefined;

/** `hostname -f` waits for this (the console's first frame, which a process start would delay); the plain hostname shows meanwhile. */
export function fqdnAfter(until: Promise<unknown>): void {
  fqdnGate = until.catch(() => undefined);
}

/** The FQDN (`hostname -f`); read in the background once, the plain hostname meanwhile. */
export function fqdnNow(): string {
  if (fqdnCache === undefined && !fqdnPending) {
    const lookup = () => run('hostname', ['-f'], { timeoutMs: 2000 }).then((r) => (fqdnCache = r.exitCode === 0 && r.stdout.trim() ? r.stdout.trim() : hostname()), () => (fqdnCache = hostname()));
    fqdnPending = fqdnGate ? fqdnGate.then(lookup) : lookup();
  }
  return fqdnCache ?? hostname();
}

/** The FQDN, waiting for `hostname -f` (the CLI, where nothing else is drawn meanwhile). */
export async function readFqdn(): Promise<string> {
  fqdnNow();
  return fqdnPending ?? fqdnCache ?? hostname();
}

/** A mount's device number and statfs figures; undefined when it cannot be read. */
export type MountProbe = (mount: string) => Promise<{ dev: number; statfs: StatfsFigures } | undefined>;

const probeMount: MountProbe = async (mount) => {
  try {
    const [st, fs] = await Promise.all([stat(mount), statfs(mount)]);
    return { dev: st.dev, statfs: fs };
  } catch {
    return undefined;
  }
};

/**
 * The main local file systems of a mount table (/proc/self/mounts), each device once (a bind mount
 * of a listed one is left out, as df does), with df's figures. Network file systems are never probed.
 */
export async function filesystemsOf(mountsText: string, probe: MountProbe = probeMount): Promise<FsUsage[]> {
  const mounts = localMounts(parseMounts(mountsText));
  const read = await Promise.all(mounts.map(async (m) => {
    const p = await probe(m.mount);
    return p && { dev: p.dev, mount: m.mount, usage: fsUsage(m, p.statfs) };
  }));
  return mainFilesystems(oneMountPerDevice(read.filter((r) => r !== undefined)).map((r) => r.usage));
}

/** The main local file systems from /proc/self/mounts, stat and statfs (no process started). */
export async function filesystems(): Promise<FsUsage[]> {
  return filesystemsOf(await readText('/proc/self/mounts'));
}

/** Interfaces and their addresses from the kernel (no process started). */
export async function interfaces(): Promise<IpLink[]> {
  const ni = networkInterfaces();
  const names = await readdir('/sys/class/net').catch(() => Object.keys(ni));
  return Promise.all(names.map(async (name) => {
    const [state, mac, mtu] = await Promise.all([readText(`/sys/class/net/${name}/operstate`), readText(`/sys/class/net/${name}/address`), readText(`/sys/class/net/${name}/mtu`)]);
    const addrs = (ni[name] ?? []).map((a) => ({
      family: a.family === 'IPv4' ? 'inet' as const : 'inet6' as const,
      address: a.address,
      prefix: netmaskPrefix(a.netmask),
      scope: a.internal ? 'host' : a.family === 'IPv6' && /^fe80:/i.test(a.address) ? 'link' : 'global',
    }));
    return { name, mac: mac.trim() || undefined, state: (state.trim() || 'unknown').toUpperCase(), mtu: Number(mtu.trim()) || 0, addresses: addrs };
  }));
}

export async function hostOverview(): Promise<HostOverview> {
  cpuCache ??= parseCpuinfo(await readText('/proc/cpuinfo'));
  if (osCache === undefined) {
    const os = parseOsRelease((await readText('/etc/os-release')) || (await readText('/usr/lib/os-release')));
    osCache = os.PRETTY_NAME ?? os.NAME ?? 'Linux';
  }
  const [mem, resolv, fs, links, route4, route6, virt] = await Promise.all([
    readText('/proc/meminfo').then(parseMeminfo),
    readText('/etc/resolv.conf').then(parseResolvConf),
    filesystems(),
    interfaces(),
    readText('/proc/net/route').then(parseProcRoute),
    readText('/proc/net/ipv6_route').then(parseProcIpv6Route),
    virtCapability(cpuCache.flags),
  ]);
  const mgmtName = managementIface(
    [...route4.map((r) => ({ family: 'inet' as const, dev: r.dev })), ...route6.map((r) => ({ family: 'inet6' as const, dev: r.dev }))],
    links.filter((l) => l.name !== 'lo' && l.addresses.some((a) => a.scope === 'global')).map((l) => l.name),
  );
  const mgmt = links.find((l) => l.name === mgmtName);
  const { flags: _flags, ...cpu } = cpuCache;
  const la = loadavg();
  return {
    hostname: hostname(),
    fqdn: fqdnNow(),
    os: osCache,
    kernel: release(),
    uptimeSec: uptime(),
    cpu,
    virt,
    memory: mem,
    load: [la[0] ?? 0, la[1] ?? 0, la[2] ?? 0],
    filesystems: fs,
    management: mgmt ? { iface: mgmt.name, addresses: mgmt.addresses.filter((a) => a.scope !== 'host'), state: mgmt.state, mac: mgmt.mac } : undefined,
    gateway: route4[0]?.gateway,
    gateway6: route6[0]?.gateway,
    dns: resolv.nameservers,
    searchDomains: resolv.search,
  };
}

/** The management IP for the header: first global IPv4, else IPv6, of the management interface. */
export function managementIp(h: Pick<HostOverview, 'management'>): string | undefined {
  const a = h.management?.addresses ?? [];
  return (a.find((x) => x.family === 'inet') ?? a.find((x) => x.family === 'inet6' && x.scope === 'global'))?.address;
}
