// Host network configuration: the model both backends realise, the staged
// operations (NetChange) an operator builds up, and how a list of changes
// turns the current configuration into the desired one. Pure: no I/O.
//
// Note for net-screens: this is the agreed API (NetConfig, IfaceConfig,
// IpConfig, NetChange). `applyChanges(current, changes)` gives the desired
// configuration; src/domain/net/validate.ts has validateChange /
// validateConfig; src/domain/net/diff.ts the readable diff.

export const IFACE_KINDS = ['ethernet', 'bond', 'vlan', 'bridge'] as const;
export type IfaceKind = (typeof IFACE_KINDS)[number];

export const IP_METHODS = ['dhcp', 'static', 'none', 'auto'] as const;
/** 'auto' is SLAAC and only meaningful for IPv6. */
export type IpMethod = (typeof IP_METHODS)[number];

export interface IpConfig {
  method: IpMethod;
  /** CIDR, e.g. 192.168.1.10/24 or fd00::10/64. */
  addresses: string[];
  gateway?: string;
}

export interface RouteConfig {
  /** Destination in CIDR. */
  to: string;
  via?: string;
  metric?: number;
}

export const BOND_MODES = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'] as const;
export type BondMode = (typeof BOND_MODES)[number];
export const LACP_RATES = ['slow', 'fast'] as const;
export const XMIT_HASH_POLICIES = ['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4', 'vlan+srcmac'] as const;
export const AD_SELECTS = ['stable', 'bandwidth', 'count'] as const;

export interface BondOptions {
  mode: BondMode;
  miimon?: number;
  updelay?: number;
  downdelay?: number;
  arp_interval?: number;
  arp_ip_target?: string[];
  primary?: string;
  lacp_rate?: (typeof LACP_RATES)[number];
  xmit_hash_policy?: (typeof XMIT_HASH_POLICIES)[number];
  ad_select?: (typeof AD_SELECTS)[number];
}

/**
 * A new bond's options where none are given (the CLI without --mode, the
 * console's New bond form): active-backup needs nothing from the switch, and
 * MII link monitoring every 100 ms notices a port whose link went down.
 */
export const DEFAULT_BOND_OPTIONS: Readonly<BondOptions> = { mode: 'active-backup', miimon: 100 };

export interface IfaceConfig {
  name: string;
  kind: IfaceKind;
  mtu?: number;
  ipv4: IpConfig;
  ipv6: IpConfig;
  routes: RouteConfig[];
  /** The bond or bridge this interface is enslaved to. */
  master?: string;
  bond?: BondOptions;
  vlan?: { parent: string; id: number };
  bridge?: { stp: boolean };
  /** Read-back only: operational state and MAC as the kernel reports them. */
  state?: string;
  mac?: string;
}

export interface NetConfig {
  hostname: string;
  dns: { servers: string[]; search: string[] };
  interfaces: IfaceConfig[];
  /**
   * The host's other interfaces (ifb, tun, veth, dummy, ...): hostdeck does not configure them,
   * but they exist, as the inventory lists them, so a rule can say what they are.
   */
  others?: { name: string; type: string }[];
}

/** The staged operations. Every field is what the operator typed (validated before staging). */
export type NetChange =
  | { op: 'bond.create'; name: string; ports: string[]; options: BondOptions }
  | { op: 'bond.edit'; name: string; ports?: string[]; options?: BondOptions }
  | { op: 'bond.delete'; name: string }
  | { op: 'vlan.create'; parent: string; id: number; name?: string }
  | { op: 'vlan.delete'; name: string }
  | { op: 'bridge.create'; name: string; ports: string[]; stp?: boolean }
  | { op: 'bridge.delete'; name: string }
  | { op: 'ip.set'; iface: string; family: 4 | 6; method: IpMethod; addresses: string[]; gateway?: string }
  | { op: 'dns.set'; servers: string[]; search: string[] }
  | { op: 'hostname.set'; hostname: string }
  | { op: 'mtu.set'; iface: string; mtu: number }
  | { op: 'route.add'; iface: string; to: string; via?: string; metric?: number }
  | { op: 'route.delete'; iface: string; to: string };

export type NetChangeOp = NetChange['op'];

export const noIp = (): IpConfig => ({ method: 'none', addresses: [] });

