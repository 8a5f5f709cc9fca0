// The iproute2 backend, for hosts without NetworkManager: runtime changes
// with `ip` (bond options through `ip link ... type bond ...`), DHCP with
// dhclient, persisted as systemd-networkd .netdev/.network files named
// 50-hostdeck-<interface>.* under /etc/systemd/network. Its checkpoint is a
// saved snapshot (the configuration before and the files it may write); a
// rollback makes the snapshot the desired state again.
import { changedInterfaces } from '../../domain/net/diff.ts';
import { findIface, type IfaceConfig, type NetConfig } from '../../domain/net/model.ts';
import { HOSTNAME_FILE, RESOLV_FILE, restoreFiles, saveFiles, setHostnameAndDns, type Checkpoint, type NetBackend } from './backend.ts';
import { readKernelState, type ReadParts } from './read.ts';
import type { Target } from './target.ts';

export const NETWORKD_DIR = '/etc/systemd/network';
export const RESOLVED_CONF = '/etc/systemd/resolved.conf.d/hostdeck.conf';
const fileBase = (n: string) => `${NETWORKD_DIR}/50-hostdeck-${n}`;
const DHCP_RUN = '/run/hostdeck';
/** dhclient's pid and lease files: dhclient-<if>.* for IPv4 (as before), dhclient6-<if>.* for DHCPv6. */
const dhclientFile = (n: string, family: 4 | 6, what: 'pid' | 'leases') => `${DHCP_RUN}/dhclient${family === 6 ? '6' : ''}-${n}.${what}`;

/** `ip link add/set ... type bond` option words for the bond's options. */
export function bondIpArgs(i: IfaceConfig): string[] {
  const b = i.bond!;
  const a = ['mode', b.mode];
  const put = (k: string, v: number | string | undefined) => { if (v !== undefined) a.push(k, String(v)); };
  put('miimon', b.miimon); put('updelay', b.updelay); put('downdelay', b.downdelay); put('arp_interval', b.arp_interval);
  if (b.arp_ip_target?.length) a.push('arp_ip_target', b.arp_ip_target.join(','));
  put('lacp_rate', b.lacp_rate); put('xmit_hash_policy', b.xmit_hash_policy); put('ad_select', b.ad_select);
  return a;
}

const networkdMode: Record<string, string> = { 'balance-rr': 'balance-rr', 'active-backup': 'active-backup', 'balance-xor': 'balance-xor', broadcast: 'broadcast', '802.3ad': '802.3ad', 'balance-tlb': 'balance-tlb', 'balance-alb': 'balance-alb' };

