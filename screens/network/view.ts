// Small pure helpers of the network screens.
import type { NetAddress, NetLink } from '../../src/core/network.ts';
import type { NetDiffLine, NetState } from '../../src/store/net.ts';

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
