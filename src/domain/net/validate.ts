// Rules for every staged network change and for a whole configuration.
// Pure: no I/O. Each error names the field and the rule, so the CLI, the
// screens and the unattended file all say the same thing.
import { isIPv4, isIPv6 } from 'node:net';
import { isHostName, type FieldError } from '../engine.ts';
import { InvalidInputError } from '../errors.ts';
import {
  AD_SELECTS, BOND_MODES, IP_METHODS, LACP_RATES, XMIT_HASH_POLICIES, applyChange, findIface, findOther, vlanName,
  type BondOptions, type IfaceConfig, type NetChange, type NetConfig,
} from './model.ts';

export type { FieldError };

export const MTU_MIN = 68;
export const MTU_MAX = 65535;
export const MAX_DNS_SERVERS = 3;
export const MAX_SEARCH_DOMAINS = 6;
export const MAX_ARP_TARGETS = 16;

/** Error with the field errors of a change that was refused; nothing was staged or run. */
export class NetValidationError extends InvalidInputError {
  constructor(public override readonly errors: FieldError[]) {
    super(errors, errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.name = 'NetValidationError';
  }
}

const show = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}...` : s);
};

/** Why an interface name is not acceptable, or undefined. */
export function ifaceNameRule(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '') return 'is required';
  if (v.length > 15) return `must be at most 15 characters (got ${v.length})`;
  if (v.includes('\0')) return 'must not contain a NUL character';
  if (/\s/.test(v)) return `must not contain whitespace (got ${show(v)})`;
  if (/[:./]/.test(v)) return `must not contain ':', '.' or '/' (got ${show(v)})`;
  if (v.startsWith('-')) return `must not start with '-' (got ${show(v)})`;
  if (v === 'all' || v === 'default' || v === 'lo') return `${show(v)} is reserved`;
  if (!/^[A-Za-z0-9_@+-]+$/.test(v)) return `may contain only letters, digits, '_', '-', '+' and '@' (got ${show(v)})`;
  return undefined;
}

/**
 * Why a new bond's name is not acceptable, or undefined. oVirt's engine takes
 * only `bond` + word characters (BOND_NAME_PATTERN `^bond\w+$`; vdsm even
 * bond + digits), so a host set up here with `mybond` or `team0` could not be
 * managed by it; the kernel's limit (IFNAMSIZ, 15 characters) holds too.
 */
export function bondNameRule(v: unknown): string | undefined {
  const r = ifaceNameRule(v);
  if (r) return r;
  if (!/^bond[A-Za-z0-9_]+$/.test(v as string)) return `a bond name must be 'bond' followed by one or more letters, digits or '_', e.g. bond0 or bond_mgmt (got ${show(v)})`;
  return undefined;
}

/**
 * Why a host name is not acceptable, or undefined. A trailing dot is refused,
 * not stripped: it marks an absolute DNS name, which the system host name is
 * not (systemd's hostnamed refuses it too), and what is staged is what was typed.
 */
export function hostNameRule(v: unknown): string | undefined {
  if (typeof v !== 'string' || !isHostName(v)) return `must be a host name per RFC 1123: labels of letters, digits and '-', not starting or ending with '-', at most 63 characters each and 253 in all (got ${show(v)})`;
  if (v.endsWith('.')) return `must not end with '.' (a host name is not an absolute DNS name): give ${show(v.slice(0, -1))}`;
  return undefined;
}

/** A VLAN interface name is an interface name that may also contain '.' (the kernel's parent.id form). */
function vlanIfaceNameRule(v: unknown): string | undefined {
  if (typeof v === 'string' && /^[^.]+\.\d{1,4}$/.test(v)) {
    const r = ifaceNameRule(v.replace('.', '_'));
    return r?.replace(/'_'/, "'.'");
  }
  return ifaceNameRule(v);
}

/**
 * Why a new VLAN's name is not acceptable, or undefined. Its own kernel name
 * `own` (parent.id, what is staged when no name is given) is the one name
 * with a '.'; any other name is an interface name.
 */
function vlanNewNameRule(v: unknown, own: string): string | undefined {
  if (typeof v === 'string' && v.includes('.') && v !== own) return `may contain '.' only as this VLAN's own name ${own} (parent.id); any other name must not contain ':', '.' or '/' (got ${show(v)})`;
  return ifaceNameRule(v);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export interface Cidr { family: 4 | 6; address: string; prefix: number }

