// Parsers for the host's own files and tool outputs (unit-tested on
// recorded real outputs under test/fixtures/host).

export interface CpuInfo { model: string; sockets: number; cores: number; threads: number; flags: string[] }

export function parseCpuinfo(text: string): CpuInfo {
  let model = 'unknown';
  const cores = new Set<string>();
  const sockets = new Set<string>();
  let threads = 0;
  let flags: string[] = [];
  let phys = '0';
  for (const line of text.split('\n')) {
    const m = /^([^:]+?)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, k, v] = m as unknown as [string, string, string];
    if (k === 'processor') threads++;
    else if (k === 'model name' && model === 'unknown') model = v.replace(/\s+/g, ' ');
    else if (k === 'physical id') { phys = v; sockets.add(v); }
    else if (k === 'core id') cores.add(`${phys}:${v}`);
    else if (k === 'flags' && !flags.length) flags = v.split(/\s+/);
  }
  return { model, sockets: Math.max(1, sockets.size), cores: cores.size || threads, threads, flags };
}

export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!.replace(/^["']|["']$/g, '');
  }
  return out;
}

export interface Resolv { nameservers: string[]; search: string[] }

export function parseResolvConf(text: string): Resolv {
  const r: Resolv = { nameservers: [], search: [] };
  for (const line of text.split('\n')) {
    const t = line.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (t[0] === 'nameserver' && t[1]) r.nameservers.push(t[1]);
    else if ((t[0] === 'search' || t[0] === 'domain') && t.length > 1) r.search = t.slice(1);
  }
  return r;
}

export interface FsUsage { source: string; type: string; sizeKiB: number; usedKiB: number; availKiB: number; mount: string }

/** What statfs(2) says of a file system (node's fs.statfs). */
export interface StatfsFigures { bsize: number; blocks: number; bfree: number; bavail: number }

/**
 * A mounted file system's usage as df computes it: used is what is not free, available what an
 * unprivileged user may still write; the blocks reserved for root are in neither.
 */
export function fsUsage(m: MountEntry, st: StatfsFigures): FsUsage {
  const k = st.bsize / 1024;
  return { source: m.source, type: m.type, mount: m.mount, sizeKiB: Math.round(st.blocks * k), usedKiB: Math.round((st.blocks - st.bfree) * k), availKiB: Math.round(st.bavail * k) };
}

/** One mount per device (a bind mount such as /run/netns shows its device again): the shortest mount path, as df keeps. */
export function oneMountPerDevice<T extends { dev: number; mount: string }>(mounts: readonly T[]): T[] {
  const best = new Map<number, T>();
  for (const m of mounts) {
    const b = best.get(m.dev);
    if (!b || m.mount.length < b.mount.length) best.set(m.dev, m);
  }
  return mounts.filter((m) => best.get(m.dev) === m);
}

/** `df -PT -k` output. */
export function parseDf(text: string): FsUsage[] {
  const out: FsUsage[] = [];
  for (const line of text.split('\n').slice(1)) {
    const t = line.trim().split(/\s+/);
    if (t.length < 7) continue;
    out.push({ source: t[0]!, type: t[1]!, sizeKiB: Number(t[2]), usedKiB: Number(t[3]), availKiB: Number(t[4]), mount: t.slice(6).join(' ') });
  }
  return out;
}

const PSEUDO_FS = new Set(['tmpfs', 'devtmpfs', 'overlay', 'squashfs', 'proc', 'sysfs', 'cgroup', 'cgroup2', 'devpts', 'mqueue', 'hugetlbfs', 'debugfs', 'tracefs', 'securityfs', 'fusectl', 'configfs', 'pstore', 'bpf', 'autofs', 'ramfs', 'efivarfs', 'nsfs', 'binfmt_misc', 'rpc_pipefs', 'nfsd', '9p', 'virtiofs']);

/** The main file systems: real block-backed ones, plus /, /var and libvirt's image dir whatever they are. */
export function mainFilesystems(fs: readonly FsUsage[]): FsUsage[] {
  const keep = new Set(['/', '/var', '/var/lib/libvirt', '/var/lib/libvirt/images', '/boot', '/home']);
  const seen = new Set<string>();
  return fs.filter((f) => {
    if (f.sizeKiB === 0) return false;
    const ok = keep.has(f.mount) || (!PSEUDO_FS.has(f.type) && (f.source.startsWith('/dev/') || f.source.includes(':/')));
    if (!ok || seen.has(f.mount)) return false;
    seen.add(f.mount);
    return true;
  });
}

// Network file systems can hang a statfs for minutes when their server goes
// away; the dashboard never touches them (storage domains have their own
// health checks in child processes).
const NETWORK_FS = /^(nfs4?|cifs|smb3?|ceph|glusterfs|fuse(\..*)?|9p|virtiofs|lustre|gfs2|ocfs2|afs|davfs|sshfs)$/;

