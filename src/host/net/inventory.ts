// The host's network inventory as it is now (owned by net-screens; net-core's
// `net list` reads it too): NICs with driver, speed/duplex, link, MTU, bus
// location, the bond or bridge they belong to and their addresses; bonds
// with mode, options, ports and the active port; VLANs; bridges; default
// gateways; DNS; the LLDP neighbour of each port when lldpd runs. Also
// "identify" (blink a port's LED) and live link watching.
//
// Everything runs through the injected runner, as argument arrays: the same
// code reads this machine or a test host (testHostRunner). sysfs and /proc
// files are read with one `grep -s -H '' FILE...` (one process for every
// file, which matters under TCG where each program start costs 100-300 ms).
import { parseDefaultRoutes, parseResolvConf } from '../parse.ts';
import { managementIface } from '../../domain/net/impact.ts';
import type { RunOptions, RunResult } from '../../exec/runner.ts';

/** The runner this module needs (src/exec/runner.ts, or testHostRunner(host)). */
export interface InventoryRunner {
  run(command: string, args?: readonly string[], opts?: RunOptions): Promise<RunResult>;
  /** Present on the real runner: a long-running program read line by line (`ip monitor link`). */
  spawnStream?: (command: string, args: readonly string[], onLine: (line: string) => void) => { done: Promise<RunResult>; kill: () => void };
}

export type LinkState = 'up' | 'down';

export interface NetAddress {
  family: 'inet' | 'inet6';
  /** Address with prefix, e.g. 192.0.2.10/24. */
  cidr: string;
  scope: string;
  dynamic: boolean;
}

export interface LldpNeighbor {
  /** The switch (chassis) name, or its chassis id when it sends no name. */
  chassis: string;
  /** The switch port: its description or id. */
  port: string;
  /** The switch's system description. */
  system?: string;
  /** Management address the switch announces. */
  mgmtIp?: string;
  vlan?: number;
}

interface LinkBase {
  name: string;
  mac?: string;
  link: LinkState;
  /** The kernel's operstate (UP, DOWN, LOWERLAYERDOWN, UNKNOWN, ...). */
  operstate: string;
  mtu: number;
  /** The largest MTU the kernel lets it take (`ip -d`'s max_mtu). */
  maxMtu?: number;
  /** The bond or bridge this interface is enslaved to. */
  memberOf?: string;
  addresses: NetAddress[];
  /** Administratively up (`ip link set X up`). */
  adminUp: boolean;
}

export interface Nic extends LinkBase {
  kind: 'ethernet';
  driver?: string;
  speedMbps?: number;
  duplex?: 'full' | 'half';
  /** Bus location, e.g. pci 0000:00:03.0. */
  bus?: string;
  lldp?: LldpNeighbor;
  /** false when the driver is known to have no LED to blink (virtual NICs); undefined when only trying tells. */
  identifySupported?: boolean;
  /** The permanent MAC when it differs (a bond port carries the bond's MAC). */
  permMac?: string;
}

export interface BondPort { name: string; link: LinkState; state?: 'active' | 'backup'; failures?: number }

export interface Bond extends LinkBase {
  kind: 'bond';
  mode: string;
  /** Options other than the mode, as the kernel reports them (miimon, updelay, lacp_rate, ...). */
  options: Record<string, string | number>;
  ports: BondPort[];
  activePort?: string;
  /** Ports whose link is down or no port at all. */
  degraded: boolean;
}

export interface Vlan extends LinkBase { kind: 'vlan'; parent: string; id: number; protocol?: string }

export interface Bridge extends LinkBase { kind: 'bridge'; ports: string[]; stp: boolean }

export interface OtherLink extends LinkBase { kind: 'other'; type: string }

export type NetLink = Nic | Bond | Vlan | Bridge | OtherLink;

export interface NetInventory {
  hostname: string;
  nics: Nic[];
  bonds: Bond[];
  vlans: Vlan[];
  bridges: Bridge[];
  /** Other interfaces (loopback excluded): veth, tun, dummy, ... */
  others: OtherLink[];
  gateways: { family: 'inet' | 'inet6'; gateway: string; dev: string }[];
  dns: { servers: string[]; search: string[] };
  /** Whether lldpd answered: 'running', or why there are no neighbours. */
  lldp: { state: 'running' } | { state: 'unavailable'; reason: string };
  readAt: number;
}

// ---- parsers (pure; tested on recorded real outputs) ----