/** The systemd-networkd files that persist one interface (path -> text). */
export function networkdFiles(i: IfaceConfig, cfg: NetConfig): Record<string, string> {
  const out: Record<string, string> = {};
  const head = '# Written by hostdeck; changes are overwritten by the next apply.';
  if (i.kind !== 'ethernet') {
    const nd = [head, '[NetDev]', `Name=${i.name}`, `Kind=${i.kind}`];
    if (i.mtu) nd.push(`MTUBytes=${i.mtu}`);
    if (i.kind === 'bond' && i.bond) {
      const b = i.bond;
      nd.push('[Bond]', `Mode=${networkdMode[b.mode]}`);
      if (b.miimon !== undefined) nd.push(`MIIMonitorSec=${b.miimon}ms`);
      if (b.updelay !== undefined) nd.push(`UpDelaySec=${b.updelay}ms`);
      if (b.downdelay !== undefined) nd.push(`DownDelaySec=${b.downdelay}ms`);
      if (b.arp_interval !== undefined) nd.push(`ARPIntervalSec=${b.arp_interval}ms`);
      if (b.arp_ip_target?.length) nd.push(`ARPIPTargets=${b.arp_ip_target.join(' ')}`);
      if (b.lacp_rate) nd.push(`LACPTransmitRate=${b.lacp_rate}`);
      if (b.xmit_hash_policy) nd.push(`TransmitHashPolicy=${b.xmit_hash_policy}`);
      if (b.ad_select) nd.push(`AdSelect=${b.ad_select}`);
    }
    if (i.kind === 'vlan' && i.vlan) nd.push('[VLAN]', `Id=${i.vlan.id}`);
    if (i.kind === 'bridge') nd.push('[Bridge]', `STP=${i.bridge?.stp ? 'yes' : 'no'}`);
    out[`${fileBase(i.name)}.netdev`] = `${nd.join('\n')}\n`;
  }
  const nw = [head, '[Match]', `Name=${i.name}`];
  if (i.kind === 'ethernet' && i.mtu) nw.push('[Link]', `MTUBytes=${i.mtu}`);
  nw.push('[Network]');
  if (i.master) {
    const m = findIface(cfg, i.master);
    nw.push(`${m?.kind === 'bridge' ? 'Bridge' : 'Bond'}=${i.master}`);
    if (m?.bond?.primary === i.name) nw.push('PrimarySlave=yes');
  } else {
    const dhcp4 = i.ipv4.method === 'dhcp'; const dhcp6 = i.ipv6.method === 'dhcp';
    nw.push(`DHCP=${dhcp4 && dhcp6 ? 'yes' : dhcp4 ? 'ipv4' : dhcp6 ? 'ipv6' : 'no'}`);
    // DHCPv6 takes the router and the on-link prefix from router advertisements (it carries no routes),
    // like SLAAC; its addresses come from the lease alone (below: no autonomous prefixes, solicit even
    // when no router sets the managed flag), as the runtime apply does (accept_ra on, autoconf off, dhclient -6).
    nw.push(`IPv6AcceptRA=${i.ipv6.method === 'auto' || dhcp6 ? 'yes' : 'no'}`);
    if (i.ipv6.method === 'none') nw.push('LinkLocalAddressing=no');
    for (const ip of [i.ipv4, i.ipv6]) {
      if (ip.method !== 'static') continue;
      for (const a of ip.addresses) nw.push(`Address=${a}`);
      if (ip.gateway) nw.push(`Gateway=${ip.gateway}`);
    }
    for (const v of cfg.interfaces.filter((x) => x.vlan?.parent === i.name)) nw.push(`VLAN=${v.name}`);
    for (const r of i.routes) nw.push('[Route]', `Destination=${r.to}`, ...(r.via ? [`Gateway=${r.via}`] : []), ...(r.metric !== undefined ? [`Metric=${r.metric}`] : []));
    if (dhcp6) nw.push('[IPv6AcceptRA]', 'UseAutonomousPrefix=no', '[DHCPv6]', 'WithoutRA=solicit');
  }
  out[`${fileBase(i.name)}.network`] = `${nw.join('\n')}\n`;
  return out;
}

/** Whether an interface needs persisted files at all (virtual, a port, or configured). */
const persisted = (i: IfaceConfig, cfg: NetConfig): boolean =>
  i.kind !== 'ethernet' || Boolean(i.master) || i.ipv4.method !== 'none' || i.ipv6.method !== 'none' || i.routes.length > 0 || i.mtu !== undefined && i.mtu !== 1500
  // A NIC that carries VLANs: its .network names them (and brings it up at boot).
  || cfg.interfaces.some((x) => x.vlan?.parent === i.name);

export function resolvedConfText(dns: NetConfig['dns']): string {
  return ['# Written by hostdeck', '[Resolve]', `DNS=${dns.servers.join(' ')}`, `Domains=${dns.search.join(' ')}`, ''].join('\n');
}

export class Iproute2Backend implements NetBackend {
  readonly name = 'iproute2' as const;
  constructor(private readonly t: Target) {}

  read(parts?: ReadParts): Promise<NetConfig> {
    return readKernelState(this.t, parts);
  }

  private async ownFiles(): Promise<string[]> {
    return (await this.t.list(NETWORKD_DIR)).filter((f) => /^50-hostdeck-.*\.(netdev|network)$/.test(f)).map((f) => `${NETWORKD_DIR}/${f}`);
  }

