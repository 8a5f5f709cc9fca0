// The network configuration as the kernel has it now, as a NetConfig: links
// and details from `ip -d -j addr`, default gateway and static routes from
// `ip -j route`, host name and DNS from /proc and /etc/resolv.conf. Both
// backends read back through here, so verification compares like with like.
import { isIPv4, isIPv6 } from 'node:net';
import { BOND_MODES, newIface, type BondOptions, type IfaceConfig, type NetConfig } from '../../domain/net/model.ts';
import type { Target } from './target.ts';

interface AddrInfo { family: 'inet' | 'inet6'; local: string; prefixlen: number; scope?: string; dynamic?: boolean }
interface IpLinkJson {
  ifname: string;
  link?: string;
  master?: string;
  mtu?: number;
  operstate?: string;
  address?: string;
  link_type?: string;
  linkinfo?: { info_kind?: string; info_data?: Record<string, unknown>; info_slave_kind?: string };
  addr_info?: AddrInfo[];
}
interface RouteJson { dst: string; gateway?: string; dev?: string; protocol?: string; metric?: number }

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

export function bondFromInfo(d: Record<string, unknown>): BondOptions {
  const mode = String(d.mode ?? '') as BondOptions['mode'];
  const b: BondOptions = { mode: BOND_MODES.includes(mode) ? mode : 'balance-rr' };
  const miimon = num(d.miimon); if (miimon !== undefined) b.miimon = miimon;
  const up = num(d.updelay); if (up !== undefined) b.updelay = up;
  const down = num(d.downdelay); if (down !== undefined) b.downdelay = down;
  const arp = num(d.arp_interval); if (arp !== undefined) b.arp_interval = arp;
  if (Array.isArray(d.arp_ip_target)) b.arp_ip_target = d.arp_ip_target.map(String);
  if (typeof d.primary === 'string' && d.primary) b.primary = d.primary;
  if (mode === '802.3ad') {
    if (typeof d.ad_lacp_rate === 'string') b.lacp_rate = d.ad_lacp_rate as BondOptions['lacp_rate'];
    if (typeof d.ad_select === 'string') b.ad_select = d.ad_select as BondOptions['ad_select'];
  }
  if (['balance-xor', '802.3ad', 'balance-tlb', 'balance-alb'].includes(mode) && typeof d.xmit_hash_policy === 'string') b.xmit_hash_policy = d.xmit_hash_policy as BondOptions['xmit_hash_policy'];
  return b;
}

export function parseResolv(text: string): NetConfig['dns'] {
  const servers: string[] = []; let search: string[] = [];
  for (const line of text.split('\n')) {
    const [k, ...rest] = line.trim().split(/\s+/);
    if (k === 'nameserver' && rest[0] && (isIPv4(rest[0]) || isIPv6(rest[0]))) servers.push(rest[0]);
    if (k === 'search' || k === 'domain') search = rest.filter(Boolean);
  }
  return { servers, search };
}