export function parseCidr(v: unknown): Cidr | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(v);
  if (!m) return undefined;
  const prefix = Number(m[2]);
  if (isIPv4(m[1]!) && prefix <= 32) return { family: 4, address: m[1]!, prefix };
  if (isIPv6(m[1]!) && prefix <= 128) return { family: 6, address: m[1]!, prefix };
  return undefined;
}

function v4ToInt(a: string): number {
  return a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function v6ToBig(a: string): bigint {
  let s = a;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) { const n = v4ToInt(v4[1]!); s = s.replace(v4[1]!, `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`); }
  const [head, tail] = s.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const groups = tail !== undefined ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.reduce((n, g) => (n << 16n) + BigInt(parseInt(g || '0', 16)), 0n);
}

/** Whether `ip` lies inside the subnet of `cidr` (same family). */
export function inSubnet(ip: string, cidr: Cidr): boolean {
  if (cidr.family === 4) {
    if (!isIPv4(ip)) return false;
    if (cidr.prefix === 0) return true;
    const mask = (~0 << (32 - cidr.prefix)) >>> 0;
    return ((v4ToInt(ip) & mask) >>> 0) === ((v4ToInt(cidr.address) & mask) >>> 0);
  }
  if (!isIPv6(ip)) return false;
  const shift = BigInt(128 - cidr.prefix);
  return v6ToBig(ip) >> shift === v6ToBig(cidr.address) >> shift;
}

/**
 * Which address of its subnet `ip` is, when it is one that is not a host:
 * IPv4's network and broadcast addresses (a /31 has neither, RFC 3021; a /32
 * is one host), IPv6's subnet-router anycast address, the all-zeros interface
 * identifier (not on a /127, RFC 6164, or a /128). `ip` lies inside `c`.
 */
function subnetRole(ip: string, c: Cidr): 'network address' | 'broadcast address' | 'subnet-router anycast address' | undefined {
  if (c.family === 4) {
    if (c.prefix >= 31) return undefined;
    const all = (2 ** (32 - c.prefix)) - 1;
    const host = (v4ToInt(ip) & all) >>> 0;
    return host === 0 ? 'network address' : host === all ? 'broadcast address' : undefined;
  }
  if (c.prefix >= 127) return undefined;
  return (v6ToBig(ip) & ((1n << BigInt(128 - c.prefix)) - 1n)) === 0n ? 'subnet-router anycast address' : undefined;
}

function addressRule(v: unknown, family: 4 | 6): string | undefined {
  const c = parseCidr(v);
  if (!c) return `must be an IPv${family} address with a prefix, e.g. ${family === 4 ? '192.168.1.10/24' : 'fd00::10/64'} (got ${show(v)})`;
  if (c.family !== family) return `must be an IPv${family} address (got ${show(v)})`;
  if (family === 4) {
    if (c.prefix < 1) return `prefix must be 1-32 (got /${c.prefix})`;
    const n = v4ToInt(c.address);
    if (n === 0 || c.address.startsWith('127.') || n >= 0xe0000000) return `${c.address} is not a host address`;
    const role = subnetRole(c.address, c);
    if (role) return `${c.address} is the ${role} of /${c.prefix}`;
  } else if (c.prefix < 1) return `prefix must be 1-128 (got /${c.prefix})`;
  return undefined;
}

/** A DNS search domain (RFC 1123 labels, not all numeric at the end). */
export function isDomain(v: unknown): boolean {
  return typeof v === 'string' && isHostName(v);
}

