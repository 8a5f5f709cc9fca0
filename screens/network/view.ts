// Small pure helpers of the network screens.
import type { NetAddress, NetLink } from '../../src/core/network.ts';
import { applyChanges, findIface, type IfaceConfig, type NetChange, type NetConfig } from '../../src/domain/net/model.ts';
import type { NetDiffLine, NetState } from '../../src/store/net.ts';

/** A row of the Network screen's interface table: an interface the host has, or one a staged change creates. */
export interface NicRow {
  name: string;
  /** The interface as the host has it; absent for one a staged change creates. */
  link?: NetLink;
  /** '+': a staged change creates it; '-': a staged change removes it. */
  staged?: '+' | '-';
  /** What it is once the staged changes apply (for a row a staged change creates). */
  iface?: IfaceConfig;
}

const KIND_ORDER: readonly string[] = ['ethernet', 'bond', 'vlan', 'bridge'];

/**
 * The table's rows: the host's interfaces, those a staged change removes
 * marked so, and after the last of their kind the bonds, VLANs and bridges
 * the staged changes create (the desired configuration's interfaces the host
 * has not).
 */
export function nicRows(links: readonly NetLink[], config: NetConfig | undefined, staged: readonly NetChange[]): NicRow[] {
  if (!config || !staged.length) return links.map((link) => ({ name: link.name, link }));
  const want = applyChanges(config, staged);
  const rows: NicRow[] = links.map((link) => (findIface(config, link.name) && !findIface(want, link.name) ? { name: link.name, link, staged: '-' } : { name: link.name, link }));
  const have = new Set(links.map((l) => l.name));
  for (const iface of want.interfaces.filter((i) => !have.has(i.name))) {
    const rank = KIND_ORDER.indexOf(iface.kind);
    const kindOf = (r: NicRow) => KIND_ORDER.indexOf(r.link?.kind ?? r.iface!.kind);
    const after = rows.findLastIndex((r) => { const k = kindOf(r); return k >= 0 && k <= rank; });
    rows.splice(after + 1, 0, { name: iface.name, staged: '+', iface });
  }
  return rows;
}

export function speedLabel(mbps: number | undefined): string {
  if (!mbps) return '-';
  return mbps >= 1000 ? `${mbps % 1000 ? (mbps / 1000).toFixed(1) : mbps / 1000}G` : `${mbps}M`;
}

export function linkRole(l: NetLink): 'ok' | 'warn' | 'error' | 'dim' {
  if (!l.adminUp) return 'dim';
  if (l.kind === 'bond' && l.degraded) return l.link === 'up' ? 'warn' : 'error';
  return l.link === 'up' ? 'ok' : 'error';
}

/**
 * An address as the detail pane shows it. A dynamic IPv4 address is a DHCP lease; a dynamic IPv6 /128 a
 * DHCPv6 lease (DHCPv6 hands out single addresses); another dynamic IPv6 one was formed from the
 * router's advertisements (SLAAC).
 */
export function addressLabel(a: NetAddress): string {
  if (!a.dynamic) return a.cidr;
  if (a.family === 'inet') return `${a.cidr} (dhcp)`;
  return `${a.cidr} (${a.cidr.endsWith('/128') ? 'dhcpv6' : 'slaac'})`;
}

export function secondsLeft(deadline: number, now = Date.now()): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

export function diffSign(d: NetDiffLine): string {
  return `${d.sign} ${d.text}`;
}

export function backendLabel(s: Pick<NetState, 'backend' | 'backendError'>): string {
  if (s.backend === 'networkmanager') return 'NetworkManager';
  if (s.backend === 'iproute2') return 'iproute2 + systemd-networkd files';
  if (s.backendError) return `unknown (${s.backendError})`;
  return s.backend ?? '…';
}