interface IpJsonLink {
  ifname: string;
  address?: string;
  perm_address?: string;
  operstate?: string;
  flags?: string[];
  mtu?: number;
  max_mtu?: number;
  master?: string;
  link?: string;
  link_type?: string;
  parentbus?: string;
  parentdev?: string;
  linkinfo?: {
    info_kind?: string;
    info_data?: Record<string, unknown>;
    info_slave_kind?: string;
    info_slave_data?: Record<string, unknown>;
  };
  addr_info?: { family?: string; local?: string; prefixlen?: number; scope?: string; dynamic?: boolean }[];
}

/** `grep -s -H '' FILE...` output: file -> its lines. */
export function parseGrepFiles(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const file = line.slice(0, i);
    const list = out.get(file) ?? [];
    list.push(line.slice(i + 1));
    out.set(file, list);
  }
  return out;
}

const first = (m: Map<string, string[]>, file: string) => m.get(file)?.[0]?.trim();

export interface BondingProc { mode?: string; active?: string; ports: { name: string; mii: string; failures: number; permMac?: string }[] }

/** /proc/net/bonding/<bond>, the kernel's own bond report. */
export function parseProcBonding(lines: readonly string[]): BondingProc {
  const st: BondingProc = { ports: [] };
  let port: BondingProc['ports'][number] | undefined;
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const k = line.slice(0, i).trim();
    const v = line.slice(i + 1).trim();
    if (k === 'Bonding Mode') st.mode = v;
    else if (k === 'Currently Active Slave' && v !== 'None') st.active = v;
    else if (k === 'Slave Interface') { port = { name: v, mii: '', failures: 0 }; st.ports.push(port); }
    else if (port && k === 'MII Status') port.mii = v;
    else if (port && k === 'Link Failure Count') port.failures = Number(v) || 0;
    else if (port && k === 'Permanent HW addr') port.permMac = v;
  }
  return st;
}

/** `lldpcli -f json show neighbors`: interface -> its neighbours (a switch port usually has one). */
export function parseLldpNeighbors(json: string): Map<string, LldpNeighbor[]> {
  const out = new Map<string, LldpNeighbor[]>();
  let doc: { lldp?: { interface?: unknown } };
  try { doc = JSON.parse(json) as typeof doc; } catch { return out; }
  const raw = doc.lldp?.interface;
  // lldpcli prints one object keyed by interface, or a list of such objects when there are several.
  const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Record<string, Record<string, unknown>>[];
  for (const obj of list) {
    for (const [ifname, v] of Object.entries(obj)) {
      const chassisObj = (v.chassis ?? {}) as Record<string, Record<string, unknown>>;
      const [chassisName, c] = Object.entries(chassisObj)[0] ?? [];
      const cid = (c?.id as { value?: string } | undefined)?.value;
      const name = chassisName && chassisName !== 'id' ? chassisName : cid ?? '?';
      const descr = typeof c?.descr === 'string' ? c.descr : undefined;
      const mgmt = c?.['mgmt-ip'];
      const port = (v.port ?? {}) as { id?: { type?: string; value?: string }; descr?: string };
      const vlanRaw = v.vlan as { 'vlan-id'?: string } | { 'vlan-id'?: string }[] | undefined;
      const vlanId = Number((Array.isArray(vlanRaw) ? vlanRaw[0] : vlanRaw)?.['vlan-id']);
      const list = out.get(ifname) ?? [];
      out.set(ifname, list);
      list.push({
        chassis: name,
        // A port id that is a MAC says less than the port's description (its name on the switch).
        port: port.id?.type === 'mac' ? port.descr ?? port.id?.value ?? '?' : port.id?.value ?? port.descr ?? '?',
        system: descr,
        mgmtIp: Array.isArray(mgmt) ? String(mgmt[0]) : typeof mgmt === 'string' ? mgmt : undefined,
        vlan: Number.isFinite(vlanId) && vlanId > 0 ? vlanId : undefined,
      });
    }
  }
  return out;
}

/** Drivers without a port LED: identify cannot work there. */
const VIRTUAL_DRIVERS = new Set(['virtio_net', 'veth', 'tun', 'dummy', 'vif', 'xen-netfront', 'hv_netvsc', 'vmxnet3', 'netvsc']);