export function bondOptionErrors(o: unknown, ports: readonly string[] | undefined, field = ''): FieldError[] {
  const errs: FieldError[] = [];
  const f = (n: string) => `${field}${n}`;
  if (!o || typeof o !== 'object') return [{ field: f('mode'), message: `is required, one of ${BOND_MODES.join(', ')}` }];
  const b = o as Record<string, unknown> & Partial<BondOptions>;
  const known = new Set(['mode', 'miimon', 'updelay', 'downdelay', 'arp_interval', 'arp_ip_target', 'primary', 'lacp_rate', 'xmit_hash_policy', 'ad_select']);
  for (const k of Object.keys(b)) if (!known.has(k)) errs.push({ field: f(k), message: `is not a bond option (known: ${[...known].join(', ')})` });
  if (!BOND_MODES.includes(b.mode as never)) {
    errs.push({ field: f('mode'), message: b.mode === undefined ? `is required, one of ${BOND_MODES.join(', ')}` : `must be one of ${BOND_MODES.join(', ')} (got ${show(b.mode)})` });
    return errs;
  }
  const mode = b.mode!;
  for (const k of ['miimon', 'updelay', 'downdelay', 'arp_interval'] as const) {
    const v = b[k];
    if (v !== undefined && (!isInt(v) || v < 0 || v > 1_000_000)) errs.push({ field: f(k), message: `must be a whole number of milliseconds 0-1000000 (got ${show(v)})` });
  }
  const miimon = isInt(b.miimon) ? b.miimon : 0;
  const arp = isInt(b.arp_interval) ? b.arp_interval : 0;
  if (miimon > 0 && arp > 0) errs.push({ field: f('arp_interval'), message: 'cannot be used together with miimon (choose MII or ARP monitoring)' });
  if ((isInt(b.updelay) && b.updelay > 0) || (isInt(b.downdelay) && b.downdelay > 0)) {
    if (miimon === 0) errs.push({ field: f(isInt(b.updelay) && b.updelay > 0 ? 'updelay' : 'downdelay'), message: 'needs miimon (it is a multiple of the MII polling interval)' });
    else for (const k of ['updelay', 'downdelay'] as const) {
      const v = b[k];
      if (isInt(v) && v % miimon !== 0) errs.push({ field: f(k), message: `must be a multiple of miimon ${miimon} (got ${v})` });
    }
  }
  if (arp > 0) {
    if (['802.3ad', 'balance-tlb', 'balance-alb'].includes(mode)) errs.push({ field: f('arp_interval'), message: `ARP monitoring is not available in mode ${mode}; use miimon` });
    if (!Array.isArray(b.arp_ip_target) || b.arp_ip_target.length === 0) errs.push({ field: f('arp_ip_target'), message: 'is required with arp_interval (at least one IPv4 address)' });
  }
  if (b.arp_ip_target !== undefined) {
    if (!Array.isArray(b.arp_ip_target)) errs.push({ field: f('arp_ip_target'), message: 'must be a list of IPv4 addresses' });
    else {
      if (arp === 0 && b.arp_ip_target.length) errs.push({ field: f('arp_ip_target'), message: 'needs arp_interval' });
      if (b.arp_ip_target.length > MAX_ARP_TARGETS) errs.push({ field: f('arp_ip_target'), message: `at most ${MAX_ARP_TARGETS} addresses` });
      for (const t of b.arp_ip_target) if (typeof t !== 'string' || !isIPv4(t)) errs.push({ field: f('arp_ip_target'), message: `must be IPv4 addresses (got ${show(t)})` });
    }
  }
  if (b.lacp_rate !== undefined) {
    if (mode !== '802.3ad') errs.push({ field: f('lacp_rate'), message: `only applies to mode 802.3ad (mode is ${mode})` });
    else if (!LACP_RATES.includes(b.lacp_rate as never)) errs.push({ field: f('lacp_rate'), message: `must be slow or fast (got ${show(b.lacp_rate)})` });
  }
  if (b.ad_select !== undefined) {
    if (mode !== '802.3ad') errs.push({ field: f('ad_select'), message: `only applies to mode 802.3ad (mode is ${mode})` });
    else if (!AD_SELECTS.includes(b.ad_select as never)) errs.push({ field: f('ad_select'), message: `must be one of ${AD_SELECTS.join(', ')} (got ${show(b.ad_select)})` });
  }
  if (b.xmit_hash_policy !== undefined) {
    if (!['balance-xor', '802.3ad', 'balance-tlb', 'balance-alb'].includes(mode)) errs.push({ field: f('xmit_hash_policy'), message: `only applies to modes balance-xor, 802.3ad, balance-tlb and balance-alb (mode is ${mode})` });
    else if (!XMIT_HASH_POLICIES.includes(b.xmit_hash_policy as never)) errs.push({ field: f('xmit_hash_policy'), message: `must be one of ${XMIT_HASH_POLICIES.join(', ')} (got ${show(b.xmit_hash_policy)})` });
  }
  if (b.primary !== undefined) {
    if (!['active-backup', 'balance-tlb', 'balance-alb'].includes(mode)) errs.push({ field: f('primary'), message: `only applies to modes active-backup, balance-tlb and balance-alb (mode is ${mode})` });
    else if (ifaceNameRule(b.primary)) errs.push({ field: f('primary'), message: `interface name ${ifaceNameRule(b.primary)}` });
    else if (ports && !ports.includes(b.primary)) errs.push({ field: f('primary'), message: `must be one of the bond's ports (${ports.join(', ')}), got ${show(b.primary)}` });
  }
  return errs;
}