  async checkpoint(before: NetConfig, desired: NetConfig): Promise<Checkpoint> {
    const own = await this.ownFiles();
    const paths = new Set([HOSTNAME_FILE, RESOLV_FILE, RESOLVED_CONF, ...own]);
    for (const cfg of [before, desired]) for (const i of cfg.interfaces.filter((i) => persisted(i, cfg))) for (const p of Object.keys(networkdFiles(i, cfg))) paths.add(p);
    // hostdeck's networkd files that are not there need no reading.
    const files: Record<string, string | null> = {};
    const read = [...paths].filter((p) => !p.startsWith(`${NETWORKD_DIR}/`) || own.includes(p));
    for (const p of paths) if (!read.includes(p)) files[p] = null;
    Object.assign(files, await saveFiles(this.t, read));
    this.known = new Map(Object.entries(files));
    return { before, files };
  }

  /** File contents as last read or written during this apply (saves a read per file). */
  private known = new Map<string, string | null>();

  /** Stops the DHCP client of one family on an interface (IPv4 by default; both with `all`), if hostdeck started one. */
  private async stopDhcp(n: string, family: 4 | 6 | 'all' = 4): Promise<void> {
    if (family === 'all') { await Promise.all([this.stopDhcp(n, 4), this.stopDhcp(n, 6)]); return; }
    const pid = dhclientFile(n, family, 'pid');
    if ((await this.t.readFile(pid)) !== undefined) {
      await this.t.run('dhclient', [`-${family}`, '-x', '-pf', pid, n], { timeoutMs: 20_000 });
      await this.t.remove(pid);
    }
  }

  /** Waits (up to 5 s) until the interface has a link-local address that is no longer tentative. */
  private async linkLocalReady(n: string): Promise<void> {
    const until = Date.now() + 5_000;
    for (;;) {
      const r = await this.t.run('ip', ['-6', '-j', 'addr', 'show', 'dev', n, 'scope', 'link']);
      const addrs = r.exitCode === 0 ? ((JSON.parse(r.stdout || '[]') as { addr_info?: { tentative?: boolean }[] }[])[0]?.addr_info ?? []) : [];
      if (addrs.some((a) => !a.tentative) || Date.now() > until) return;
      await new Promise((res) => setTimeout(res, 200));
    }
  }

  /** Starts dhclient for one family and waits for its first lease (exit 2 when none comes within its timeout). */
  private async startDhcp(n: string, family: 4 | 6): Promise<void> {
    await this.t.ok('mkdir', ['-p', '--', DHCP_RUN]);
    // dhclient -6 sends from the link-local address and gives up while it is tentative (duplicate address
    // detection runs for about a second after IPv6 restarts on the link).
    if (family === 6) await this.linkLocalReady(n);
    const r = await this.t.run('dhclient', ['-1', `-${family}`, '-pf', dhclientFile(n, family, 'pid'), '-lf', dhclientFile(n, family, 'leases'), n], { timeoutMs: 90_000 });
    if (r.exitCode !== 0 || r.timedOut) {
      throw new Error(`no ${family === 6 ? 'DHCPv6' : 'DHCP'} lease on ${n}${r.timedOut ? ' within 90 s' : ''}: ${(r.stderr.trim().split('\n').slice(-3).join('; ') || `dhclient exited ${r.exitCode}`)}`);
    }
  }

