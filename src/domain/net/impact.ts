// What staged changes do to the way the operator reaches the host: the
// management interface's addresses and the default gateway. The screens
// show it next to the diff and apply only after a confirmation that names
// it (as Cockpit warns before a change that may disconnect you). Pure.
import { applyChanges, findIface, type IfaceConfig, type IpConfig, type NetChange, type NetConfig } from './model.ts';

export interface ManagementRisk {
  /** The interface the reason is about (its diff line is marked). */
  iface: string;
  reason: string;
}

/**
 * The management interface, as the dashboard names it: the one with the IPv4
 * default route, else the IPv6 one, else the first with a global address.
 */
export function managementIface(defaultRoutes: readonly { family: 'inet' | 'inet6'; dev: string }[], globallyAddressed: readonly string[] = []): string | undefined {
  return defaultRoutes.find((r) => r.family === 'inet')?.dev ?? defaultRoutes.find((r) => r.family === 'inet6')?.dev ?? globallyAddressed[0];
}

const FAMILIES = [[4, 'ipv4'], [6, 'ipv6']] as const;

const leaseName = (fam: 4 | 6, method: IpConfig['method']) =>
  method === 'auto' ? 'its IPv6 address from router advertisements' : `its ${fam === 6 ? 'DHCPv6' : 'DHCP'} address`;

/** The addresses an interface holds, as words: the static ones, or its lease. */
function holds(i: IfaceConfig): string {
  const parts: string[] = [];
  for (const [fam, key] of FAMILIES) {
    const ip = i[key];
    if (ip.method === 'static') parts.push(...ip.addresses);
    else if (ip.method !== 'none') parts.push(leaseName(fam, ip.method));
  }
  return parts.join(', ') || 'its configuration';
}

const methodWord = (fam: 4 | 6, ip: IpConfig) =>
  ip.method === 'static' ? `static ${ip.addresses.join(', ') || '(no address)'}` : ip.method === 'dhcp' ? (fam === 6 ? 'DHCPv6' : 'DHCP') : ip.method === 'auto' ? 'router advertisements' : 'no address';

/** What happens to the management interface's own addresses. */
function ifaceRisks(m: string, a: IfaceConfig, b: IfaceConfig | undefined, want: NetConfig): string[] {
  if (a.master) return [];
  if (!b) return [`${m} is removed: ${m} loses ${holds(a)}`];
  if (b.master) {
    const master = findIface(want, b.master);
    const moved = a.ipv4.addresses.filter((x) => master?.ipv4.addresses.includes(x));
    return [`${m} becomes a port of ${b.master}: ${m} loses ${holds(a)}${moved.length ? ` (${moved.join(', ')} moves to ${b.master})` : ''}`];
  }
  const out: string[] = [];
  for (const [fam, key] of FAMILIES) {
    const x = a[key];
    const y = b[key];
    if (x.method === 'none') continue;
    if (x.method === 'static') {
      const lost = x.addresses.filter((ad) => !(y.method === 'static' && y.addresses.includes(ad)));
      if (!lost.length) continue;
      if (y.method === 'dhcp' || y.method === 'auto') out.push(`${m} switches IPv${fam} from static to ${methodWord(fam, y)}: ${m} loses ${lost.join(', ')} and takes whatever address it is given`);
      else out.push(`${m} loses ${lost.join(', ')}${y.method === 'static' ? ` (IPv${fam} becomes ${methodWord(fam, y)})` : ''}`);
    } else if (y.method !== x.method) {
      out.push(`${m} gives up ${leaseName(fam, x.method)} (IPv${fam} becomes ${methodWord(fam, y)})`);
    }
  }
  return out;
}