const BOND_OPTION_KEYS = ['miimon', 'updelay', 'downdelay', 'peer_notify_delay', 'use_carrier', 'arp_interval', 'arp_ip_target', 'arp_validate', 'arp_all_targets', 'primary', 'primary_reselect', 'fail_over_mac', 'xmit_hash_policy', 'resend_igmp', 'num_peer_notif', 'all_slaves_active', 'min_links', 'lp_interval', 'packets_per_slave', 'lacp_rate', 'ad_select', 'ad_actor_sys_prio', 'ad_user_port_key', 'ad_actor_system', 'tlb_dynamic_lb'];

/** Option values worth showing: those that differ from the kernel's defaults, plus the ones that matter for the mode. */
function bondOptions(data: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  const mode = String(data.mode ?? '');
  const lacp = mode === '802.3ad';
  const hashed = ['balance-xor', '802.3ad', 'balance-tlb', 'balance-alb'].includes(mode);
  for (const k of BOND_OPTION_KEYS) {
    // iproute2 names some options differently from the sysfs/nmcli names operators know.
    const v = k === 'lacp_rate' ? data.ad_lacp_rate ?? data.lacp_rate : data[k];
    if (v === undefined || v === null) continue;
    if (k === 'arp_ip_target') { if (Array.isArray(v) && v.length) out[k] = v.join(','); continue; }
    if ((k === 'lacp_rate' || k === 'ad_select' || k.startsWith('ad_')) && !lacp) continue;
    if (k === 'xmit_hash_policy' && !hashed) continue;
    if (k === 'packets_per_slave' && mode !== 'balance-rr') continue;
    if (k === 'tlb_dynamic_lb' && !['balance-tlb', 'balance-alb'].includes(mode)) continue;
    if (k === 'arp_interval' && v === 0) continue;
    if (['peer_notify_delay', 'resend_igmp', 'num_peer_notif', 'all_slaves_active', 'min_links', 'lp_interval', 'use_carrier', 'arp_validate', 'arp_all_targets', 'primary_reselect', 'fail_over_mac', 'ad_actor_sys_prio', 'ad_user_port_key', 'ad_actor_system'].includes(k)) continue;
    out[k] = typeof v === 'number' ? v : String(v);
  }
  return out;
}

/** The neighbour to show: a switch, not this host's own frames seen through a shared segment. */
function neighbour(list: LldpNeighbor[] | undefined, self: string): LldpNeighbor | undefined {
  if (!list?.length) return undefined;
  return list.find((n) => n.chassis !== self) ?? list[0];
}

function addresses(l: IpJsonLink): NetAddress[] {
  return (l.addr_info ?? [])
    .filter((a) => a.local && (a.family === 'inet' || a.family === 'inet6'))
    .map((a) => ({ family: a.family as 'inet' | 'inet6', cidr: `${a.local}/${a.prefixlen ?? (a.family === 'inet' ? 32 : 128)}`, scope: a.scope ?? 'global', dynamic: Boolean(a.dynamic) }));
}

export interface RawInventory {
  /** `ip -j -d addr show` */
  ipAddr: string;
  /** `ip -j route show default` and `ip -j -6 route show default` */
  route4: string;
  route6: string;
  /** `grep -s -H '' <sysfs, /proc and /etc files>` (see sysfsFiles) */
  files: string;
  /** `lldpcli -f json show neighbors`, or undefined with the reason when lldpd does not answer */
  lldp?: string;
  lldpError?: string;
}

/** The files read for these links (one grep call). */
export function sysfsFiles(names: readonly string[], bonds: readonly string[]): string[] {
  const files = ['/etc/resolv.conf', '/proc/sys/kernel/hostname'];
  for (const n of names) for (const f of ['speed', 'duplex', 'device/uevent']) files.push(`/sys/class/net/${n}/${f}`);
  for (const b of bonds) files.push(`/proc/net/bonding/${b}`);
  return files;
}

function parseLinks(json: string): IpJsonLink[] {
  try {
    const v = JSON.parse(json || '[]') as unknown;
    return Array.isArray(v) ? (v as IpJsonLink[]) : [];
  } catch {
    throw new Error('ip -j -d addr show printed something that is not JSON');
  }
}

