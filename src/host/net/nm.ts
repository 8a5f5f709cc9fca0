// The NetworkManager backend: one keyfile profile per interface hostdeck
// configures (hostdeck-<interface>.nmconnection under NetworkManager's
// system-connections directory, with a UUID derived from the interface
// name). An apply writes every keyfile it changes, loads them all in ONE
// D-Bus call (Settings.LoadConnections, which also drops the profiles whose
// files were removed) and activates only the top of each stack
// (autoconnect-slaves brings a bond's or bridge's ports, and NetworkManager
// the parents); activation is asynchronous, and the service's read-back
// verification waits for the kernel to show the result. Everything goes
// through busctl: an nmcli start costs seconds on a slow host.
// Checkpoints go through the same D-Bus API: CheckpointCreate with a
// rollback timeout (NetworkManager rolls back by itself even when hostdeck
// is gone), CheckpointRollback, CheckpointDestroy.
import { createHash } from 'node:crypto';
import { changedInterfaces } from '../../domain/net/diff.ts';
import { findIface, type IfaceConfig, type IpConfig, type NetConfig } from '../../domain/net/model.ts';
import {
  HOSTDECK_PREFIX, HOSTNAME_FILE, RESOLV_FILE, dependencyOrder, restoreFiles, saveFiles, setHostnameAndDns,
  type Checkpoint, type NetBackend,
} from './backend.ts';
import { parseResolv as parseResolvText, readKernelState, type ReadParts } from './read.ts';
import type { Target } from './target.ts';

// `--` ends busctl's options: the call's arguments (an interface or host name) are values, whatever they start with.
const NM_BUS = ['--system', '--json=short', '--', 'call', 'org.freedesktop.NetworkManager'];
const NM = [...NM_BUS, '/org/freedesktop/NetworkManager', 'org.freedesktop.NetworkManager'];
const NM_SETTINGS = [...NM_BUS, '/org/freedesktop/NetworkManager/Settings', 'org.freedesktop.NetworkManager.Settings'];
/** NM_CHECKPOINT_CREATE_FLAG_DELETE_NEW_CONNECTIONS | DISCONNECT_NEW_DEVICES. */
const CHECKPOINT_FLAGS = 0x02 | 0x04;
/** NetworkManager.Reload flags: NM_MANAGER_RELOAD_FLAG_CONF | NM_MANAGER_RELOAD_FLAG_DNS_RC. */
const RELOAD_CONF_DNS = 0x02 | 0x04;
export const NM_DNS_CONF = '/etc/NetworkManager/conf.d/90-hostdeck-dns.conf';
export const NM_KEYFILE_DIR = '/etc/NetworkManager/system-connections';

export const profileName = (iface: string) => `${HOSTDECK_PREFIX}${iface}`;
export const keyfilePath = (iface: string) => `${NM_KEYFILE_DIR}/${profileName(iface)}.nmconnection`;

