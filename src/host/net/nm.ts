// The NetworkManager backend: one keyfile profile per interface hostdeck
// configures, named hostdeck-<interface>, added with nmcli (argument arrays)
// and activated with autoconnect-slaves so a bond or bridge brings its ports.
// Checkpoints go through NetworkManager's D-Bus API with busctl:
// CheckpointCreate with a rollback timeout (NetworkManager rolls back by
// itself even when hostdeck is gone), CheckpointRollback, CheckpointDestroy.
import { changedInterfaces } from '../../domain/net/diff.ts';
import { findIface, type IfaceConfig, type IpConfig, type NetConfig } from '../../domain/net/model.ts';
import {
  HOSTDECK_PREFIX, HOSTNAME_FILE, RESOLV_FILE, dependencyOrder, restoreFiles, saveFiles, setHostnameAndDns,
  type Checkpoint, type NetBackend,
} from './backend.ts';
import { readKernelState } from './read.ts';
import type { Target } from './target.ts';

const NM = ['--system', '--json=short', 'call', 'org.freedesktop.NetworkManager', '/org/freedesktop/NetworkManager', 'org.freedesktop.NetworkManager'];
/** NM_CHECKPOINT_CREATE_FLAG_DELETE_NEW_CONNECTIONS | DISCONNECT_NEW_DEVICES. */
const CHECKPOINT_FLAGS = 0x02 | 0x04;
export const NM_DNS_CONF = '/etc/NetworkManager/conf.d/90-hostdeck-dns.conf';

export const profileName = (iface: string) => `${HOSTDECK_PREFIX}${iface}`;

function ipArgs(family: 4 | 6, ip: IpConfig): string[] {
  const p = `ipv${family}`;
  switch (ip.method) {
    case 'static': return [`${p}.method`, 'manual', `${p}.addresses`, ip.addresses.join(','), `${p}.gateway`, ip.gateway ?? ''];
    case 'dhcp': return [`${p}.method`, family === 4 ? 'auto' : 'dhcp', `${p}.addresses`, '', `${p}.gateway`, ''];
    case 'auto': return [`${p}.method`, 'auto', `${p}.addresses`, '', `${p}.gateway`, ''];
    default: return [`${p}.method`, 'disabled', `${p}.addresses`, '', `${p}.gateway`, ''];
  }
}

export function bondOptionsText(i: IfaceConfig): string {
  const b = i.bond!;
  const parts = [`mode=${b.mode}`];
  const put = (k: string, v: unknown) => { if (v !== undefined && !(Array.isArray(v) && !v.length)) parts.push(`${k}=${Array.isArray(v) ? v.join(' ') : String(v)}`); };
  put('miimon', b.miimon); put('updelay', b.updelay); put('downdelay', b.downdelay);
  put('arp_interval', b.arp_interval); put('arp_ip_target', b.arp_ip_target); put('primary', b.primary);
  put('lacp_rate', b.lacp_rate); put('xmit_hash_policy', b.xmit_hash_policy); put('ad_select', b.ad_select);
  return parts.join(',');
}

/** `nmcli connection add` arguments for one interface (every value a single argument). */
export function profileArgs(i: IfaceConfig, cfg: NetConfig): string[] {
  const args = ['connection', 'add', 'save', 'yes', 'con-name', profileName(i.name), 'ifname', i.name];
  switch (i.kind) {
    case 'ethernet': args.push('type', 'ethernet'); break;
    case 'bond': args.push('type', 'bond', 'bond.options', bondOptionsText(i)); break;
    case 'vlan': args.push('type', 'vlan', 'vlan.parent', i.vlan!.parent, 'vlan.id', String(i.vlan!.id)); break;
    case 'bridge': args.push('type', 'bridge', 'bridge.stp', i.bridge?.stp ? 'yes' : 'no', 'bridge.forward-delay', '2'); break;
  }
  args.push('connection.autoconnect', 'yes', 'connection.autoconnect-priority', '50');
  if (i.kind === 'bond' || i.kind === 'bridge') args.push('connection.autoconnect-slaves', 'yes');
  if (i.master) {
    const m = findIface(cfg, i.master);
    args.push('connection.master', i.master, 'connection.slave-type', m?.kind === 'bridge' ? 'bridge' : 'bond');
  } else {
    args.push(...ipArgs(4, i.ipv4), ...ipArgs(6, i.ipv6));
    const r4 = i.routes.filter((r) => !r.to.includes(':'));
    const r6 = i.routes.filter((r) => r.to.includes(':'));
    if (r4.length) args.push('ipv4.routes', r4.map((r) => [r.to, r.via, r.metric].filter((x) => x !== undefined).join(' ')).join(','));
    if (r6.length) args.push('ipv6.routes', r6.map((r) => [r.to, r.via, r.metric].filter((x) => x !== undefined).join(' ')).join(','));
  }
  if (i.mtu !== undefined && (i.kind === 'ethernet' || i.kind === 'bond')) args.push('802-3-ethernet.mtu', String(i.mtu));
  return args;
}