/** Builds the inventory from the raw outputs (pure). */
export function buildInventory(raw: RawInventory, now = Date.now()): NetInventory {
  const links = parseLinks(raw.ipAddr);
  const files = parseGrepFiles(raw.files);
  const lldp = raw.lldp !== undefined ? parseLldpNeighbors(raw.lldp) : new Map<string, LldpNeighbor[]>();
  const inv: NetInventory = {
    hostname: first(files, '/proc/sys/kernel/hostname') ?? '',
    nics: [], bonds: [], vlans: [], bridges: [], others: [],
    gateways: [],
    dns: { servers: [], search: [] },
    lldp: raw.lldp !== undefined ? { state: 'running' } : { state: 'unavailable', reason: raw.lldpError ?? 'lldpd is not running' },
    readAt: now,
  };
  const resolv = parseResolvConf((files.get('/etc/resolv.conf') ?? []).join('\n'));
  inv.dns = { servers: resolv.nameservers, search: resolv.search };
  for (const [fam, text] of [['inet', raw.route4], ['inet6', raw.route6]] as const) {
    try {
      for (const r of parseDefaultRoutes(text || '[]', fam)) if (r.gateway) inv.gateways.push({ family: fam, gateway: r.gateway, dev: r.dev });
    } catch { /* no routes */ }
  }
  const byName = new Map(links.map((l) => [l.ifname, l]));
  for (const l of links) {
    const kind = l.linkinfo?.info_kind;
    if (l.link_type === 'loopback') continue;
    const flags = l.flags ?? [];
    const adminUp = flags.includes('UP');
    const lowerUp = flags.includes('LOWER_UP');
    const base: LinkBase = {
      name: l.ifname,
      mac: l.address,
      link: adminUp && lowerUp && !flags.includes('NO-CARRIER') ? 'up' : 'down',
      operstate: l.operstate ?? 'UNKNOWN',
      mtu: l.mtu ?? 0,
      ...(l.max_mtu !== undefined ? { maxMtu: l.max_mtu } : {}),
      memberOf: l.master,
      addresses: addresses(l),
      adminUp,
    };
    if (kind === 'bond') {
      const data = l.linkinfo?.info_data ?? {};
      const proc = parseProcBonding(files.get(`/proc/net/bonding/${l.ifname}`) ?? []);
      const portNames = links.filter((p) => p.master === l.ifname && p.linkinfo?.info_slave_kind === 'bond').map((p) => p.ifname);
      const ports: BondPort[] = portNames.map((n) => {
        const p = byName.get(n)!;
        const sd = p.linkinfo?.info_slave_data ?? {};
        const pp = proc.ports.find((x) => x.name === n);
        const mii = String(sd.mii_status ?? pp?.mii ?? '').toLowerCase();
        const st = String(sd.state ?? '').toLowerCase();
        return { name: n, link: mii === 'up' ? 'up' : 'down', state: st === 'active' || st === 'backup' ? st : undefined, failures: pp?.failures ?? (typeof sd.link_failure_count === 'number' ? sd.link_failure_count : undefined) };
      });
      const active = typeof data.active_slave === 'string' ? data.active_slave : proc.active;
      inv.bonds.push({ ...base, kind: 'bond', mode: String(data.mode ?? proc.mode ?? '?'), options: bondOptions(data), ports, activePort: active, degraded: ports.length === 0 || ports.some((p) => p.link === 'down') });
    } else if (kind === 'vlan') {
      const data = l.linkinfo?.info_data ?? {};
      inv.vlans.push({ ...base, kind: 'vlan', parent: l.link ?? '?', id: Number(data.id ?? 0), protocol: typeof data.protocol === 'string' ? data.protocol : undefined });
    } else if (kind === 'bridge') {
      const data = l.linkinfo?.info_data ?? {};
      inv.bridges.push({ ...base, kind: 'bridge', ports: links.filter((p) => p.master === l.ifname).map((p) => p.ifname), stp: Number(data.stp_state ?? 0) !== 0 });
    } else if (!kind && l.link_type === 'ether') {
      const uevent = files.get(`/sys/class/net/${l.ifname}/device/uevent`) ?? [];
      const driver = uevent.find((x) => x.startsWith('DRIVER='))?.slice(7);
      const speed = Number(first(files, `/sys/class/net/${l.ifname}/speed`));
      const duplex = first(files, `/sys/class/net/${l.ifname}/duplex`);
      const bus = l.parentbus && l.parentdev ? `${l.parentbus} ${l.parentdev}` : uevent.find((x) => x.startsWith('PCI_SLOT_NAME='))?.slice(14);
      const procPort = l.master ? parseProcBonding(files.get(`/proc/net/bonding/${l.master}`) ?? []).ports.find((p) => p.name === l.ifname) : undefined;
      const sd = l.linkinfo?.info_slave_data ?? {};
      const permMac = l.perm_address ?? (typeof sd.perm_hwaddr === 'string' ? sd.perm_hwaddr : undefined) ?? procPort?.permMac;
      inv.nics.push({
        ...base,
        kind: 'ethernet',
        driver,
        speedMbps: Number.isFinite(speed) && speed > 0 ? speed : undefined,
        duplex: duplex === 'full' || duplex === 'half' ? duplex : undefined,
        bus,
        lldp: neighbour(lldp.get(l.ifname), inv.hostname),
        identifySupported: driver === undefined ? false : VIRTUAL_DRIVERS.has(driver) ? false : undefined,
        permMac: permMac && permMac !== l.address ? permMac : undefined,
      });
    } else {
      inv.others.push({ ...base, kind: 'other', type: kind ?? l.link_type ?? '?' });
    }
  }
  return inv;
}