/** Mounts worth a statfs for the dashboard: local, block-backed file systems (and /, /var, ... when local). */
export function localMounts(mounts: readonly MountEntry[]): MountEntry[] {
  const keep = new Set(['/', '/var', '/var/lib/libvirt', '/var/lib/libvirt/images', '/boot', '/home']);
  const seen = new Set<string>();
  return mounts.filter((m) => {
    if (NETWORK_FS.test(m.type) || PSEUDO_FS.has(m.type) || seen.has(m.mount)) return false;
    if (!(m.source.startsWith('/dev/') || keep.has(m.mount))) return false;
    seen.add(m.mount);
    return true;
  });
}

export interface IpAddr { family: 'inet' | 'inet6'; address: string; prefix: number; scope: string }
export interface IpLink { name: string; mac?: string; state: string; mtu: number; addresses: IpAddr[] }

interface IpJsonAddr { ifname: string; address?: string; operstate?: string; mtu?: number; addr_info?: { family: string; local: string; prefixlen: number; scope?: string }[] }

/** `ip -j addr show` output. */
export function parseIpAddr(json: string): IpLink[] {
  const arr = JSON.parse(json || '[]') as IpJsonAddr[];
  return arr.map((l) => ({
    name: l.ifname,
    mac: l.address,
    state: l.operstate ?? 'UNKNOWN',
    mtu: l.mtu ?? 0,
    addresses: (l.addr_info ?? []).filter((a) => a.family === 'inet' || a.family === 'inet6').map((a) => ({ family: a.family as 'inet' | 'inet6', address: a.local, prefix: a.prefixlen, scope: a.scope ?? 'global' })),
  }));
}

export interface DefaultRoute { gateway?: string; dev: string; family: 'inet' | 'inet6' }

/** `ip -j route show default` (and `ip -6 -j route show default`). */
export function parseDefaultRoutes(json: string, family: 'inet' | 'inet6' = 'inet'): DefaultRoute[] {
  const arr = JSON.parse(json || '[]') as { dst?: string; gateway?: string; dev?: string; metric?: number }[];
  return arr
    .filter((r) => r.dst === 'default' && r.dev)
    .sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0))
    .map((r) => ({ gateway: r.gateway, dev: r.dev!, family }));
}

/** Default routes from /proc/net/route (IPv4), lowest metric first. */
export function parseProcRoute(text: string): DefaultRoute[] {
  const out: (DefaultRoute & { metric: number })[] = [];
  for (const line of text.split('\n').slice(1)) {
    const t = line.trim().split(/\s+/);
    if (t.length < 8 || t[1] !== '00000000' || t[7] !== '00000000') continue;
    const flags = parseInt(t[3]!, 16);
    if (!(flags & 0x1)) continue; // RTF_UP
    const gwHex = t[2]!;
    const gw = gwHex === '00000000' ? undefined : [3, 2, 1, 0].map((i) => parseInt(gwHex.slice(i * 2, i * 2 + 2), 16)).join('.');
    out.push({ dev: t[0]!, gateway: gw, family: 'inet', metric: Number(t[6]) });
  }
  return out.sort((a, b) => a.metric - b.metric).map(({ metric: _m, ...r }) => r);
}

function hexToIpv6(h: string): string {
  const groups = h.match(/.{4}/g)!.map((g) => parseInt(g, 16).toString(16));
  // Compress the longest run of zero groups.
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** Default routes from /proc/net/ipv6_route, lowest metric first. */
export function parseProcIpv6Route(text: string): DefaultRoute[] {
  const out: (DefaultRoute & { metric: number })[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim().split(/\s+/);
    if (t.length < 10 || t[0] !== '0'.repeat(32) || t[1] !== '00' || t[9] === 'lo') continue;
    const flags = parseInt(t[8]!, 16);
    if (!(flags & 0x1)) continue;
    out.push({ dev: t[9]!, gateway: t[4] === '0'.repeat(32) ? undefined : hexToIpv6(t[4]!), family: 'inet6', metric: parseInt(t[5]!, 16) });
  }
  return out.sort((a, b) => a.metric - b.metric).map(({ metric: _m, ...r }) => r);
}

export interface MountEntry { source: string; mount: string; type: string }

/** /proc/self/mounts, with the octal escapes of spaces decoded. */
export function parseMounts(text: string): MountEntry[] {
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text.split('\n').filter(Boolean).map((l) => {
    const t = l.split(' ');
    return { source: unescape(t[0] ?? ''), mount: unescape(t[1] ?? ''), type: t[2] ?? '' };
  });
}

/** Prefix length of a dotted or colon netmask. */
export function netmaskPrefix(mask: string): number {
  if (mask.includes('.')) return mask.split('.').reduce((n, o) => n + (Number(o) >>> 0).toString(2).replace(/0/g, '').length, 0);
  return mask.split(':').reduce((n, g) => n + (g ? parseInt(g, 16).toString(2).replace(/0/g, '').length : 0), 0);
}