/**
 * What is allowed but probably not meant, for a bond's options: without MII or
 * ARP link monitoring the bond never notices a port whose link failed and
 * keeps sending on it.
 */
export function bondWarnings(name: string, o: Partial<BondOptions> | undefined): string[] {
  if (!o) return [];
  const on = (v: unknown) => isInt(v) && v > 0;
  return on(o.miimon) || on(o.arp_interval) ? [] : [`bond ${name} has no link monitoring (miimon and arp_interval are 0 or unset): a port whose link fails keeps getting traffic; set miimon, e.g. 100`];
}

/** An interface the configuration has no entry for: one hostdeck does not configure (ifb0, tun0, ...), or none at all. */
function missing(cur: NetConfig, name: string, otherRule: string): string {
  const o = findOther(cur, name);
  return o ? `${name} (type ${o.type}) ${otherRule}` : `${name} does not exist`;
}

/** What each kind of master takes as ports: a bond bonds NICs; a bridge takes NICs, bonds and VLANs. */
export const BOND_PORT_KINDS: readonly IfaceConfig['kind'][] = ['ethernet'];
export const BRIDGE_PORT_KINDS: readonly IfaceConfig['kind'][] = ['ethernet', 'bond', 'vlan'];

/** Why the interface `name` cannot be a port of `master` (taking ports of kinds `allowed`), or undefined. */
export function portRule(cur: NetConfig, master: string, name: unknown, allowed: readonly IfaceConfig['kind'][]): string | undefined {
  const r = vlanIfaceNameRule(name);
  if (r) return `port name ${r}`;
  const n = name as string;
  if (n === master) return `${n} cannot be a port of itself`;
  const i = findIface(cur, n);
  if (!i) return missing(cur, n, `cannot be a port; ports must be ${allowed.join(' or ')}`);
  if (!allowed.includes(i.kind)) return `${n} is a ${i.kind}; ports must be ${allowed.join(' or ')}`;
  if (i.master && i.master !== master) return `${n} is already a port of ${i.master} (an interface can belong to one bond or bridge only)`;
  const vlans = cur.interfaces.filter((v) => v.vlan?.parent === n).map((v) => v.name);
  if (vlans.length) return `${n} carries VLAN ${vlans.join(', ')}; delete it first`;
  return undefined;
}

/** The interfaces that can be ports of `master` (the rule portRule applies), in the configuration's order: what a pick list offers. */
export function portCandidates(cur: NetConfig, master: string, allowed: readonly IfaceConfig['kind'][]): string[] {
  return cur.interfaces.filter((i) => !portRule(cur, master, i.name, allowed)).map((i) => i.name);
}

function portErrors(cur: NetConfig, master: string, ports: unknown, allowed: readonly IfaceConfig['kind'][], needOne: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(ports)) return [{ field: 'ports', message: 'must be a list of interface names' }];
  if (needOne && ports.length === 0) errs.push({ field: 'ports', message: 'at least one port is required' });
  const seen = new Set<unknown>();
  for (const p of ports) {
    if (seen.has(p) && !vlanIfaceNameRule(p)) { errs.push({ field: 'ports', message: `${p as string} is listed twice` }); continue; }
    seen.add(p);
    const r = portRule(cur, master, p, allowed);
    if (r) errs.push({ field: 'ports', message: r });
  }
  return errs;
}

function newNameErrors(cur: NetConfig, field: string, name: unknown, rule: (v: unknown) => string | undefined = ifaceNameRule): FieldError[] {
  const r = rule(name);
  if (r) return [{ field, message: r }];
  if (findIface(cur, name as string) || findOther(cur, name as string)) return [{ field, message: `${name as string} already exists` }];
  return [];
}