// ---- reading a host ----

/** Reads the whole inventory (4-5 programs: ip addr, ip routes, one grep for every file, lldpcli). */
export async function readInventory(runner: InventoryRunner): Promise<NetInventory> {
  const [addr, r4, r6, lldp] = await Promise.all([
    runner.run('ip', ['-j', '-d', 'addr', 'show'], { timeoutMs: 10_000 }),
    runner.run('ip', ['-j', 'route', 'show', 'default'], { timeoutMs: 10_000 }),
    runner.run('ip', ['-j', '-6', 'route', 'show', 'default'], { timeoutMs: 10_000 }),
    runner.run('lldpcli', ['-f', 'json', 'show', 'neighbors'], { timeoutMs: 5_000 }),
  ]);
  if (addr.exitCode !== 0) throw new Error(`cannot list interfaces: ${addr.spawnError ?? (addr.stderr.trim() || `ip exited with ${addr.exitCode}`)}`);
  const links = parseLinks(addr.stdout);
  const names = links.filter((l) => l.link_type === 'ether' && !l.linkinfo?.info_kind).map((l) => l.ifname);
  const bonds = links.filter((l) => l.linkinfo?.info_kind === 'bond').map((l) => l.ifname);
  // grep exits 2 when some file is unreadable (a link that is down has no speed): the rest is still printed.
  const files = await runner.run('grep', ['-s', '-H', '', ...sysfsFiles(names, bonds)], { timeoutMs: 10_000 });
  const lldpOk = lldp.exitCode === 0 && !lldp.timedOut;
  return buildInventory({
    ipAddr: addr.stdout,
    route4: r4.exitCode === 0 ? r4.stdout : '[]',
    route6: r6.exitCode === 0 ? r6.stdout : '[]',
    files: files.stdout,
    lldp: lldpOk ? lldp.stdout : undefined,
    lldpError: lldpOk ? undefined : lldp.spawnError ? 'lldpd is not installed' : lldp.timedOut ? 'lldpd did not answer within 5 s' : 'lldpd is not running',
  });
}

/** Every interface of the inventory, in display order: NICs, bonds, VLANs, bridges, others. */
export function allLinks(inv: NetInventory): NetLink[] {
  return [...inv.nics, ...inv.bonds, ...inv.vlans, ...inv.bridges, ...inv.others];
}

/** The management interface of the inventory (the dashboard's rule: the default route's interface), for the console and the CLI alike. */
export function managementOf(inv: NetInventory | undefined): string | undefined {
  return inv ? managementIface(inv.gateways, allLinks(inv).filter((l) => l.addresses.some((a) => a.scope === 'global')).map((l) => l.name)) : undefined;
}

// ---- identify ----

export interface IdentifyResult {
  ok: boolean;
  message: string;
  /** The operator stopped the blinking before its time (through `signal`). */
  cancelled?: boolean;
}

export interface IdentifyOptions {
  /** Aborting stops the blinking: ethtool is sent SIGTERM, and the kernel turns the LED back to normal. */
  signal?: AbortSignal;
  /** How long past `seconds` ethtool may take before it is stopped as hung (default 10 s). */
  graceMs?: number;
}

/**
 * Blink the port's LED for `seconds` (ethtool --identify, which returns when the time is up); says
 * plainly when the driver cannot, when ethtool hangs past its time, and when the operator stopped it.
 */