export function newIface(name: string, kind: IfaceKind): IfaceConfig {
  return { name, kind, ipv4: noIp(), ipv6: noIp(), routes: [] };
}

/** Name of the VLAN interface a vlan.create makes (the kernel's usual parent.id). */
export function vlanName(c: { parent: string; id: number; name?: string }): string {
  return c.name || `${c.parent}.${c.id}`;
}

export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function findIface(cfg: NetConfig, name: string): IfaceConfig | undefined {
  return cfg.interfaces.find((i) => i.name === name);
}

/** One of the host's interfaces hostdeck does not configure (see NetConfig.others). */
export function findOther(cfg: NetConfig, name: string): { name: string; type: string } | undefined {
  return cfg.others?.find((o) => o.name === name);
}

/** What one change touches (for messages and events). */
export function changeObject(c: NetChange): string {
  switch (c.op) {
    case 'bond.create': case 'bond.edit': case 'bond.delete': case 'bridge.create': case 'bridge.delete': case 'vlan.delete': return c.name;
    case 'vlan.create': return vlanName(c);
    case 'ip.set': case 'mtu.set': case 'route.add': case 'route.delete': return c.iface;
    case 'dns.set': return 'dns';
    case 'hostname.set': return 'hostname';
  }
}

export function describeChange(c: NetChange): string {
  switch (c.op) {
    case 'bond.create': return `create bond ${c.name} (${c.options.mode}) over ${c.ports.join(', ')}`;
    case 'bond.edit': return `edit bond ${c.name}${c.ports ? ` ports ${c.ports.join(', ')}` : ''}${c.options ? ` mode ${c.options.mode}` : ''}`;
    case 'bond.delete': return `delete bond ${c.name}`;
    case 'vlan.create': return `create VLAN ${c.id} on ${c.parent} as ${vlanName(c)}`;
    case 'vlan.delete': return `delete VLAN ${c.name}`;
    case 'bridge.create': return `create bridge ${c.name} over ${c.ports.join(', ') || '(no ports)'}`;
    case 'bridge.delete': return `delete bridge ${c.name}`;
    case 'ip.set': return `set IPv${c.family} of ${c.iface} to ${c.method}${c.addresses.length ? ` ${c.addresses.join(', ')}` : ''}${c.gateway ? ` via ${c.gateway}` : ''}`;
    case 'dns.set': return `set DNS servers ${c.servers.join(', ') || '(none)'}${c.search.length ? `, search ${c.search.join(', ')}` : ''}`;
    case 'hostname.set': return `set host name ${c.hostname}`;
    case 'mtu.set': return `set MTU of ${c.iface} to ${c.mtu}`;
    case 'route.add': return `add route ${c.to}${c.via ? ` via ${c.via}` : ''} on ${c.iface}`;
    case 'route.delete': return `delete route ${c.to} on ${c.iface}`;
  }
}

function release(cfg: NetConfig, name: string): void {
  const bond = findIface(cfg, name)?.kind === 'bond';
  for (const i of cfg.interfaces) {
    if (i.master !== name) continue;
    delete i.master;
    // The kernel gives a port released from a bond the MTU it had before it joined (not known here).
    if (bond) delete i.mtu;
  }
}

function enslave(cfg: NetConfig, ports: string[], master: string): void {
  const m = findIface(cfg, master);
  for (const p of ports) {
    const i = findIface(cfg, p);
    if (!i) continue;
    i.master = master;
    // The kernel gives a bond's ports the bond's MTU.
    if (m?.kind === 'bond' && m.mtu !== undefined) i.mtu = m.mtu;
    // A port carries no addresses of its own.
    i.ipv4 = noIp();
    i.ipv6 = noIp();
    i.routes = [];
  }
}

function removeIface(cfg: NetConfig, name: string): void {
  release(cfg, name);
  cfg.interfaces = cfg.interfaces.filter((i) => i.name !== name);
  // VLANs on a removed interface go with it.
  for (const v of cfg.interfaces.filter((i) => i.vlan?.parent === name)) removeIface(cfg, v.name);
}

/**
 * A copy of a configuration for applyChange to edit: deep, except that each
 * interface's routes list is shared. applyChange only ever replaces a routes
 * list, never edits one in place, and copying them all for every change made
 * a file of many routes take time in the square of its length.
 */