export function dnsConfText(dns: NetConfig['dns']): string {
  return ['# Written by hostdeck: the host\'s DNS servers and search domains.', '[global-dns]', `searches=${dns.search.join(',')}`,
    '[global-dns-domain-*]', `servers=${dns.servers.join(',')}`, ''].join('\n');
}

export class NetworkManagerBackend implements NetBackend {
  readonly name = 'networkmanager' as const;
  constructor(private readonly t: Target) {}

  read(): Promise<NetConfig> {
    return readKernelState(this.t);
  }

  private async profiles(): Promise<Map<string, string>> {
    const r = await this.t.ok('nmcli', ['-t', '-f', 'NAME,DEVICE', 'connection', 'show']);
    const m = new Map<string, string>();
    for (const line of r.stdout.split('\n').filter(Boolean)) {
      const [name, device] = line.split(/(?<!\\):/).map((s) => s.replace(/\\:/g, ':'));
      if (name) m.set(name, device ?? '');
    }
    return m;
  }

  async checkpoint(before: NetConfig, _desired: NetConfig, timeoutS: number): Promise<Checkpoint> {
    const files = await saveFiles(this.t, [HOSTNAME_FILE, RESOLV_FILE, NM_DNS_CONF]);
    const r = await this.t.ok('busctl', [...NM, 'CheckpointCreate', 'aouu', '0', String(Math.max(1, Math.round(timeoutS))), String(CHECKPOINT_FLAGS)]);
    const path = (JSON.parse(r.stdout) as { data: string[] }).data[0];
    if (!path) throw new Error(`NetworkManager returned no checkpoint: ${r.stdout}`);
    return { nmPath: path, before, files };
  }

  async realise(current: NetConfig, desired: NetConfig, onStep?: (text: string) => void): Promise<void> {
    const { added, removed, changed } = changedInterfaces(current, desired);
    const profiles = await this.profiles();
    for (const n of removed) {
      onStep?.(`remove ${n}`);
      const cur = findIface(current, n);
      // Deleting the profile takes NetworkManager's software device with it; one made elsewhere is deleted as a device.
      if (profiles.has(profileName(n))) await this.t.ok('nmcli', ['--wait', '60', 'connection', 'delete', profileName(n)], { timeoutMs: 70_000 });
      else if (cur && cur.kind !== 'ethernet') await this.t.run('nmcli', ['device', 'delete', n]);
    }
    const unconfigured = (i: IfaceConfig) => i.kind === 'ethernet' && !i.master && i.ipv4.method === 'none' && i.ipv6.method === 'none' && !i.routes.length;
    const touched: string[] = [];
    for (const n of [...added, ...changed]) {
      const i = findIface(desired, n)!;
      if (profiles.has(profileName(n))) await this.t.ok('nmcli', ['--wait', '60', 'connection', 'delete', profileName(n)], { timeoutMs: 70_000 });
      // A NIC released from a bond or bridge with nothing on it just loses its profile.
      if (unconfigured(i) && profiles.has(profileName(n))) continue;
      onStep?.(`profile ${profileName(n)}`);
      await this.t.ok('nmcli', profileArgs(i, desired));
      touched.push(n);
    }
    // Activate what is not a port of something activated with it (autoconnect-slaves brings the ports).
    const masters = new Set(touched.filter((n) => ['bond', 'bridge'].includes(findIface(desired, n)!.kind)));
    const top = (n: string): boolean => { const m = findIface(desired, n)?.master; return !m || !masters.has(m); };
    for (const n of dependencyOrder(desired, touched.filter(top))) {
      onStep?.(`activate ${profileName(n)}`);
      await this.t.ok('nmcli', ['--wait', '60', 'connection', 'up', profileName(n)], { timeoutMs: 70_000 });
    }
    if (desired.hostname && desired.hostname !== current.hostname) {
      onStep?.(`host name ${desired.hostname}`);
      await this.t.run('nmcli', ['general', 'hostname', desired.hostname]);
    }
    if (JSON.stringify(desired.dns) !== JSON.stringify(current.dns)) {
      onStep?.('DNS');
      await this.t.writeFile(NM_DNS_CONF, dnsConfText(desired.dns));
      await this.t.ok('nmcli', ['general', 'reload', 'conf,dns-rc']);
    }
    // NetworkManager may not write resolv.conf where it does not manage it; the host name file likewise.
    if (desired.hostname !== current.hostname || JSON.stringify(desired.dns) !== JSON.stringify(current.dns)) {
      await setHostnameAndDns(this.t, await readKernelState(this.t), desired);
    }
  }

  async rollback(cp: Checkpoint): Promise<void> {
    if (cp.nmPath) {
      const r = await this.t.run('busctl', [...NM, 'CheckpointRollback', 'o', cp.nmPath], { timeoutMs: 60_000 });
      // Gone already: NetworkManager rolled back by itself at the checkpoint's timeout.
      if (r.exitCode !== 0 && !/not exist|not found|Unknown|No such/i.test(r.stderr)) throw new Error(`NetworkManager checkpoint rollback failed: ${r.stderr.trim()}`);
    }
    await restoreFiles(this.t, cp.files);
    if (cp.files[NM_DNS_CONF] !== undefined) await this.t.run('nmcli', ['general', 'reload', 'conf,dns-rc']);
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