/** The interfaces under `m` that carry its traffic: a VLAN's parent, a bond's or bridge's ports, and theirs. */
function lowerOf(cfg: NetConfig, m: string): string[] {
  const out: string[] = [];
  const walk = (name: string) => {
    const i = findIface(cfg, name);
    if (!i) return;
    const under = [...(i.vlan ? [i.vlan.parent] : []), ...cfg.interfaces.filter((p) => p.master === name).map((p) => p.name)];
    for (const u of under) if (!out.includes(u)) { out.push(u); walk(u); }
  };
  walk(m);
  return out;
}

/** What happens under the management interface: a link it runs over removed, a bond or bridge left without ports, a bond's mode changed. */
function lowerRisks(m: string, cur: NetConfig, want: NetConfig): ManagementRisk[] {
  const out: ManagementRisk[] = [];
  for (const x of [m, ...lowerOf(cur, m)]) {
    const had = findIface(cur, x)!;
    const now = findIface(want, x);
    const over = x === m ? '' : `, which ${m} runs over,`;
    if (had.bond && now?.bond && had.bond.mode !== now.bond.mode) out.push({ iface: x, reason: `bond ${x}${over} changes mode ${had.bond.mode} -> ${now.bond.mode} (the switch ports must match it)` });
    if (x === m) continue;
    if (!now) out.push({ iface: x, reason: `${x}, which ${m} runs over, is removed` });
    else if ((had.kind === 'bond' || had.kind === 'bridge') && cur.interfaces.some((p) => p.master === x) && !want.interfaces.some((p) => p.master === x)) out.push({ iface: x, reason: `${x}, which ${m} runs over, is left without ports` });
  }
  return out;
}

/** Default gateways that are configured now and go away or move. */
function gatewayRisks(cur: NetConfig, want: NetConfig): ManagementRisk[] {
  const out: ManagementRisk[] = [];
  for (const [fam, key] of FAMILIES) {
    const gws = (cfg: NetConfig) => cfg.interfaces.filter((i) => !i.master && i[key].gateway).map((i) => ({ iface: i.name, gw: i[key].gateway!, method: i[key].method }));
    const after = gws(want);
    for (const g of gws(cur)) {
      if (after.some((h) => h.iface === g.iface && h.gw === g.gw)) continue;
      const now = findIface(want, g.iface);
      const other = after.find((h) => h.iface !== g.iface) ?? after.find((h) => h.iface === g.iface);
      const what = `the default IPv${fam} gateway ${g.gw} (${g.iface})`;
      if (other) out.push({ iface: g.iface, reason: `${what} changes to ${other.gw} (${other.iface})` });
      else if (now && !now.master && (now[key].method === 'dhcp' || now[key].method === 'auto')) out.push({ iface: g.iface, reason: `${what} is left to ${methodWord(fam, now[key])}` });
      else out.push({ iface: g.iface, reason: `${what} is removed` });
    }
  }
  return out;
}

/**
 * The reasons `staged`, applied to `current`, may disconnect the operator:
 * the management interface `mgmt` is removed, bonded or bridged, loses or
 * changes its address, switches between static and DHCP, or loses the link
 * it runs over; a default gateway goes away or moves. Empty when the path to the host is untouched.
 */
export function managementImpact(current: NetConfig, staged: readonly NetChange[], mgmt: string | undefined): ManagementRisk[] {
  if (!staged.length) return [];
  const want = applyChanges(current, staged);
  const a = mgmt ? findIface(current, mgmt) : undefined;
  const own = a ? ifaceRisks(a.name, a, findIface(want, a.name), want).map((reason) => ({ iface: a.name, reason })) : [];
  // A management interface that goes away takes what is under it along; said once, above.
  const lower = a && findIface(want, a.name) ? lowerRisks(a.name, current, want) : [];
  return [...own, ...lower, ...gatewayRisks(current, want)];
}

/** The warning for a confirmation or a note: "this may disconnect you from the host: …". */
export function riskText(risks: readonly ManagementRisk[]): string {
  return `This may disconnect you from the host: ${risks.map((r) => r.reason).join('; ')}`;
}
