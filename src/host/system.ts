// The host's own figures for the dashboard, read from /proc and /etc where
// possible (fast, no process) and from iproute2 and df through the runner.
import { readFile } from 'node:fs/promises';
import { hostname, loadavg, release, uptime } from 'node:os';
import { run } from '../exec/runner.ts';
import {
  mainFilesystems, parseCpuinfo, parseDefaultRoutes, parseDf, parseIpAddr, parseMeminfo, parseOsRelease, parseResolvConf,
  type CpuInfo, type FsUsage, type IpAddr, type MemInfo,
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

export async function readFqdn(): Promise<string> {
  const r = await run('hostname', ['-f'], { timeoutMs: 2000 });
  return r.exitCode === 0 && r.stdout.trim() ? r.stdout.trim() : hostname();
}

export async function hostOverview(): Promise<HostOverview> {
  cpuCache ??= parseCpuinfo(await readText('/proc/cpuinfo'));
  if (osCache === undefined) {
    const os = parseOsRelease((await readText('/etc/os-release')) || (await readText('/usr/lib/os-release')));
    osCache = os.PRETTY_NAME ?? os.NAME ?? 'Linux';
  }
  const [mem, resolv, df, addr, route4, route6, fqdn, virt] = await Promise.all([
    readText('/proc/meminfo').then(parseMeminfo),
    readText('/etc/resolv.conf').then(parseResolvConf),
    run('df', ['-PT', '-k'], { timeoutMs: 3000 }),
    run('ip', ['-j', 'addr', 'show'], { timeoutMs: 3000 }),
    run('ip', ['-j', 'route', 'show', 'default'], { timeoutMs: 3000 }),
    run('ip', ['-6', '-j', 'route', 'show', 'default'], { timeoutMs: 3000 }),
    readFqdn(),
    virtCapability(cpuCache.flags),
  ]);
  const links = addr.exitCode === 0 ? parseIpAddr(addr.stdout) : [];
  const d4 = route4.exitCode === 0 ? parseDefaultRoutes(route4.stdout, 'inet') : [];
  const d6 = route6.exitCode === 0 ? parseDefaultRoutes(route6.stdout, 'inet6') : [];
  const mgmtName = d4[0]?.dev ?? d6[0]?.dev ?? links.find((l) => l.name !== 'lo' && l.addresses.some((a) => a.scope === 'global'))?.name;
  const mgmt = links.find((l) => l.name === mgmtName);
  const { flags: _flags, ...cpu } = cpuCache;
  const la = loadavg();
  return {
    hostname: hostname(),
    fqdn,
    os: osCache,
    kernel: release(),
    uptimeSec: uptime(),
    cpu,
    virt,
    memory: mem,
    load: [la[0] ?? 0, la[1] ?? 0, la[2] ?? 0],
    filesystems: df.exitCode === 0 || df.stdout ? mainFilesystems(parseDf(df.stdout)) : [],
    management: mgmt ? { iface: mgmt.name, addresses: mgmt.addresses.filter((a) => a.scope !== 'host'), state: mgmt.state, mac: mgmt.mac } : undefined,
    gateway: d4[0]?.gateway,
    gateway6: d6[0]?.gateway,
    dns: resolv.nameservers,
    searchDomains: resolv.search,
  };
}

/** The management IP for the header: first global IPv4, else IPv6, of the management interface. */
export function managementIp(h: Pick<HostOverview, 'management'>): string | undefined {
  const a = h.management?.addresses ?? [];
  return (a.find((x) => x.family === 'inet') ?? a.find((x) => x.family === 'inet6' && x.scope === 'global'))?.address;
}