function existing(cur: NetConfig, field: string, name: unknown, kinds?: readonly IfaceConfig['kind'][]): { errs: FieldError[]; iface?: IfaceConfig } {
  const r = typeof name === 'string' && name.includes('.') ? vlanIfaceNameRule(name) : ifaceNameRule(name);
  if (r) return { errs: [{ field, message: r }] };
  const i = findIface(cur, name as string);
  if (!i) return { errs: [{ field, message: missing(cur, name as string, 'is not configured by hostdeck') }] };
  if (kinds && !kinds.includes(i.kind)) return { errs: [{ field, message: `${i.name} is a ${i.kind}, not a ${kinds.join(' or ')}` }] };
  return { errs: [], iface: i };
}

export function ipErrors(family: 4 | 6, method: unknown, addresses: unknown, gateway: unknown, prefix = ''): FieldError[] {
  const errs: FieldError[] = [];
  const f = (n: string) => `${prefix}${n}`;
  if (!IP_METHODS.includes(method as never)) return [{ field: f('method'), message: `must be one of dhcp, static, none${family === 6 ? ', auto' : ''} (got ${show(method)})` }];
  if (method === 'auto' && family === 4) errs.push({ field: f('method'), message: 'auto (SLAAC) is for IPv6 only; use dhcp, static or none' });
  if (!Array.isArray(addresses)) return [...errs, { field: f('address'), message: 'must be a list of addresses' }];
  if (method !== 'static') {
    if (addresses.length) errs.push({ field: f('address'), message: `a static address cannot be mixed with ${method as string} on one interface (use method static, or give no address)` });
    if (gateway !== undefined && gateway !== '') errs.push({ field: f('gateway'), message: `only with method static (method is ${method as string})` });
    return errs;
  }
  if (addresses.length === 0) errs.push({ field: f('address'), message: 'method static needs at least one address' });
  if (addresses.length > 32) errs.push({ field: f('address'), message: 'at most 32 addresses' });
  const cidrs: Cidr[] = [];
  const seen = new Set<string>();
  for (const a of addresses) {
    const r = addressRule(a, family);
    if (r) { errs.push({ field: f('address'), message: r }); continue; }
    const c = parseCidr(a)!;
    if (seen.has(c.address)) errs.push({ field: f('address'), message: `${c.address} is given twice` });
    seen.add(c.address);
    cidrs.push(c);
  }
  if (gateway !== undefined && gateway !== '') {
    if (typeof gateway !== 'string' || !(family === 4 ? isIPv4(gateway) : isIPv6(gateway))) errs.push({ field: f('gateway'), message: `must be an IPv${family} address (got ${show(gateway)})` });
    else if (cidrs.length && seen.has(gateway)) errs.push({ field: f('gateway'), message: `${gateway} is the interface's own address` });
    else if (cidrs.length) {
      const linkLocal = family === 6 && gateway.toLowerCase().startsWith('fe80:');
      const within = linkLocal ? [{ family: 6 as const, address: 'fe80::', prefix: 64 }] : cidrs.filter((c) => inSubnet(gateway, c));
      const special = within.map((c) => ({ c, role: subnetRole(gateway, c) })).find((x) => x.role);
      const single = family === 4 ? 32 : 128;
      if (special) errs.push({ field: f('gateway'), message: `${gateway} is the ${special.role!} of the subnet of ${special.c.address}/${special.c.prefix}, not a host; the gateway must be a host address in the subnet` });
      else if (!within.length && cidrs.every((c) => c.prefix === single)) errs.push({ field: f('gateway'), message: `${gateway} is not inside the subnet of ${cidrs.map((c) => `${c.address}/${c.prefix}`).join(', ')}: a /${single} is a single address with no subnet for a gateway; give the address with its subnet's prefix` });
      else if (!within.length) errs.push({ field: f('gateway'), message: `${gateway} is not inside the subnet of ${cidrs.map((c) => `${c.address}/${c.prefix}`).join(', ')}` });
    }
  }
  return errs;
}