/** Builds a NetConfig from the kernel's JSON (pure; tested on recorded output). */
export function parseKernelState(addrJson: string, route4Json: string, route6Json: string, hostname: string, resolv: string): NetConfig {
  const links = JSON.parse(addrJson || '[]') as IpLinkJson[];
  const r4 = JSON.parse(route4Json || '[]') as RouteJson[];
  const r6 = JSON.parse(route6Json || '[]') as RouteJson[];
  const interfaces: IfaceConfig[] = [];
  const others: NonNullable<NetConfig['others']> = [];
  for (const l of links) {
    const kind = l.linkinfo?.info_kind;
    let iface: IfaceConfig;
    if (kind === 'bond') { iface = newIface(l.ifname, 'bond'); iface.bond = bondFromInfo(l.linkinfo?.info_data ?? {}); }
    else if (kind === 'vlan') { iface = newIface(l.ifname, 'vlan'); iface.vlan = { parent: l.link ?? '', id: num(l.linkinfo?.info_data?.id) ?? 0 }; }
    else if (kind === 'bridge') { iface = newIface(l.ifname, 'bridge'); iface.bridge = { stp: num(l.linkinfo?.info_data?.stp_state) === 1 }; }
    else if (!kind && l.link_type === 'ether') iface = newIface(l.ifname, 'ethernet');
    else {
      // Listed by the inventory too (as others): the rules must know they exist.
      if (l.link_type !== 'loopback') others.push({ name: l.ifname, type: kind ?? l.link_type ?? '?' });
      continue;
    }
    if (l.master) iface.master = l.master;
    if (l.mtu) iface.mtu = l.mtu;
    if (l.operstate) iface.state = l.operstate;
    if (l.address) iface.mac = l.address;
    const v4 = (l.addr_info ?? []).filter((a) => a.family === 'inet');
    const v6 = (l.addr_info ?? []).filter((a) => a.family === 'inet6' && a.scope !== 'link');
    if (v4.some((a) => a.dynamic)) iface.ipv4 = { method: 'dhcp', addresses: [] };
    else if (v4.length) iface.ipv4 = { method: 'static', addresses: v4.map((a) => `${a.local}/${a.prefixlen}`) };
    // A DHCPv6 lease is a single address (/128: IA_NA carries no prefix; dhclient and NetworkManager add it
    // so); SLAAC forms addresses in the advertised prefix (/64). Dynamic addresses that are all /128: DHCPv6.
    const dyn6 = v6.filter((a) => a.dynamic);
    if (dyn6.length) iface.ipv6 = { method: dyn6.every((a) => a.prefixlen === 128) ? 'dhcp' : 'auto', addresses: [] };
    else if (v6.length) iface.ipv6 = { method: 'static', addresses: v6.map((a) => `${a.local}/${a.prefixlen}`) };
    for (const [routes, ip] of [[r4, iface.ipv4], [r6, iface.ipv6]] as const) {
      const gw = routes.find((r) => r.dst === 'default' && r.dev === l.ifname && r.gateway);
      if (gw && ip.method === 'static') ip.gateway = gw.gateway;
    }
    iface.routes = [...r4, ...r6]
      .filter((r) => r.dev === l.ifname && r.dst !== 'default' && (r.protocol === 'static' || r.protocol === 'boot') && r.gateway)
      .map((r) => ({ to: r.dst.includes('/') ? r.dst : `${r.dst}/${r.dst.includes(':') ? 128 : 32}`, via: r.gateway, ...(r.metric ? { metric: r.metric } : {}) }));
    interfaces.push(iface);
  }
  return { hostname: hostname.trim(), dns: parseResolv(resolv), interfaces, ...(others.length ? { others } : {}) };
}

/** What a read may leave out (verification reads only what the change touches; each part is a program start). */
export interface ReadParts {
  /** Default routes and static routes (`ip -j route`, both families). */
  routes?: boolean;
  /** Host name and resolv.conf; when left out, taken from `fallback`. */
  names?: boolean;
  fallback?: Pick<NetConfig, 'hostname' | 'dns'>;
  /**
   * Ask the backend how addresses the kernel shows as permanent were configured (NetworkManager adds
   * the addresses it forms from router advertisements itself: with an infinite advertised lifetime they
   * look static). On by default; verification leaves it out (it checks addresses, not methods).
   */
  methods?: boolean;
}

export async function readKernelState(t: Target, parts: ReadParts = {}): Promise<NetConfig> {
  const routes = parts.routes !== false;
  const names = parts.names !== false || !parts.fallback;
  const none = Promise.resolve(undefined);
  const [addr, r4, r6, hostname, resolv] = await Promise.all([
    t.ok('ip', ['-d', '-j', 'addr', 'show']),
    routes ? t.run('ip', ['-j', '-4', 'route', 'show', 'table', 'main']) : none,
    routes ? t.run('ip', ['-j', '-6', 'route', 'show', 'table', 'main']) : none,
    names ? t.readFile('/proc/sys/kernel/hostname') : none,
    names ? t.readFile('/etc/resolv.conf') : none,
  ]);
  const json = (r: Awaited<typeof r4>) => (r && r.exitCode === 0 ? r.stdout : '[]');
  const cfg = parseKernelState(addr.stdout, json(r4), json(r6), hostname ?? '', resolv ?? '');
  if (!names && parts.fallback) { cfg.hostname = parts.fallback.hostname; cfg.dns = parts.fallback.dns; }
  return cfg;
}