/** A stable UUID per interface (name-based, RFC 4122 version 5 layout): an edit updates the same profile. */
export function profileUuid(iface: string): string {
  const h = createHash('sha1').update(`hostdeck-net:${iface}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function ipKeys(family: 4 | 6, ip: IpConfig, routes: IfaceConfig['routes']): string[] {
  const out: string[] = [];
  switch (ip.method) {
    case 'static': out.push('method=manual'); break;
    case 'dhcp': out.push(`method=${family === 4 ? 'auto' : 'dhcp'}`); break;
    case 'auto': out.push('method=auto'); break;
    default: out.push('method=disabled');
  }
  if (ip.method === 'static') {
    ip.addresses.forEach((a, k) => out.push(`address${k + 1}=${a}${k === 0 && ip.gateway ? `,${ip.gateway}` : ''}`));
  }
  // route<n>=destination[,gateway[,metric]] (an unspecified gateway where only a metric is given).
  routes.forEach((r, k) => out.push(`route${k + 1}=${[r.to, ...(r.via || r.metric !== undefined ? [r.via ?? (family === 4 ? '0.0.0.0' : '::')] : []), ...(r.metric !== undefined ? [r.metric] : [])].join(',')}`));
  return out;
}

export function bondOptionsText(i: IfaceConfig): string {
  return bondOptionPairs(i).map(([k, v]) => `${k}=${v}`).join(',');
}

function bondOptionPairs(i: IfaceConfig): [string, string][] {
  const b = i.bond!;
  const parts: [string, string][] = [['mode', b.mode]];
  const put = (k: string, v: unknown) => { if (v !== undefined && !(Array.isArray(v) && !v.length)) parts.push([k, Array.isArray(v) ? v.join(' ') : String(v)]); };
  put('miimon', b.miimon); put('updelay', b.updelay); put('downdelay', b.downdelay);
  put('arp_interval', b.arp_interval); put('arp_ip_target', b.arp_ip_target); put('primary', b.primary);
  put('lacp_rate', b.lacp_rate); put('xmit_hash_policy', b.xmit_hash_policy); put('ad_select', b.ad_select);
  return parts;
}

const NM_TYPE: Record<IfaceConfig['kind'], string> = { ethernet: 'ethernet', bond: 'bond', vlan: 'vlan', bridge: 'bridge' };

/**
 * The keyfile for one interface. Every value was validated before it gets
 * here; a line break, NUL or '[' at a value's start could still change the
 * file's structure, so they are refused outright (no keyfile is written).
 */
export function keyfileText(i: IfaceConfig, cfg: NetConfig): string {
  const sections: [string, string[]][] = [];
  const conn = [`id=${profileName(i.name)}`, `uuid=${profileUuid(i.name)}`, `type=${NM_TYPE[i.kind]}`, `interface-name=${i.name}`,
    'autoconnect=true', 'autoconnect-priority=50'];
  if (i.kind === 'bond' || i.kind === 'bridge') conn.push('autoconnect-slaves=1');
  if (i.master) {
    const m = findIface(cfg, i.master);
    conn.push(`master=${i.master}`, `slave-type=${m?.kind === 'bridge' ? 'bridge' : 'bond'}`);
  }
  sections.push(['connection', conn]);
  // MTU: NetworkManager keeps it in the ethernet setting for NICs, bonds, VLANs and bridges alike.
  if (i.kind === 'ethernet' || i.mtu !== undefined) sections.push(['ethernet', i.mtu !== undefined ? [`mtu=${i.mtu}`] : []]);
  if (i.kind === 'bond') sections.push(['bond', bondOptionPairs(i).map(([k, v]) => `${k}=${v}`)]);
  if (i.kind === 'vlan') sections.push(['vlan', [`id=${i.vlan!.id}`, `parent=${i.vlan!.parent}`]]);
  if (i.kind === 'bridge') sections.push(['bridge', [`stp=${i.bridge?.stp ? 'true' : 'false'}`, 'forward-delay=2']]);
  if (!i.master) {
    sections.push(['ipv4', ipKeys(4, i.ipv4, i.routes.filter((r) => !r.to.includes(':')))]);
    sections.push(['ipv6', ipKeys(6, i.ipv6, i.routes.filter((r) => r.to.includes(':')))]);
  }
  for (const [, lines] of sections) {
    for (const l of lines) {
      const v = l.slice(l.indexOf('=') + 1);
      if (/[\n\r\0]/.test(l) || v.startsWith('[')) throw new Error(`refusing to write a keyfile value with a line break, NUL or '[': ${JSON.stringify(l)}`);
    }
  }
  return `${['# Written by hostdeck; changes are overwritten by the next apply.', ...sections.map(([name, lines]) => [`[${name}]`, ...lines].join('\n'))].join('\n\n')}\n`;
}

/** The method in `busctl --json=short` output of Device.GetAppliedConnection (a{sa{sv}}t), or undefined. */
export function appliedMethodOf(json: string, family: 4 | 6): string | undefined {
  try {
    const settings = (JSON.parse(json) as { data?: [Record<string, Record<string, { data?: unknown }>>] }).data?.[0];
    const m = settings?.[`ipv${family}`]?.method?.data;
    return typeof m === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}

export function dnsConfText(dns: NetConfig['dns']): string {
  return ['# Written by hostdeck: the host\'s DNS servers and search domains.', '[global-dns]', `searches=${dns.search.join(',')}`,
    '[global-dns-domain-*]', `servers=${dns.servers.join(',')}`, ''].join('\n');
}

export class NetworkManagerBackend implements NetBackend {
  readonly name = 'networkmanager' as const;
  /** Activation runs on after ActivateConnection returns (ports, DHCP, carrier): as long as `nmcli --wait 60 connection up` would wait. */
  readonly settleMs = 60_000;
  constructor(private readonly t: Target) {}

  /**
   * The kernel's state, with the IPv6 method NetworkManager applied where the kernel cannot tell.
   * NetworkManager forms SLAAC addresses itself (it keeps the kernel's accept_ra off); when the router
   * advertises an infinite lifetime the kernel shows such an address as permanent, like a static one,
   * and a read of the kernel alone would show the interface as static with the router as gateway.
   * So for each interface whose IPv6 looks static, the profile NetworkManager applied to it decides.
   * Likewise for one that looks like DHCPv6 (dynamic /128 addresses only): with method auto NetworkManager
   * runs DHCPv6 itself when the router's advertisements ask for it, and the profile says auto.
   */
  async read(parts?: ReadParts): Promise<NetConfig> {
    const cfg = await readKernelState(this.t, parts);
    if (parts?.methods === false) return cfg;
    const ask = cfg.interfaces.filter((i) => !i.master && (i.ipv6.method === 'static' || i.ipv6.method === 'dhcp'));
    await Promise.all(ask.map(async (i) => {
      const m = await this.appliedMethod(i.name, 6);
      if (m === 'auto' || m === 'dhcp') i.ipv6 = { method: m, addresses: [] };
    }));
    return cfg;
  }

  /** ipv4.method / ipv6.method of the profile active on a device; undefined when NetworkManager has none there. */
  private async appliedMethod(iface: string, family: 4 | 6): Promise<string | undefined> {
    const d = await this.t.run('busctl', [...NM, 'GetDeviceByIpIface', 's', iface]);
    if (d.exitCode !== 0) return undefined;
    const path = (JSON.parse(d.stdout) as { data: [string] }).data[0];
    const a = await this.t.run('busctl', [...NM_BUS, path, 'org.freedesktop.NetworkManager.Device', 'GetAppliedConnection', 'u', '0']);
    return a.exitCode === 0 ? appliedMethodOf(a.stdout, family) : undefined;
  }

  async checkpoint(before: NetConfig, _desired: NetConfig, timeoutS: number): Promise<Checkpoint> {
    const [files, r] = await Promise.all([
      saveFiles(this.t, [HOSTNAME_FILE, RESOLV_FILE, NM_DNS_CONF]),
      this.t.ok('busctl', [...NM, 'CheckpointCreate', 'aouu', '0', String(Math.max(1, Math.round(timeoutS))), String(CHECKPOINT_FLAGS)]),
    ]);
    const path = (JSON.parse(r.stdout) as { data: string[] }).data[0];
    if (!path) throw new Error(`NetworkManager returned no checkpoint: ${r.stdout}`);
    return { nmPath: path, before, files };
  }

  async realise(current: NetConfig, desired: NetConfig, onStep?: (text: string) => void): Promise<void> {
    const { added, removed, changed } = changedInterfaces(current, desired);
    const own = new Set((await this.t.list(NM_KEYFILE_DIR)).filter((f) => f.startsWith(HOSTDECK_PREFIX) && f.endsWith('.nmconnection')).map((f) => `${NM_KEYFILE_DIR}/${f}`));
    const unconfigured = (i: IfaceConfig) => i.kind === 'ethernet' && !i.master && i.ipv4.method === 'none' && i.ipv6.method === 'none' && !i.routes.length && (i.mtu === undefined || i.mtu === 1500);
    const drop: string[] = [];
    const writes: [string, string][] = [];
    for (const n of removed) {
      if (own.has(keyfilePath(n))) { onStep?.(`remove ${profileName(n)}`); drop.push(keyfilePath(n)); }
    }
    const touched: string[] = [];
    for (const n of [...added, ...changed]) {
      const i = findIface(desired, n)!;
      // A NIC released from a bond or bridge with nothing on it just loses its profile.
      if (unconfigured(i) && own.has(keyfilePath(n))) { onStep?.(`remove ${profileName(n)}`); drop.push(keyfilePath(n)); continue; }
      onStep?.(`profile ${profileName(n)}`);
      writes.push([keyfilePath(n), keyfileText(i, desired)]);
      touched.push(n);
    }
    // Software devices made elsewhere (no hostdeck profile) go as devices.
    const strays = removed.filter((n) => !own.has(keyfilePath(n)) && findIface(current, n) && findIface(current, n)!.kind !== 'ethernet');
    // A VLAN's parent NIC that was set down (behind NetworkManager's back) goes up, or the VLAN cannot.
    const parents = [...new Set(touched.map((n) => findIface(desired, n)!.vlan?.parent).filter((p): p is string => Boolean(p) && !touched.includes(p!) && findIface(current, p!)?.kind === 'ethernet'))];
    await Promise.all([
      ...parents.map((p) => this.t.run('ip', ['link', 'set', 'dev', p, 'up'])),
      this.t.writePrivateFiles(writes),
      ...(drop.length ? [this.t.ok('rm', ['-f', '--', ...drop])] : []),
      ...strays.map((n) => this.t.run('ip', ['link', 'delete', 'dev', n])),
    ]);
    const files = [...writes.map(([p]) => p), ...drop];
    if (files.length) {
      onStep?.('load profiles');
      // One call: new and changed files are (re)read, removed ones drop their profile (and its software device).
      const r = await this.t.ok('busctl', [...NM_SETTINGS, 'LoadConnections', 'as', String(files.length), ...files], { timeoutMs: 60_000 });
      const [, failures] = (JSON.parse(r.stdout) as { data: [boolean, string[]] }).data;
      if (failures.length) throw new Error(`NetworkManager did not load ${failures.join(', ')}`);
    }
    // Activate what is not a port of something activated with it (autoconnect-slaves brings the ports).
    // A new software device (bond, VLAN, bridge not there yet) needs no call: NetworkManager creates and
    // autoconnects it as soon as its profile is loaded. Devices that exist are activated explicitly
    // (another profile may be active on them, or theirs changed).
    const masters = new Set(touched.filter((n) => ['bond', 'bridge'].includes(findIface(desired, n)!.kind)));
    const top = (n: string): boolean => { const m = findIface(desired, n)?.master; return !m || !masters.has(m); };
    const tops = dependencyOrder(desired, touched.filter(top));
    const isNewSoftware = (n: string) => !findIface(current, n) && findIface(desired, n)!.kind !== 'ethernet';
    this.autoconnecting = tops.filter(isNewSoftware);
    const explicit = tops.filter((n) => !isNewSoftware(n));
    if (explicit.length) onStep?.(`activate ${explicit.map(profileName).join(', ')}`);
    if (this.autoconnecting.length) onStep?.(`autoconnect ${this.autoconnecting.map(profileName).join(', ')}`);
    await Promise.all(explicit.map((n) => this.activate(n)));
    const hostnameChanged = Boolean(desired.hostname) && desired.hostname !== current.hostname;
    const dnsChanged = JSON.stringify(desired.dns) !== JSON.stringify(current.dns);
    if (hostnameChanged) {
      onStep?.(`host name ${desired.hostname}`);
      // SaveHostname: the static host name (NetworkManager hands it to hostnamed or writes /etc/hostname).
      await this.t.run('busctl', [...NM_SETTINGS, 'SaveHostname', 's', desired.hostname]);
    }
    if (dnsChanged) {
      onStep?.('DNS');
      await this.t.writeFile(NM_DNS_CONF, dnsConfText(desired.dns));
      await this.t.ok('busctl', [...NM, 'Reload', 'u', String(RELOAD_CONF_DNS)]);
    }
    // NetworkManager may not write resolv.conf where it does not manage it; the host name likewise.
    if (hostnameChanged || dnsChanged) {
      const [hostname, resolv] = await Promise.all([this.t.readFile('/proc/sys/kernel/hostname'), this.t.readFile(RESOLV_FILE)]);
      const now = { ...current, hostname: (hostname ?? '').trim(), dns: parseResolvText(resolv ?? '') };
      await setHostnameAndDns(this.t, now, desired);
    }
  }

  /** New software devices left to NetworkManager's autoconnect by the last realise(). */
  private autoconnecting: string[] = [];

  private async activate(n: string): Promise<void> {
    const c = await this.t.ok('busctl', [...NM_SETTINGS, 'GetConnectionByUuid', 's', profileUuid(n)]);
    const path = (JSON.parse(c.stdout) as { data: [string] }).data[0];
    const a = await this.t.run('busctl', [...NM, 'ActivateConnection', 'ooo', path, '/', '/'], { timeoutMs: 60_000 });
    if (a.exitCode !== 0) throw new Error(`NetworkManager cannot activate ${profileName(n)}: ${a.stderr.trim() || a.stdout.trim()}`);
  }

  /**
   * Verification is still waiting: what was left to autoconnect and has no device yet is activated
   * explicitly (once). A device that exists is being activated already; a second request would restart it.
   */
  async nudge(got: NetConfig): Promise<void> {
    const list = this.autoconnecting.filter((n) => !findIface(got, n));
    this.autoconnecting = [];
    await Promise.all(list.map((n) => this.activate(n).catch(() => undefined)));
  }

  async rollback(cp: Checkpoint): Promise<void> {
    if (cp.nmPath) {
      const r = await this.t.run('busctl', [...NM, 'CheckpointRollback', 'o', cp.nmPath], { timeoutMs: 60_000 });
      // Gone already: NetworkManager rolled back by itself at the checkpoint's timeout.
      if (r.exitCode !== 0 && !/not exist|not found|Unknown|No such/i.test(r.stderr)) throw new Error(`NetworkManager checkpoint rollback failed: ${r.stderr.trim()}`);
    }
    await restoreFiles(this.t, cp.files);
    if (cp.files[NM_DNS_CONF] !== undefined) await this.t.run('busctl', [...NM, 'Reload', 'u', String(RELOAD_CONF_DNS)]);
    if (cp.before.hostname) await this.t.run('hostname', ['--', cp.before.hostname]);
    const resolv = cp.files[RESOLV_FILE];
    if (typeof resolv === 'string') await this.t.writeFile(RESOLV_FILE, resolv);
  }

  async adjust(cp: Checkpoint, timeoutS: number): Promise<void> {
    if (cp.nmPath) await this.t.ok('busctl', [...NM, 'CheckpointAdjustRollbackTimeout', 'ou', cp.nmPath, String(Math.max(1, Math.round(timeoutS)))]);
  }

  async commit(cp: Checkpoint): Promise<void> {
    if (!cp.nmPath) return;
    const r = await this.t.run('busctl', [...NM, 'CheckpointDestroy', 'o', cp.nmPath]);
    if (r.exitCode !== 0 && !/not exist|not found|Unknown|No such/i.test(r.stderr)) throw new Error(`NetworkManager checkpoint destroy failed: ${r.stderr.trim()}`);
  }
}