  async realise(current: NetConfig, desired: NetConfig, onStep?: (text: string) => void): Promise<void> {
    const { added, removed, changed } = changedInterfaces(current, desired);
    const ip = (args: string[]) => this.t.ok('ip', args);
    for (const n of removed) {
      const i = findIface(current, n)!;
      onStep?.(`remove ${n}`);
      await this.stopDhcp(n, 'all');
      if (i.kind !== 'ethernet') await this.t.run('ip', ['link', 'del', 'dev', n]);
    }
    const touched = [...added, ...changed];
    const want = (n: string) => findIface(desired, n)!;
    const had = (n: string) => findIface(current, n);
    // 1. Masters and VLANs exist with the right options.
    for (const n of touched.filter((x) => want(x).kind === 'bond')) {
      const i = want(n); const h = had(n);
      onStep?.(`bond ${n}`);
      if (!h) { await ip(['link', 'add', 'name', n, 'type', 'bond', ...bondIpArgs(i)]); continue; }
      if (JSON.stringify(h.bond) === JSON.stringify(i.bond)) continue;
      // Options change with the bond down and without ports.
      await ip(['link', 'set', 'dev', n, 'down']);
      for (const p of current.interfaces.filter((x) => x.master === n)) await ip(['link', 'set', 'dev', p.name, 'nomaster']);
      await this.t.run('ip', ['link', 'set', 'dev', n, 'type', 'bond', 'primary', '']);
      await ip(['link', 'set', 'dev', n, 'type', 'bond', ...bondIpArgs(i)]);
    }
    for (const n of touched.filter((x) => want(x).kind === 'bridge')) {
      const i = want(n);
      onStep?.(`bridge ${n}`);
      if (!had(n)) await ip(['link', 'add', 'name', n, 'type', 'bridge', 'stp_state', i.bridge?.stp ? '1' : '0', 'forward_delay', '200']);
      else await ip(['link', 'set', 'dev', n, 'type', 'bridge', 'stp_state', i.bridge?.stp ? '1' : '0']);
    }
    for (const n of touched.filter((x) => want(x).kind === 'vlan' && !had(x))) {
      const i = want(n);
      onStep?.(`VLAN ${n}`);
      await ip(['link', 'add', 'link', i.vlan!.parent, 'name', n, 'type', 'vlan', 'id', String(i.vlan!.id)]);
    }
    // 2. Ports join or leave their masters (a bond port must be down to join); one `ip -batch` for all.
    const moving = touched.filter((n) => {
      const i = want(n); const h = had(n);
      return !((h?.master ?? '') === (i.master ?? '') && !(i.master && want(i.master).kind === 'bond' && !h));
    });
    await Promise.all(moving.filter((n) => had(n) && want(n).master).map((n) => this.stopDhcp(n, 'all')));
    const joins: string[][] = [];
    for (const n of moving) {
      const i = want(n); const h = had(n);
      if (h?.master) joins.push(['link', 'set', 'dev', n, 'nomaster']);
      if (i.master) {
        onStep?.(`${n} joins ${i.master}`);
        if (h) joins.push(['addr', 'flush', 'dev', n]);
        if (want(i.master).kind === 'bond') joins.push(['link', 'set', 'dev', n, 'down']);
        joins.push(['link', 'set', 'dev', n, 'master', i.master]);
      }
    }
    await this.ipBatch(joins);
    // Bond ports that stayed while the bond's options changed join again.
    for (const n of touched.filter((x) => want(x).kind === 'bond' && had(x))) {
      for (const p of desired.interfaces.filter((x) => x.master === n)) {
        await this.t.run('ip', ['link', 'set', 'dev', p.name, 'down']);
        const r = await this.t.run('ip', ['link', 'set', 'dev', p.name, 'master', n]);
        if (r.exitCode !== 0 && !/already|File exists|busy/i.test(r.stderr)) throw new Error(`${p.name} cannot join ${n}: ${r.stderr.trim()}`);
      }
      const primary = want(n).bond?.primary;
      if (primary) await ip(['link', 'set', 'dev', n, 'type', 'bond', 'primary', primary]);
    }
    for (const n of touched.filter((x) => want(x).kind === 'bond' && !had(x))) {
      const primary = want(n).bond?.primary;
      if (primary) await ip(['link', 'set', 'dev', n, 'type', 'bond', 'primary', primary]);
    }
    // 3. Everything touched is up, with its MTU. A VLAN cannot go up on a parent that is down
    // ("Network is down"): its parent goes up first, as NetworkManager does.
    const order = [...touched].sort((a, b) => rank(want(a)) - rank(want(b)));
    const parents = new Set(order.map((n) => want(n).vlan?.parent).filter((p): p is string => Boolean(p) && !touched.includes(p!)));
    const ups: string[][] = [...parents].map((p) => ['link', 'set', 'dev', p, 'up']);
    for (const n of order) {
      const i = want(n);
      // A bond's ports take the bond's MTU from the kernel when the bond's is set (after them, by rank).
      const bondPort = Boolean(i.master) && want(i.master!).kind === 'bond';
      if (i.mtu !== undefined && i.mtu !== had(n)?.mtu && !bondPort) ups.push(['link', 'set', 'dev', n, 'mtu', String(i.mtu)]);
      ups.push(['link', 'set', 'dev', n, 'up']);
    }
    await this.ipBatch(ups);
    // 4. Addresses, gateways and routes of what is not a port.
    for (const n of order) {
      const i = want(n); const h = had(n);
      if (i.master) continue;
      if (h && JSON.stringify([h.ipv4, h.ipv6, h.routes]) === JSON.stringify([i.ipv4, i.ipv6, i.routes]) && !added.includes(n)) continue;
      onStep?.(`addresses of ${n}`);
      const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
      if (h?.ipv4.method === 'dhcp' && i.ipv4.method !== 'dhcp') await this.stopDhcp(n);
      if (!h || !same(h.ipv4, i.ipv4)) {
        if (i.ipv4.method !== 'dhcp') {
          if (h?.ipv4.gateway && h.ipv4.gateway !== i.ipv4.gateway) await this.t.run('ip', ['-4', 'route', 'del', 'default', 'dev', n]);
          // Addresses that stay are left alone (no blip for sessions using them).
          const keepV4 = new Set(i.ipv4.addresses);
          const hadV4 = h?.ipv4.method === 'static' ? h.ipv4.addresses : [];
          if (h?.ipv4.method === 'dhcp' || !h) await this.t.run('ip', ['-4', 'addr', 'flush', 'dev', n, 'scope', 'global']);
          for (const a of hadV4) if (!keepV4.has(a)) await this.t.run('ip', ['addr', 'del', a, 'dev', n]);
          for (const a of i.ipv4.addresses) if (!hadV4.includes(a)) await ip(['addr', 'add', a, 'dev', n]);
          if (i.ipv4.gateway) await ip(['-4', 'route', 'replace', 'default', 'via', i.ipv4.gateway, 'dev', n, 'proto', 'static']);
        }
      }
      if (!h || !same(h.ipv6, i.ipv6)) {
        // A DHCPv6 client hostdeck started goes first (its lease would come back after the flush).
        await this.stopDhcp(n, 6);
        await ip(['-6', 'addr', 'flush', 'dev', n, 'scope', 'global']);
        // SLAAC and DHCPv6 both take the router and the on-link prefix from router advertisements
        // (DHCPv6 carries no routes); with DHCPv6 the addresses come from the lease alone (autoconf off).
        const ra = i.ipv6.method === 'auto' || i.ipv6.method === 'dhcp';
        await this.t.run('sysctl', ['-q', '-w', `net.ipv6.conf.${n}.accept_ra=${ra ? 1 : 0}`, ...(ra ? [`net.ipv6.conf.${n}.autoconf=${i.ipv6.method === 'auto' ? 1 : 0}`] : [])]);
        if (ra && h?.ipv6.method !== i.ipv6.method) {
          // Ask the routers now (a router solicitation) instead of waiting for their next advertisement:
          // IPv6 restarts on the link (its global addresses went with the flush above anyway).
          await this.t.run('sysctl', ['-q', '-w', `net.ipv6.conf.${n}.disable_ipv6=1`]);
          await this.t.run('sysctl', ['-q', '-w', `net.ipv6.conf.${n}.disable_ipv6=0`]);
        }
        if (i.ipv6.method === 'static') {
          for (const a of i.ipv6.addresses) await ip(['-6', 'addr', 'add', a, 'dev', n, 'nodad']);
          if (i.ipv6.gateway) await ip(['-6', 'route', 'replace', 'default', 'via', i.ipv6.gateway, 'dev', n, 'proto', 'static']);
        }
      }
      if (!h || !same(h.routes, i.routes)) {
        for (const r of h?.routes ?? []) if (!i.routes.some((x) => same(x, r))) await this.t.run('ip', ['route', 'del', r.to, 'dev', n]);
        for (const r of i.routes) await ip(['route', 'replace', r.to, ...(r.via ? ['via', r.via] : []), 'dev', n, 'proto', 'static', ...(r.metric !== undefined ? ['metric', String(r.metric)] : [])]);
      }
      if (i.ipv4.method === 'dhcp' && h?.ipv4.method !== 'dhcp') {
        onStep?.(`DHCP on ${n}`);
        await this.startDhcp(n, 4);
      }
      if (i.ipv6.method === 'dhcp' && (!h || !same(h.ipv6, i.ipv6))) {
        onStep?.(`DHCPv6 on ${n}`);
        await this.startDhcp(n, 6);
      }
    }
    // 5. Host name and DNS, then the persisted files.
    await setHostnameAndDns(this.t, current, desired);
    if (JSON.stringify(current.dns) !== JSON.stringify(desired.dns)) await this.t.writeFile(RESOLVED_CONF, resolvedConfText(desired.dns));
    onStep?.('persist systemd-networkd files');
    const keep = new Map<string, string>();
    for (const i of desired.interfaces.filter((i) => persisted(i, desired))) for (const [p, text] of Object.entries(networkdFiles(i, desired))) keep.set(p, text);
    const own = await this.ownFiles();
    const writes = [...keep].filter(([p, text]) => !(own.includes(p) && this.known.get(p) === text));
    if (writes.length) await this.t.ok('mkdir', ['-p', '--', NETWORKD_DIR]);
    await Promise.all(writes.map(([p, text]) => this.t.writeFile(p, text, { ensureDir: false })));
    const drop = own.filter((p) => !keep.has(p));
    if (drop.length) await this.t.ok('rm', ['-f', '--', ...drop]);
    for (const [p, text] of writes) this.known.set(p, text);
    for (const p of drop) this.known.set(p, null);
  }