/** Rules of one change against the current configuration (before it). */
export function validateChange(change: unknown, current: NetConfig): FieldError[] {
  if (!change || typeof change !== 'object') return [{ field: 'change', message: 'must be an object' }];
  const c = change as NetChange & Record<string, unknown>;
  const errs: FieldError[] = [];
  switch (c.op) {
    case 'bond.create':
      errs.push(...newNameErrors(current, 'name', c.name, bondNameRule));
      errs.push(...portErrors(current, String(c.name), c.ports, BOND_PORT_KINDS, true));
      errs.push(...bondOptionErrors(c.options, Array.isArray(c.ports) ? c.ports as string[] : undefined));
      break;
    case 'bond.edit': {
      const e = existing(current, 'name', c.name, ['bond']);
      errs.push(...e.errs);
      if (!e.iface) break;
      if (c.ports === undefined && c.options === undefined) errs.push({ field: 'options', message: 'nothing to change (give ports or options)' });
      const ports = c.ports ?? current.interfaces.filter((i) => i.master === c.name).map((i) => i.name);
      if (c.ports !== undefined) errs.push(...portErrors(current, c.name, c.ports, BOND_PORT_KINDS, true));
      if (c.options !== undefined) errs.push(...bondOptionErrors(c.options, Array.isArray(ports) ? ports : undefined));
      break;
    }
    case 'bond.delete':
      errs.push(...existing(current, 'name', c.name, ['bond']).errs);
      break;
    case 'bridge.delete':
      errs.push(...existing(current, 'name', c.name, ['bridge']).errs);
      break;
    case 'vlan.delete':
      errs.push(...existing(current, 'name', c.name, ['vlan']).errs);
      break;
    case 'vlan.create': {
      if (!isInt(c.id) || c.id < 1 || c.id > 4094) errs.push({ field: 'id', message: `VLAN id must be a whole number 1-4094 (got ${show(c.id)})` });
      const p = existing(current, 'parent', c.parent, ['ethernet', 'bond']);
      errs.push(...p.errs);
      if (p.iface?.master) errs.push({ field: 'parent', message: `${p.iface.name} is a port of ${p.iface.master}; put the VLAN on ${p.iface.master}` });
      if (errs.length) break;
      if (current.interfaces.some((i) => i.vlan?.parent === c.parent && i.vlan.id === c.id)) errs.push({ field: 'id', message: `VLAN ${c.id} already exists on ${c.parent as string}` });
      const own = vlanName({ parent: c.parent as string, id: c.id });
      if (c.name !== undefined && c.name !== own) errs.push(...newNameErrors(current, 'name', c.name, (v) => vlanNewNameRule(v, own)));
      else if (own.length > 15) errs.push({ field: 'name', message: `${own} is longer than 15 characters; give a shorter --name` });
      else if (findIface(current, own)) errs.push({ field: 'name', message: `${own} already exists` });
      break;
    }
    case 'bridge.create':
      errs.push(...newNameErrors(current, 'name', c.name));
      if (c.stp !== undefined && typeof c.stp !== 'boolean') errs.push({ field: 'stp', message: 'must be true or false' });
      errs.push(...portErrors(current, String(c.name), c.ports ?? [], BRIDGE_PORT_KINDS, false));
      break;
    case 'ip.set': {
      const e = existing(current, 'iface', c.iface);
      errs.push(...e.errs);
      if (e.iface?.master) errs.push({ field: 'iface', message: `${e.iface.name} is a port of ${e.iface.master}; set the address on ${e.iface.master}` });
      if (c.family !== 4 && c.family !== 6) errs.push({ field: 'family', message: 'must be 4 or 6' });
      else errs.push(...ipErrors(c.family, c.method, c.addresses, c.gateway));
      if (c.family === 6 && e.iface?.mtu !== undefined && e.iface.mtu < 1280 && c.method !== 'none') errs.push({ field: 'iface', message: `IPv6 needs an MTU of at least 1280 (${e.iface.name} has ${e.iface.mtu})` });
      break;
    }
    case 'dns.set': {
      if (!Array.isArray(c.servers)) errs.push({ field: 'servers', message: 'must be a list of IP addresses' });
      else {
        if (c.servers.length > MAX_DNS_SERVERS) errs.push({ field: 'servers', message: `at most ${MAX_DNS_SERVERS} servers (the resolver uses no more)` });
        for (const s of c.servers) if (typeof s !== 'string' || !(isIPv4(s) || isIPv6(s))) errs.push({ field: 'servers', message: `must be IP addresses (got ${show(s)})` });
      }
      if (!Array.isArray(c.search)) errs.push({ field: 'search', message: 'must be a list of domain names' });
      else {
        if (c.search.length > MAX_SEARCH_DOMAINS) errs.push({ field: 'search', message: `at most ${MAX_SEARCH_DOMAINS} search domains` });
        for (const s of c.search) if (!isDomain(s)) errs.push({ field: 'search', message: `must be domain names of letters, digits and '-' labels (got ${show(s)})` });
      }
      break;
    }
    case 'hostname.set': {
      const r = hostNameRule(c.hostname);
      if (r) errs.push({ field: 'hostname', message: r });
      break;
    }
    case 'mtu.set': {
      const e = existing(current, 'iface', c.iface);
      errs.push(...e.errs);
      if (!isInt(c.mtu) || c.mtu < MTU_MIN || c.mtu > MTU_MAX) errs.push({ field: 'mtu', message: `must be a whole number ${MTU_MIN}-${MTU_MAX} (got ${show(c.mtu)})` });
      else if (e.iface && e.iface.ipv6.method !== 'none' && c.mtu < 1280) errs.push({ field: 'mtu', message: `${e.iface.name} has IPv6, which needs at least 1280` });
      break;
    }
    case 'route.add': {
      const e = existing(current, 'iface', c.iface);
      errs.push(...e.errs);
      const to = parseCidr(c.to);
      if (!to) errs.push({ field: 'to', message: `must be a destination with a prefix, e.g. 10.0.0.0/8 (got ${show(c.to)})` });
      if (c.via !== undefined && (typeof c.via !== 'string' || !(to?.family === 6 ? isIPv6(c.via) : isIPv4(c.via)))) errs.push({ field: 'via', message: `must be an IPv${to?.family ?? 4} address (got ${show(c.via)})` });
      if (c.metric !== undefined && (!isInt(c.metric) || c.metric < 0 || c.metric > 4294967295)) errs.push({ field: 'metric', message: `must be a whole number 0-4294967295 (got ${show(c.metric)})` });
      if (e.iface?.master) errs.push({ field: 'iface', message: `${e.iface.name} is a port of ${e.iface.master}` });
      break;
    }
    case 'route.delete': {
      const e = existing(current, 'iface', c.iface);
      errs.push(...e.errs);
      if (e.iface && !e.iface.routes.some((r) => r.to === c.to)) errs.push({ field: 'to', message: `${e.iface.name} has no route to ${show(c.to)}` });
      break;
    }
    default:
      errs.push({ field: 'op', message: `unknown operation ${show((c as { op?: unknown }).op)}` });
  }
  if (errs.length) return errs;
  // validateConfig has no rule about routes, and applying a route to a long
  // list costs in proportion to it: a file of many routes stays linear.
  if (c.op === 'route.add' || c.op === 'route.delete') return errs;
  // The result must hold together as a whole; problems the current
  // configuration already had are not this change's.
  const before = new Set(validateConfig(current).map((e) => `${e.field}\0${e.message}`));
  return validateConfig(applyChange(current, c)).filter((e) => !before.has(`${e.field}\0${e.message}`));
}

