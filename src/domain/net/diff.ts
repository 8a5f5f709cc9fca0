// A readable diff between the current and the desired configuration: one
// line per thing that changes, in the order an operator reads it (host name,
// DNS, then interfaces by name), and a comparison used to verify read-back.
import { findIface, type BondOptions, type IfaceConfig, type IpConfig, type NetConfig } from './model.ts';

export interface DiffLine {
  /** '+' added, '-' removed, '~' changed. */
  kind: '+' | '-' | '~';
  /** The interface name, 'hostname' or 'dns'. */
  object: string;
  text: string;
}

const ipText = (ip: IpConfig): string =>
  ip.method === 'static' ? `static ${ip.addresses.join(', ')}${ip.gateway ? ` gw ${ip.gateway}` : ''}` : ip.method;

export function bondText(b: BondOptions | undefined): string {
  if (!b) return '';
  const opts = Object.entries(b).filter(([k, v]) => k !== 'mode' && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`);
  return [b.mode, ...opts].join(' ');
}

function ifaceText(i: IfaceConfig, cfg: NetConfig): string {
  const parts: string[] = [i.kind];
  if (i.bond) parts.push(bondText(i.bond));
  if (i.vlan) parts.push(`id ${i.vlan.id} on ${i.vlan.parent}`);
  if (i.bridge) parts.push(`stp ${i.bridge.stp ? 'on' : 'off'}`);
  const ports = cfg.interfaces.filter((p) => p.master === i.name).map((p) => p.name);
  if (ports.length) parts.push(`ports ${ports.join(', ')}`);
  if (i.master) parts.push(`port of ${i.master}`);
  else {
    if (i.ipv4.method !== 'none') parts.push(`ipv4 ${ipText(i.ipv4)}`);
    if (i.ipv6.method !== 'none') parts.push(`ipv6 ${ipText(i.ipv6)}`);
  }
  if (i.mtu) parts.push(`mtu ${i.mtu}`);
  return parts.join(', ');
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sortedBond = (b?: BondOptions) => (b ? Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined).sort(([x], [y]) => x.localeCompare(y))) : undefined);

export function diffConfig(cur: NetConfig, want: NetConfig): DiffLine[] {
  const out: DiffLine[] = [];
  if (cur.hostname !== want.hostname) out.push({ kind: '~', object: 'hostname', text: `host name ${cur.hostname || '(none)'} -> ${want.hostname}` });
  if (!same(cur.dns, want.dns)) {
    const t = (d: NetConfig['dns']) => `${d.servers.join(', ') || '(none)'}${d.search.length ? ` search ${d.search.join(', ')}` : ''}`;
    out.push({ kind: '~', object: 'dns', text: `DNS ${t(cur.dns)} -> ${t(want.dns)}` });
  }
  const names = [...new Set([...cur.interfaces.map((i) => i.name), ...want.interfaces.map((i) => i.name)])].sort();
  for (const n of names) {
    const a = findIface(cur, n);
    const b = findIface(want, n);
    if (!a && b) { out.push({ kind: '+', object: n, text: `${n}: ${ifaceText(b, want)}` }); continue; }
    if (a && !b) { out.push({ kind: '-', object: n, text: `${n}: ${ifaceText(a, cur)}` }); continue; }
    if (!a || !b) continue;
    const changes: string[] = [];
    if (!same(sortedBond(a.bond), sortedBond(b.bond))) changes.push(`bond ${bondText(a.bond)} -> ${bondText(b.bond)}`);
    if ((a.master ?? '') !== (b.master ?? '')) changes.push(b.master ? `becomes a port of ${b.master}${a.master ? ` (was ${a.master})` : ''}` : `leaves ${a.master}`);
    if (!b.master) {
      if (!same(a.ipv4, b.ipv4) && !(a.master && b.ipv4.method === 'none')) changes.push(`ipv4 ${ipText(a.ipv4)} -> ${ipText(b.ipv4)}`);
      if (!same(a.ipv6, b.ipv6) && !(a.master && b.ipv6.method === 'none')) changes.push(`ipv6 ${ipText(a.ipv6)} -> ${ipText(b.ipv6)}`);
      if (!same(a.routes, b.routes)) changes.push(`routes ${a.routes.map((r) => r.to).join(', ') || '(none)'} -> ${b.routes.map((r) => `${r.to}${r.via ? ` via ${r.via}` : ''}`).join(', ') || '(none)'}`);
    }
    if (b.mtu !== undefined && a.mtu !== b.mtu) changes.push(`mtu ${a.mtu ?? '-'} -> ${b.mtu}`);
    if (b.bridge && !same(a.bridge, b.bridge)) changes.push(`stp ${b.bridge.stp ? 'on' : 'off'}`);
    if (changes.length) out.push({ kind: '~', object: n, text: `${n}: ${changes.join('; ')}` });
  }
  return out;
}

export function formatDiff(lines: readonly DiffLine[]): string {
  if (!lines.length) return '(no changes)';
  return lines.map((l) => `${l.kind} ${l.text}`).join('\n');
}

/** Names of the interfaces whose configuration differs (what a backend must touch). */
export function changedInterfaces(cur: NetConfig, want: NetConfig): { added: string[]; removed: string[]; changed: string[] } {
  const added: string[] = []; const removed: string[] = []; const changed: string[] = [];
  for (const b of want.interfaces) {
    const a = findIface(cur, b.name);
    if (!a) added.push(b.name);
    else {
      const strip = (i: IfaceConfig, cfg: NetConfig) => ({
        kind: i.kind, mtu: i.mtu ?? null, master: i.master ?? null, bond: sortedBond(i.bond) ?? null, vlan: i.vlan ?? null, bridge: i.bridge ?? null,
        ipv4: i.master ? null : i.ipv4, ipv6: i.master ? null : i.ipv6, routes: i.master ? [] : i.routes,
        ports: cfg.interfaces.filter((p) => p.master === i.name).map((p) => p.name).sort(),
      });
      // A desired MTU of undefined means "leave it".
      const x = strip(a, cur); const y = strip(b, want);
      if (y.mtu === null) x.mtu = null;
      if (!same(x, y)) changed.push(b.name);
    }
  }
  for (const a of cur.interfaces) if (!findIface(want, a.name)) removed.push(a.name);
  return { added, removed, changed };
}

/**
 * What does not match between the desired configuration and what was read
 * back, for the interfaces in `names`, the host name and DNS. DHCP interfaces
 * match when they have any dynamic address; static addresses must all be present.
 */
export function mismatches(want: NetConfig, got: NetConfig, names: readonly string[], removed: readonly string[] = []): string[] {
  const out: string[] = [];
  if (want.hostname && want.hostname !== got.hostname) out.push(`host name is ${got.hostname}, not ${want.hostname}`);
  if (!same(want.dns.servers, got.dns.servers)) out.push(`DNS servers are ${got.dns.servers.join(', ') || '(none)'}, not ${want.dns.servers.join(', ') || '(none)'}`);
  for (const n of removed) if (findIface(got, n) && findIface(got, n)!.kind !== 'ethernet') out.push(`${n} still exists`);
  for (const n of names) {
    const w = findIface(want, n);
    const g = findIface(got, n);
    if (!w) continue;
    if (!g) { out.push(`${n} does not exist`); continue; }
    if (w.kind !== g.kind) out.push(`${n} is a ${g.kind}, not a ${w.kind}`);
    if ((w.master ?? '') !== (g.master ?? '')) out.push(`${n} master is ${g.master ?? '(none)'}, not ${w.master ?? '(none)'}`);
    if (w.bond) {
      for (const [k, v] of Object.entries(w.bond)) {
        if (v === undefined) continue;
        const gv = (g.bond as unknown as Record<string, unknown> | undefined)?.[k];
        if (!same(v, gv)) out.push(`${n} bond ${k} is ${JSON.stringify(gv)}, not ${JSON.stringify(v)}`);
      }
    }
    if (w.vlan && !same(w.vlan, g.vlan)) out.push(`${n} VLAN is ${JSON.stringify(g.vlan)}, not ${JSON.stringify(w.vlan)}`);
    if (w.mtu !== undefined && w.mtu !== g.mtu) out.push(`${n} MTU is ${g.mtu}, not ${w.mtu}`);
    if (w.master) continue;
    for (const [fam, wi, gi] of [[4, w.ipv4, g.ipv4], [6, w.ipv6, g.ipv6]] as const) {
      if (wi.method === 'static') {
        for (const a of wi.addresses) if (!gi.addresses.includes(a)) out.push(`${n} has no IPv${fam} address ${a} (has ${gi.addresses.join(', ') || 'none'})`);
        for (const a of gi.addresses) if (!wi.addresses.includes(a)) out.push(`${n} still has IPv${fam} address ${a}`);
        if (wi.gateway && gi.gateway !== wi.gateway) out.push(`${n} IPv${fam} gateway is ${gi.gateway ?? '(none)'}, not ${wi.gateway}`);
      } else if (wi.method === 'dhcp') {
        // A DHCPv6 lease reads back as dhcp (dynamic /128 addresses only); next to
        // addresses the host formed from router advertisements it reads as auto.
        const leased = gi.method === 'dhcp' || (fam === 6 && gi.method === 'auto');
        if (!leased) out.push(`${n} has no ${fam === 6 ? 'DHCPv6' : 'DHCP'} lease yet`);
      } else if (wi.method === 'none' && fam === 4 && gi.addresses.length) out.push(`${n} still has IPv4 address ${gi.addresses.join(', ')}`);
    }
  }
  return out;
}