  /**
   * Several `ip` commands in one program start (`ip -batch -`, commands on standard input), stopping at
   * the first that fails like one `ip` call each would. Every word was validated before; a word with
   * white space, a quote or '#' could still change the batch's lines, so it is refused outright.
   */
  private async ipBatch(lines: string[][]): Promise<void> {
    if (!lines.length) return;
    if (lines.length === 1) { await this.t.ok('ip', lines[0]!); return; }
    for (const w of lines.flat()) if (!/^[A-Za-z0-9_.:/+@-]+$/.test(w)) throw new Error(`refusing an ip batch word with white space, a quote or '#': ${JSON.stringify(w)}`);
    const r = await this.t.run('ip', ['-batch', '-'], { input: `${lines.map((l) => l.join(' ')).join('\n')}\n` });
    if (r.exitCode !== 0 || r.timedOut) {
      const at = /Command failed -:(\d+)/.exec(r.stderr)?.[1];
      const line = at ? lines[Number(at) - 1] : undefined;
      throw new Error(`ip ${line ? line.join(' ') : '-batch'} failed: ${r.stderr.replace(/Command failed -:\d+/, '').trim()}`);
    }
  }

  async rollback(cp: Checkpoint): Promise<void> {
    const now = await this.read();
    await this.realise(now, cp.before);
    await restoreFiles(this.t, cp.files);
  }

  async commit(): Promise<void> {
    // Nothing to drop: the snapshot lives in the pending state, which the service removes.
  }
}

function rank(i: IfaceConfig): number {
  return i.kind === 'ethernet' ? 0 : i.kind === 'bond' ? 1 : i.kind === 'vlan' ? 2 : 3;
}