export async function identifyNic(runner: InventoryRunner, nic: Pick<Nic, 'name' | 'driver'>, seconds = 10, opts: IdentifyOptions = {}): Promise<IdentifyResult> {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,14}$/.test(nic.name)) return { ok: false, message: `interface: "${nic.name}" is not an interface name` };
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600) return { ok: false, message: 'seconds: must be a whole number from 1 to 600' };
  if (opts.signal?.aborted) return { ok: true, cancelled: true, message: `identify on ${nic.name} was stopped before it started` };
  const graceMs = opts.graceMs ?? 10_000;
  const r = await runner.run('ethtool', ['--identify', nic.name, String(seconds)], { timeoutMs: seconds * 1000 + graceMs, ...(opts.signal ? { signal: opts.signal } : {}) });
  if (r.spawnError) return { ok: false, message: 'ethtool is not installed: identify needs it' };
  if (opts.signal?.aborted) return { ok: true, cancelled: true, message: `stopped blinking ${nic.name}'s port LED` };
  if (r.timedOut) return { ok: false, message: `identify on ${nic.name} was still running after ${(seconds * 1000 + graceMs) / 1000} s (asked for ${seconds} s): ethtool was stopped; the driver may not support it properly` };
  if (r.exitCode === 0) return { ok: true, message: `${nic.name}'s port LED blinked for ${seconds} s` };
  const err = r.stderr.trim();
  if (/not supported|Operation not supported|EOPNOTSUPP/i.test(err)) return { ok: false, message: `identify is not supported by driver ${nic.driver ?? 'of ' + nic.name} (${nic.name} has no LED it can blink)` };
  if (/No such device/i.test(err)) return { ok: false, message: `${nic.name} no longer exists` };
  return { ok: false, message: `identify failed on ${nic.name}: ${err || `ethtool exited with ${r.exitCode}`}` };
}

// ---- live link state ----

export interface LinkChange { name: string; link: LinkState; operstate: string }

/** `ip -j link show` -> name -> link state (pure). */
export function linkStates(json: string): Map<string, { link: LinkState; operstate: string }> {
  const out = new Map<string, { link: LinkState; operstate: string }>();
  for (const l of parseLinks(json)) {
    if (l.link_type === 'loopback') continue;
    const f = l.flags ?? [];
    out.set(l.ifname, { link: f.includes('UP') && f.includes('LOWER_UP') && !f.includes('NO-CARRIER') ? 'up' : 'down', operstate: l.operstate ?? 'UNKNOWN' });
  }
  return out;
}

/**
 * Calls onChange with the links whose state changed (and once with every
 * link at the start). With a streaming runner, `ip monitor link` wakes it
 * (no work while nothing changes); otherwise it polls `ip -j link` every
 * `pollMs` (1 s). Returns stop().
 */
export function watchLinks(runner: InventoryRunner, onChange: (changes: LinkChange[], all: Map<string, { link: LinkState; operstate: string }>) => void, opts: { pollMs?: number } = {}): () => void {
  let stopped = false;
  let last = new Map<string, { link: LinkState; operstate: string }>();
  let reading = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const read = async (): Promise<void> => {
    if (stopped) return;
    if (reading) { again = true; return; }
    reading = true;
    try {
      const r = await runner.run('ip', ['-j', 'link', 'show'], { timeoutMs: 5000 });
      if (r.exitCode === 0 && !stopped) {
        const now = linkStates(r.stdout);
        const changes: LinkChange[] = [];
        for (const [name, s] of now) {
          const p = last.get(name);
          if (!p || p.link !== s.link || p.operstate !== s.operstate) changes.push({ name, ...s });
        }
        const first = last.size === 0;
        last = now;
        if (changes.length || first) onChange(changes, now);
      }
    } catch { /* the next event or tick reads again */ } finally {
      reading = false;
    }
    if (again && !stopped) { again = false; await read(); }
  };
  let stream: { kill: () => void } | undefined;
  if (runner.spawnStream) {
    stream = runner.spawnStream('ip', ['-o', 'monitor', 'link'], () => { void read(); });
  } else {
    const tick = () => {
      timer = setTimeout(() => { void read().finally(() => { if (!stopped) tick(); }); }, opts.pollMs ?? 1000);
      timer.unref?.();
    };
    tick();
  }
  void read();
  return () => { stopped = true; stream?.kill(); if (timer) clearTimeout(timer); };
}