function copyForChange(cfg: NetConfig): NetConfig {
  const out = clone({ ...cfg, interfaces: cfg.interfaces.map((i) => ({ ...i, routes: [] as RouteConfig[] })) });
  out.interfaces.forEach((i, n) => { i.routes = cfg.interfaces[n]!.routes; });
  return out;
}

/** One change applied to a configuration (assumes it was validated against it). The result shares the unchanged routes lists with `cfg`: replace a list, do not edit it. */
export function applyChange(cfg: NetConfig, c: NetChange): NetConfig {
  const out = copyForChange(cfg);
  switch (c.op) {
    case 'bond.create': {
      const b = newIface(c.name, 'bond');
      b.bond = clone(c.options);
      out.interfaces.push(b);
      enslave(out, c.ports, c.name);
      break;
    }
    case 'bond.edit': {
      const b = findIface(out, c.name);
      if (!b) break;
      if (c.options) b.bond = clone(c.options);
      if (c.ports) { release(out, c.name); enslave(out, c.ports, c.name); }
      break;
    }
    case 'bond.delete': case 'bridge.delete': case 'vlan.delete':
      removeIface(out, c.name);
      break;
    case 'vlan.create': {
      const v = newIface(vlanName(c), 'vlan');
      v.vlan = { parent: c.parent, id: c.id };
      out.interfaces.push(v);
      break;
    }
    case 'bridge.create': {
      const b = newIface(c.name, 'bridge');
      b.bridge = { stp: c.stp ?? false };
      out.interfaces.push(b);
      enslave(out, c.ports, c.name);
      break;
    }
    case 'ip.set': {
      const i = findIface(out, c.iface);
      if (!i) break;
      const ip: IpConfig = { method: c.method, addresses: c.method === 'static' ? [...c.addresses] : [] };
      if (c.gateway && c.method === 'static') ip.gateway = c.gateway;
      if (c.family === 4) i.ipv4 = ip; else i.ipv6 = ip;
      break;
    }
    case 'dns.set':
      out.dns = { servers: [...c.servers], search: [...c.search] };
      break;
    case 'hostname.set':
      out.hostname = c.hostname;
      break;
    case 'mtu.set': {
      const i = findIface(out, c.iface);
      if (i) i.mtu = c.mtu;
      // A bond's ports follow its MTU (the kernel sets theirs when the bond's changes).
      if (i?.kind === 'bond') for (const p of out.interfaces.filter((x) => x.master === i.name)) p.mtu = c.mtu;
      break;
    }
    case 'route.add': {
      const i = findIface(out, c.iface);
      if (i) i.routes = [...i.routes.filter((r) => r.to !== c.to), routeOf(c)];
      break;
    }
    case 'route.delete': {
      const i = findIface(out, c.iface);
      if (i) i.routes = i.routes.filter((r) => r.to !== c.to);
      break;
    }
  }
  return out;
}

export function applyChanges(cfg: NetConfig, changes: readonly NetChange[]): NetConfig {
  return changes.reduce(applyChange, cfg);
}

const routeOf = (c: { to: string; via?: string; metric?: number }): RouteConfig => ({ to: c.to, ...(c.via ? { via: c.via } : {}), ...(c.metric !== undefined ? { metric: c.metric } : {}) });

/**
 * Changes applied one after another (an unattended file), each to the result
 * of the ones before, in time linear in their number: the chain works on its
 * own copy, so a new route is appended in place (a set per routes list says
 * whether the destination is new) instead of copying the interface's list.
 * `config` is that working copy: read it between changes, do not keep it.
 */
export class ChangeChain {
  #cfg: NetConfig;
  readonly #destinations = new WeakMap<RouteConfig[], Set<string>>();
  constructor(base: NetConfig) { this.#cfg = clone(base); }
  get config(): NetConfig { return this.#cfg; }
  apply(c: NetChange): void {
    const i = c.op === 'route.add' ? findIface(this.#cfg, c.iface) : undefined;
    if (i && c.op === 'route.add') {
      let seen = this.#destinations.get(i.routes);
      if (!seen) this.#destinations.set(i.routes, (seen = new Set(i.routes.map((r) => r.to))));
      if (!seen.has(c.to)) { i.routes.push(routeOf(c)); seen.add(c.to); return; }
    }
    // The previous configuration is dropped, so the lists it shares with the new one stay the chain's own.
    this.#cfg = applyChange(this.#cfg, c);
  }
}