/** Rules of a whole configuration (what an apply would leave). */
export function validateConfig(cfg: NetConfig): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  for (const i of cfg.interfaces) {
    if (names.has(i.name)) errs.push({ field: 'name', message: `${i.name} is defined twice` });
    names.add(i.name);
    if (i.master) {
      const m = findIface(cfg, i.master);
      if (!m || (m.kind !== 'bond' && m.kind !== 'bridge')) errs.push({ field: 'ports', message: `${i.name} is a port of ${i.master}, which is not a bond or bridge` });
    }
    if (i.kind === 'bond') {
      const ports = cfg.interfaces.filter((p) => p.master === i.name).map((p) => p.name);
      if (ports.length === 0) errs.push({ field: 'ports', message: `bond ${i.name} needs at least one port` });
      errs.push(...bondOptionErrors(i.bond, ports));
    }
    if (i.kind === 'vlan') {
      const p = i.vlan && findIface(cfg, i.vlan.parent);
      if (!p) errs.push({ field: 'parent', message: `VLAN ${i.name} has no parent interface` });
    }
    for (const [fam, ip] of [[4, i.ipv4], [6, i.ipv6]] as const) {
      for (const e of ipErrors(fam, ip.method, ip.addresses, ip.gateway)) errs.push({ field: e.field, message: `${i.name}: ${e.message}` });
    }
  }
  const gw4 = cfg.interfaces.filter((i) => i.ipv4.gateway);
  if (gw4.length > 1) errs.push({ field: 'gateway', message: `only one interface can have the IPv4 default gateway (${gw4.map((i) => i.name).join(', ')} have one)` });
  if (cfg.hostname && hostNameRule(cfg.hostname)) errs.push({ field: 'hostname', message: hostNameRule(cfg.hostname)! });
  return errs;
}
