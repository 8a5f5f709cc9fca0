// The network service (issue #6) on real kernels in test hosts, the same
// suite once per backend: NetworkManager (nmcli + D-Bus checkpoints) and
// iproute2 with systemd-networkd files. The service runs on this machine
// against the test host through testHostRunner; the lockout, confirm and
// kill scenarios run the built hostdeck binary inside the host, as an
// operator logged in over SSH would.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Segment, TestHost, testHostRunner } from '../lib/testhost/index.ts';
import { mustProc, REPO_ROOT } from '../lib/testhost/proc.ts';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { NetValidationError } from '../../src/domain/net/validate.ts';
import type { NetworkUseCases } from '../../src/core/network.ts';
import { netUseCases } from '../lib/net-core.ts';
import type { BackendName } from '../../src/host/net/backend.ts';
import type { BondOptions, NetChange } from '../../src/domain/net/model.ts';
import type { RunOptions, RunResult } from '../../src/exec/runner.ts';

const NODE = process.execPath;
// A private copy of the built bundle (under the repository, so better-sqlite3 resolves), taken
// before the hosts boot: a rebuild of dist/ by someone else during the run cannot break it.
const DIST = `${REPO_ROOT}/.cache/net-test-dist-${process.pid}`;
const HOSTDECK = `${DIST}/hostdeck.mjs`;
cpSync(`${REPO_ROOT}/dist`, DIST, { recursive: true });
process.on('exit', () => rmSync(DIST, { recursive: true, force: true }));
const TARGET_DB = '/var/lib/hostdeck/hostdeck.db';

const MODE_TEXT: Record<BondOptions['mode'], string> = {
  'balance-rr': 'load balancing (round-robin)',
  'active-backup': 'fault-tolerance (active-backup)',
  'balance-xor': 'load balancing (xor)',
  broadcast: 'fault-tolerance (broadcast)',
  '802.3ad': 'IEEE 802.3ad Dynamic link aggregation',
  'balance-tlb': 'transmit load balancing',
  'balance-alb': 'adaptive load balancing',
};

/** Every mode with options it takes, each on its own bond over one NIC (eth1..eth7), all made in one apply. */
const MODES: { name: string; port: string; options: BondOptions }[] = [
  { name: 'bond_rr', port: 'eth1', options: { mode: 'balance-rr', miimon: 100, updelay: 200, downdelay: 200 } },
  { name: 'bond_ab', port: 'eth2', options: { mode: 'active-backup', miimon: 100, primary: 'eth2' } },
  { name: 'bond_xor', port: 'eth3', options: { mode: 'balance-xor', miimon: 100, xmit_hash_policy: 'layer2+3' } },
  { name: 'bond_lacp', port: 'eth4', options: { mode: '802.3ad', miimon: 100, lacp_rate: 'fast', xmit_hash_policy: 'layer3+4', ad_select: 'bandwidth' } },
  { name: 'bond_tlb', port: 'eth5', options: { mode: 'balance-tlb', miimon: 100, primary: 'eth5' } },
  { name: 'bond_alb', port: 'eth6', options: { mode: 'balance-alb', miimon: 50, primary: 'eth6' } },
  { name: 'bond_bc', port: 'eth7', options: { mode: 'broadcast', arp_interval: 200, arp_ip_target: ['192.168.81.1'] } },
];

interface IpLink { ifname: string; link?: string; master?: string; mtu?: number; flags?: string[]; linkinfo?: { info_kind?: string; info_data?: Record<string, unknown>; info_slave_kind?: string }; addr_info?: { family?: string; local: string; prefixlen: number; dynamic?: boolean; scope?: string }[] }

/** The options as `ip -d -j link` names them. */
const IP_KEY: Record<string, string> = { lacp_rate: 'ad_lacp_rate' };

/** The same suite for each backend; net-backends-*.test.ts run one each (two files, so the system tier runs them side by side). */
export function suite(backend: BackendName, subnet: number) {
  const PEER = `192.168.${subnet}.1`;
  const ADDR = `192.168.${subnet}.10`;
  describe(`network service on ${backend} in a test host`, { timeout: 1_200_000 }, () => {
    let seg: Segment | undefined;
    let host: TestHost | undefined;
    let svc: NetworkUseCases;
    let events: EventLog;
    const commands: string[][] = [];
    const keyDir = mkdtempSync(join(tmpdir(), 'hostdeck-netkey-'));
    const guard = <A extends unknown[]>(fn: (...a: A) => Promise<void>) => TestHost.keepLogsOnFailure(() => [host], fn);

    const links = async (): Promise<IpLink[]> => JSON.parse((await host!.mustRun(['ip', '-d', '-j', 'addr', 'show'])).stdout) as IpLink[];
    const link = async (n: string) => (await links()).find((l) => l.ifname === n);
    const stageAll = async (changes: NetChange[]) => { const cur = await svc.current(); for (const c of changes) await svc.stage(c, { current: cur }); };
    const applyYes = async (changes: NetChange[]) => {
      await svc.discard();
      await stageAll(changes);
      const r = await svc.apply({ confirmTimeoutS: 60, yes: true });
      assert.equal(r.status, 'confirmed', JSON.stringify(r));
      return r;
    };
    const ssh = (argv: string[], timeoutMs = 20_000) => seg!.exec(['ssh', '-i', join(keyDir, 'id'), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no',
      '-o', 'UserKnownHostsFile=/dev/null', '-o', 'ConnectTimeout=4', `root@${ADDR}`, ...argv], { timeoutMs });
    const hostdeck = (args: string[], timeoutMs = 480_000) => host!.run([NODE, HOSTDECK, ...args, '--db', TARGET_DB], { timeoutMs, env: { HOSTDECK_COMPILE_CACHE: '/tmp/hostdeck-cc' } });

    before(async () => {
      // hostdeck's compile cache filled on this machine is read inside the host (its / is this machine's).
      await mustProc([NODE, HOSTDECK, 'net', 'status', '--db', join(keyDir, 'warm.db')], { env: { ...process.env, HOSTDECK_COMPILE_CACHE: '/tmp/hostdeck-cc' } }).catch(() => undefined);
      await mustProc(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'operator', '-f', join(keyDir, 'id')]);
      seg = await Segment.create({ name: `net${backend === 'iproute2' ? 'ip' : 'nm'}`, address: `${PEER}/24` });
      host = new TestHost({ name: `net-${backend === 'iproute2' ? 'ip' : 'nm'}`, nics: [{ segment: seg }, {}, {}, {}, {}, {}, {}, {}], memoryMb: 1024, timeoutMs: 1_200_000 });
      await host.boot();
      const sshd = { name: 'sshd' as const, options: { authorizedKey: readFileSync(join(keyDir, 'id.pub'), 'utf8').trim() } };
      await host.startServices(backend === 'networkmanager' ? [{ name: 'networkmanager' }, sshd] : [sshd]);
      const inner = testHostRunner(host);
      // Every program the service starts is recorded (the "nothing ran" assertions).
      const runner = {
        run: (c: string, a: readonly string[] = [], o?: RunOptions): Promise<RunResult> => { commands.push([c, ...a]); return inner.run(c, a, o); },
      };
      const db = openDatabase(':memory:');
      events = new EventLog(db, { user: 'tester', channel: 'cli' });
      svc = netUseCases({ runner, db, events, watchdogCommand: null, stateDir: '/run/hostdeck-test-net' });
    });
    after(async () => {
      await host?.destroy();
      await seg?.dispose();
      rmSync(keyDir, { recursive: true, force: true });
    });

    it(`is detected as ${backend}`, guard(async () => {
      assert.equal(await svc.backend(), backend);
    }));

    it('puts a static management address on eth0 and the peer reaches it over SSH', guard(async () => {
      const r = await applyYes([{ op: 'ip.set', iface: 'eth0', family: 4, method: 'static', addresses: [`${ADDR}/24`] }]);
      assert.ok(r.diff.some((d) => d.object === 'eth0' && d.text.includes(`${ADDR}/24`)), JSON.stringify(r.diff));
      const out = await ssh(['hostname']);
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.stdout.trim(), host!.name);
      assert.ok(events.list({ text: 'Network change confirmed' }).length >= 1);
    }));

    it('while an apply waits for confirmation a second one is refused; net rollback undoes the first', guard(async () => {
      await svc.discard();
      await stageAll([{ op: 'route.add', iface: 'eth0', to: '10.250.0.0/16', via: PEER }]);
      const r = await svc.apply({ confirmTimeoutS: 120 });
      assert.equal(r.status, 'waiting');
      assert.ok((await svc.current()).interfaces.find((i) => i.name === 'eth0')?.routes.some((x) => x.to === '10.250.0.0/16'), 'the route is there');
      const p = await svc.pending();
      assert.equal(p?.status, 'waiting');
      assert.equal(p?.who, 'tester');
      await stageAll([{ op: 'hostname.set', hostname: 'other-name' }]);
      await assert.rejects(svc.apply({ confirmTimeoutS: 60 }), /another apply .* is pending until/);
      await svc.discard();
      await svc.rollback('operator rolled back');
      assert.ok(!(await svc.current()).interfaces.find((i) => i.name === 'eth0')?.routes.some((x) => x.to === '10.250.0.0/16'), 'the route is gone');
      assert.equal(await svc.pending(), undefined);
      assert.equal(events.list({ text: 'rolled back: operator rolled back' }).length, 1);
      assert.equal(svc.staged().length, 1, 'the rolled-back change is staged again');
      await svc.discard();
    }));

    it('a validation table: every invalid row is refused with the field named and no command runs', guard(async () => {
      const current = await svc.current();
      const rows: [NetChange, string][] = [
        [{ op: 'bond.create', name: 'bond0', ports: [], options: { mode: 'active-backup' } }, 'ports'],
        [{ op: 'bond.create', name: 'bond0', ports: ['eth1'], options: { mode: 'active-backup', lacp_rate: 'fast' } }, 'lacp_rate'],
        [{ op: 'bond.create', name: 'bond0', ports: ['eth1'], options: { mode: 'active-backup', xmit_hash_policy: 'layer2' } }, 'xmit_hash_policy'],
        [{ op: 'bond.create', name: 'bond0', ports: ['eth1'], options: { mode: 'balance-rr', miimon: 100, arp_interval: 100, arp_ip_target: ['192.168.1.1'] } }, 'arp_interval'],
        [{ op: 'bond.create', name: 'bond0', ports: ['eth1'], options: { mode: 'balance-rr', arp_interval: 100 } }, 'arp_ip_target'],
        [{ op: 'bond.create', name: 'bond0', ports: ['eth1'], options: { mode: 'balance-rr', primary: 'eth1' } }, 'primary'],
        [{ op: 'bond.create', name: 'bond0', ports: ['eth1'], options: { mode: 'active-backup', primary: 'eth2' } }, 'primary'],
        [{ op: 'bond.create', name: 'bond0', ports: ['eth9'], options: { mode: 'active-backup' } }, 'ports'],
        [{ op: 'bond.create', name: 'bond0', ports: ['eth0'], options: { mode: 'chaos' as never } }, 'mode'],
        [{ op: 'bond.create', name: 'averyveryverylongname', ports: ['eth1'], options: { mode: 'active-backup' } }, 'name'],
        [{ op: 'vlan.create', parent: 'eth1', id: 4095 }, 'id'],
        [{ op: 'vlan.create', parent: 'eth1', id: 0 }, 'id'],
        [{ op: 'ip.set', iface: 'eth1', family: 4, method: 'static', addresses: ['10.0.0.5/24'], gateway: '10.0.1.1' }, 'gateway'],
        [{ op: 'ip.set', iface: 'eth1', family: 4, method: 'dhcp', addresses: ['10.0.0.5/24'] }, 'address'],
        [{ op: 'ip.set', iface: 'eth1', family: 4, method: 'static', addresses: ['10.0.0.5'] }, 'address'],
        [{ op: 'hostname.set', hostname: '-bad-' }, 'hostname'],
        [{ op: 'dns.set', servers: ['dns.example.com'], search: [] }, 'servers'],
        [{ op: 'mtu.set', iface: 'eth1', mtu: 20 }, 'mtu'],
      ];
      commands.length = 0;
      for (const [row, field] of rows) {
        await assert.rejects(svc.stage(row, { current }), (e: unknown) => {
          assert.ok(e instanceof NetValidationError, String(e));
          assert.ok(e.errors.some((x) => x.field === field), `${JSON.stringify(row)}: ${JSON.stringify(e.errors)}`);
          return true;
        });
      }
      assert.deepEqual(commands, [], 'no program may run for refused input');
      assert.equal(svc.staged().length, 0);
    }));

    it('hostile strings in every field reach no program', guard(async () => {
      const current = await svc.current();
      const hostile = ['eth1;reboot', '$(reboot)', 'eth1|cat', 'eth1\nreboot', '-eth1', 'eth\u00001', 'x'.repeat(300)];
      commands.length = 0;
      let refused = 0;
      for (const s of hostile) {
        const rows: NetChange[] = [
          { op: 'bond.create', name: s, ports: ['eth1'], options: { mode: 'active-backup' } },
          { op: 'bond.create', name: 'bond7', ports: [s], options: { mode: 'active-backup' } },
          { op: 'bond.create', name: 'bond7', ports: ['eth1'], options: { mode: 'active-backup', primary: s } },
          { op: 'bond.create', name: 'bond7', ports: ['eth1'], options: { mode: s as never } },
          { op: 'bond.create', name: 'bond7', ports: ['eth1'], options: { mode: 'balance-rr', arp_interval: 100, arp_ip_target: [s] } },
          { op: 'vlan.create', parent: s, id: 10 },
          { op: 'vlan.create', parent: 'eth1', id: 10, name: s },
          { op: 'bridge.create', name: s, ports: [] },
          { op: 'bridge.create', name: 'br7', ports: [s] },
          { op: 'ip.set', iface: s, family: 4, method: 'dhcp', addresses: [] },
          { op: 'ip.set', iface: 'eth1', family: 4, method: s as never, addresses: [] },
          { op: 'ip.set', iface: 'eth1', family: 4, method: 'static', addresses: [s] },
          { op: 'ip.set', iface: 'eth1', family: 4, method: 'static', addresses: ['10.1.1.5/24'], gateway: s },
          { op: 'dns.set', servers: [s], search: [] },
          { op: 'dns.set', servers: [], search: [s] },
          { op: 'hostname.set', hostname: s },
          { op: 'route.add', iface: 'eth1', to: s },
          { op: 'bond.delete', name: s },
          { op: 'vlan.delete', name: s },
          { op: 'bridge.delete', name: s },
        ];
        for (const row of rows) {
          await assert.rejects(svc.stage(row, { current }), NetValidationError, `${JSON.stringify(row)} was accepted`);
          refused++;
        }
      }
      assert.equal(refused, hostile.length * 20);
      assert.deepEqual(commands, []);
    }));

    it('every bond mode is created with its options, as /proc/net/bonding and ip -d -j link show', guard(async () => {
      await applyYes(MODES.map((m) => ({ op: 'bond.create', name: m.name, ports: [m.port], options: m.options })));
      const all = await links();
      for (const m of MODES) {
        const proc = await host!.readFile(`/proc/net/bonding/${m.name}`);
        assert.match(proc, new RegExp(`^Bonding Mode: ${MODE_TEXT[m.options.mode].replace(/[()]/g, '\\$&')}`, 'm'), `${m.name}\n${proc}`);
        assert.match(proc, new RegExp(`^Slave Interface: ${m.port}$`, 'm'), proc);
        const l = all.find((x) => x.ifname === m.name);
        assert.equal(l?.linkinfo?.info_kind, 'bond');
        const data = l!.linkinfo!.info_data!;
        for (const [k, v] of Object.entries(m.options)) assert.deepEqual(data[IP_KEY[k] ?? k], v, `${m.name} ${k}: ${JSON.stringify(data)}`);
        assert.equal(all.find((x) => x.ifname === m.port)?.master, m.name);
      }
      // An edit changes the mode of a bond in place.
      await applyYes([{ op: 'bond.edit', name: 'bond_rr', options: { mode: 'active-backup', miimon: 100 } }]);
      assert.match(await host!.readFile('/proc/net/bonding/bond_rr'), /^Bonding Mode: fault-tolerance \(active-backup\)$/m);
      await applyYes(MODES.map((m) => ({ op: 'bond.delete', name: m.name })));
      const left = await links();
      for (const m of MODES) {
        assert.equal(left.find((x) => x.ifname === m.name), undefined, `${m.name} is gone`);
        assert.equal(left.find((x) => x.ifname === m.port)?.master, undefined, `${m.port} is released`);
      }
    }));

    it('a VLAN on a bond and a bridge on the VLAN with a static address, all with MTU 9000', guard(async () => {
      await applyYes([
        { op: 'bond.create', name: 'bond1', ports: ['eth1', 'eth2'], options: { mode: 'active-backup', miimon: 100 } },
        { op: 'vlan.create', parent: 'bond1', id: 100 },
        { op: 'bridge.create', name: 'br100', ports: ['bond1.100'], stp: false },
        { op: 'ip.set', iface: 'br100', family: 4, method: 'static', addresses: ['10.100.0.10/24'] },
        { op: 'mtu.set', iface: 'bond1', mtu: 9000 },
        { op: 'mtu.set', iface: 'bond1.100', mtu: 9000 },
        { op: 'mtu.set', iface: 'br100', mtu: 9000 },
      ]);
      // The kernel's MTUs: the bond's ports follow the bond; the VLAN and the bridge have their own.
      const mtus = Object.fromEntries((await links()).map((l) => [l.ifname, l.mtu]));
      for (const n of ['eth1', 'eth2', 'bond1', 'bond1.100', 'br100']) assert.equal(mtus[n], 9000, `${n} MTU: ${JSON.stringify(mtus)}`);
      const vlan = await link('bond1.100');
      assert.equal(vlan?.linkinfo?.info_kind, 'vlan');
      assert.equal(vlan?.linkinfo?.info_data?.id, 100);
      assert.equal(vlan?.link, 'bond1');
      assert.equal(vlan?.master, 'br100');
      const br = await link('br100');
      assert.equal(br?.linkinfo?.info_kind, 'bridge');
      assert.deepEqual(br?.addr_info?.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`), ['10.100.0.10/24']);
      assert.match(await host!.readFile('/proc/net/bonding/bond1'), /^Bonding Mode: fault-tolerance \(active-backup\)$/m);
      if (backend === 'iproute2') {
        const files = (await host!.mustRun(['ls', '/etc/systemd/network'])).stdout;
        for (const f of ['50-hostdeck-bond1.netdev', '50-hostdeck-bond1.network', '50-hostdeck-bond1.100.netdev', '50-hostdeck-br100.netdev', '50-hostdeck-br100.network']) assert.ok(files.includes(f), `${f} missing in\n${files}`);
        assert.match(await host!.readFile('/etc/systemd/network/50-hostdeck-br100.network'), /^Address=10\.100\.0\.10\/24$/m);
        for (const n of ['bond1', 'bond1.100', 'br100']) assert.match(await host!.readFile(`/etc/systemd/network/50-hostdeck-${n}.netdev`), /^MTUBytes=9000$/m, n);
      } else {
        const names = (await host!.mustRun(['nmcli', '-t', '-f', 'NAME', 'connection', 'show'])).stdout.split('\n');
        for (const n of ['hostdeck-bond1', 'hostdeck-eth1', 'hostdeck-eth2', 'hostdeck-bond1.100', 'hostdeck-br100']) assert.ok(names.includes(n), `${n} missing: ${names.join(' ')}`);
        // NetworkManager keeps the MTU of VLANs and bridges too (what it would set again at the next boot).
        for (const n of ['bond1', 'bond1.100', 'br100']) {
          const mtu = (await host!.mustRun(['nmcli', '-g', '802-3-ethernet.mtu', 'connection', 'show', `hostdeck-${n}`])).stdout.trim();
          assert.equal(mtu, '9000', `hostdeck-${n}`);
        }
      }
      // And all of it goes again.
      await applyYes([{ op: 'bridge.delete', name: 'br100' }, { op: 'bond.delete', name: 'bond1' }]);
      assert.equal(await link('br100'), undefined);
      assert.equal(await link('bond1.100'), undefined);
    }));

    it('host name, DNS servers and search domains, IPv6 static then SLAAC, a NIC MTU, and a VLAN on a NIC that is down', guard(async () => {
      const NET6 = `2001:db8:${subnet}::`;
      const a6 = await seg!.exec(['ip', '-6', 'addr', 'add', `${NET6}1/64`, 'dev', seg!.bridge, 'nodad']);
      assert.equal(a6.code, 0, a6.stderr);
      await host!.mustRun(['ip', 'link', 'set', 'dev', 'eth3', 'down']);
      const dns = { servers: [PEER, `${NET6}53`], search: ['lab.example', 'example.test'] };
      const r = await applyYes([
        { op: 'hostname.set', hostname: `deck-${subnet}.lab.example` },
        { op: 'dns.set', ...dns },
        { op: 'ip.set', iface: 'eth0', family: 6, method: 'static', addresses: [`${NET6}10/64`], gateway: `${NET6}1` },
        { op: 'mtu.set', iface: 'eth4', mtu: 9000 },
        { op: 'vlan.create', parent: 'eth3', id: 30 },
        { op: 'ip.set', iface: 'eth3.30', family: 4, method: 'static', addresses: ['10.30.0.10/24'] },
      ]);
      assert.ok(r.diff.some((d) => d.text.includes(`deck-${subnet}.lab.example`)), JSON.stringify(r.diff));
      // Host name: the kernel's and the persisted one.
      assert.equal((await host!.mustRun(['hostname'])).stdout.trim(), `deck-${subnet}.lab.example`);
      assert.equal((await host!.readFile('/etc/hostname')).trim(), `deck-${subnet}.lab.example`);
      // DNS: what the resolver reads, and the backend's own persisted form.
      const resolv = await host!.readFile('/etc/resolv.conf');
      assert.deepEqual(resolv.split('\n').filter((l) => l.startsWith('nameserver')).map((l) => l.split(/\s+/)[1]), dns.servers, resolv);
      assert.match(resolv, /^search lab\.example example\.test$/m);
      assert.deepEqual((await svc.current()).dns, dns);
      if (backend === 'iproute2') assert.match(await host!.readFile('/etc/systemd/resolved.conf.d/hostdeck.conf'), new RegExp(`^DNS=${PEER} ${NET6}53$`, 'm'));
      else assert.match(await host!.readFile('/etc/NetworkManager/conf.d/90-hostdeck-dns.conf'), new RegExp(`^servers=${PEER},${NET6}53$`, 'm'));
      // IPv6 static: the address and the default route, and the peer reaches the host over IPv6.
      const v6 = (await link('eth0'))?.addr_info?.filter((a) => a.family === 'inet6' && a.scope === 'global').map((a) => `${a.local}/${a.prefixlen}`);
      assert.deepEqual(v6, [`${NET6}10/64`]);
      const route6 = JSON.parse((await host!.mustRun(['ip', '-j', '-6', 'route', 'show', 'default'])).stdout) as { gateway?: string; dev?: string }[];
      assert.ok(route6.some((x) => x.gateway === `${NET6}1` && x.dev === 'eth0'), JSON.stringify(route6));
      let ping6 = await seg!.exec(['ping', '-6', '-c', '1', '-W', '2', `${NET6}10`]);
      for (let k = 0; k < 10 && ping6.code !== 0; k++) ping6 = await seg!.exec(['ping', '-6', '-c', '1', '-W', '2', `${NET6}10`]);
      assert.equal(ping6.code, 0, `the peer pings ${NET6}10: ${ping6.stdout}${ping6.stderr}`);
      // A NIC's MTU.
      assert.equal((await link('eth4'))?.mtu, 9000);
      // The VLAN on eth3, which was down: the parent went up with it.
      const vlan = await link('eth3.30');
      assert.equal(vlan?.linkinfo?.info_data?.id, 30);
      assert.ok(vlan?.flags?.includes('UP'), JSON.stringify(vlan?.flags));
      assert.ok((await link('eth3'))?.flags?.includes('UP'), 'eth3 is up');
      assert.deepEqual(vlan?.addr_info?.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`), ['10.30.0.10/24']);
      if (backend === 'iproute2') {
        assert.match(await host!.readFile('/etc/systemd/network/50-hostdeck-eth3.network'), /^VLAN=eth3\.30$/m, 'the parent names its VLAN for the next boot');
        assert.match(await host!.readFile('/etc/systemd/network/50-hostdeck-eth4.network'), /^MTUBytes=9000$/m);
      } else {
        assert.equal((await host!.mustRun(['nmcli', '-g', '802-3-ethernet.mtu', 'connection', 'show', 'hostdeck-eth4'])).stdout.trim(), '9000');
      }

      // SLAAC: the peer sends router advertisements (dnsmasq, RA only) for the prefix; eth0 takes an address from it.
      const ra = seg!.spawn(['dnsmasq', '--keep-in-foreground', '--no-daemon', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--port=0',
        `--interface=${seg!.bridge}`, '--bind-interfaces', '--except-interface=lo', `--pid-file=${join(keyDir, 'ra.pid')}`, '--user=root', '--group=root',
        '--enable-ra', `--dhcp-range=${NET6},ra-only,64`, `--ra-param=${seg!.bridge},10`], 'dnsmasq-ra');
      try {
        await applyYes([{ op: 'ip.set', iface: 'eth0', family: 6, method: 'auto', addresses: [] }]);
        // An address from the prefix other than the static one. The kernel (iproute2) marks its SLAAC addresses
        // dynamic; NetworkManager adds them itself, and with dnsmasq's infinite lifetimes they look permanent.
        const fromPrefix = async () => ((await link('eth0'))?.addr_info ?? [])
          .filter((a) => a.family === 'inet6' && a.scope === 'global' && a.local.startsWith(`2001:db8:${subnet}:`) && a.local !== `${NET6}10`).map((a) => a.local);
        let slaac: string[] = [];
        for (let k = 0; k < 60 && !slaac.length; k++) {
          slaac = await fromPrefix();
          if (!slaac.length) await host!.run(['sleep', '0.5']);
        }
        const shown = slaac.length === 1 ? '' : (await host!.run(['ip', '-6', 'addr', 'show', 'dev', 'eth0'])).stdout;
        assert.equal(slaac.length, 1, `an address from ${NET6}/64 by SLAAC:\n${shown}\n${readFileSync(ra.log, 'utf8').split('\n').slice(0, 12).join('\n')}`);
        const all6 = (await link('eth0'))?.addr_info?.filter((a) => a.family === 'inet6' && a.scope === 'global').map((a) => a.local);
        assert.ok(!all6?.includes(`${NET6}10`), `the static IPv6 address is gone: ${JSON.stringify(all6)}`);
        // hostdeck reads the interface back as SLAAC (not as a static address with the router as gateway).
        assert.deepEqual((await svc.current()).interfaces.find((i) => i.name === 'eth0')?.ipv6, { method: 'auto', addresses: [] });
        if (backend === 'networkmanager') assert.equal((await host!.mustRun(['nmcli', '-g', 'ipv6.method', 'connection', 'show', 'hostdeck-eth0'])).stdout.trim(), 'auto');
        // The peer reaches the host on it.
        let ping = await seg!.exec(['ping', '-6', '-c', '1', '-W', '2', slaac[0]!]);
        for (let k = 0; k < 10 && ping.code !== 0; k++) ping = await seg!.exec(['ping', '-6', '-c', '1', '-W', '2', slaac[0]!]);
        assert.equal(ping.code, 0, `the peer pings ${slaac[0]}: ${ping.stdout}${ping.stderr}`);
      } finally {
        ra.child.kill();
      }
    }));

    it('IPv6 DHCP: a lease from the peer\'s DHCPv6 server verifies and reads back as dhcp; then IPv6 goes off again', guard(async () => {
      // Same boot, same prefix (the segment's 2001:db8:<subnet>::1/64 from the case above): the peer's dnsmasq now
      // hands out addresses by DHCPv6 (::100-::1ff) and advertises the prefix with the managed flag, not for SLAAC.
      const NET6 = `2001:db8:${subnet}::`;
      const d6 = seg!.spawn(['dnsmasq', '--keep-in-foreground', '--no-daemon', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--port=0',
        `--interface=${seg!.bridge}`, '--bind-interfaces', '--except-interface=lo', `--pid-file=${join(keyDir, 'dhcp6.pid')}`, '--user=root', '--group=root',
        '--log-dhcp', '--enable-ra', `--dhcp-range=${NET6}100,${NET6}1ff,64,600`, `--ra-param=${seg!.bridge},10`], 'dnsmasq-dhcp6');
      try {
        let listening = false;
        for (let k = 0; k < 100 && !listening && d6.child.exitCode === null; k++) {
          listening = Boolean((await seg!.exec(['ss', '-Hlun', 'sport', '=', ':547'])).stdout.trim());
          if (!listening) await new Promise((r) => setTimeout(r, 50));
        }
        assert.ok(listening, `dnsmasq serves DHCPv6: ${readFileSync(d6.log, 'utf8')}`);
        const rolledBefore = events.list({ text: 'rolled back' }).length;
        const r = await applyYes([{ op: 'ip.set', iface: 'eth0', family: 6, method: 'dhcp', addresses: [] }]);
        assert.ok(r.diff.some((d) => d.object === 'eth0' && /ipv6 \S+ -> dhcp/.test(d.text)), JSON.stringify(r.diff));
        assert.equal(events.list({ text: 'rolled back' }).length, rolledBefore, 'the apply verified: no rollback');
        // One address from the DHCPv6 range, as a lease (/128, dynamic); the SLAAC address of the case above is gone.
        const global6 = (await link('eth0'))?.addr_info?.filter((a) => a.family === 'inet6' && a.scope === 'global') ?? [];
        assert.equal(global6.length, 1, JSON.stringify(global6));
        const lease = global6[0]!;
        assert.ok(lease.local.startsWith(NET6) && lease.prefixlen === 128 && lease.dynamic, JSON.stringify(lease));
        const last = parseInt(lease.local.slice(NET6.length), 16);
        assert.ok(last >= 0x100 && last <= 0x1ff, `${lease.local} is in ${NET6}100-${NET6}1ff`);
        assert.match(readFileSync(d6.log, 'utf8'), new RegExp(`DHCPREPLY\\(${seg!.bridge}\\) [^ ]*${lease.local.replace(/[.:]/g, '\\$&')}`), 'dnsmasq leased it');
        // hostdeck reads the interface back as DHCPv6 (a dynamic /128 lease; on NetworkManager its profile's method).
        assert.deepEqual((await svc.current()).interfaces.find((i) => i.name === 'eth0')?.ipv6, { method: 'dhcp', addresses: [] });
        const routes6 = JSON.parse((await host!.mustRun(['ip', '-j', '-6', 'route', 'show', 'dev', 'eth0'])).stdout) as { dst: string }[];
        if (backend === 'networkmanager') {
          assert.equal((await host!.mustRun(['nmcli', '-g', 'ipv6.method', 'connection', 'show', 'hostdeck-eth0'])).stdout.trim(), 'dhcp');
          // NetworkManager's ipv6.method dhcp is DHCPv6 only: it ignores router advertisements, so the host has no
          // route to its own prefix (nor a default route) and cannot answer the peer from the lease.
          assert.ok(!routes6.some((x) => x.dst === `${NET6}/64` || x.dst === 'default'), JSON.stringify(routes6));
        } else {
          // dhclient -6 keeps the lease; the prefix and the router come from the advertisements (accept_ra on, autoconf off).
          const pid = (await host!.readFile('/run/hostdeck/dhclient6-eth0.pid')).trim();
          assert.equal((await host!.run(['kill', '-0', pid])).code, 0, `dhclient -6 (${pid}) runs`);
          assert.ok(routes6.some((x) => x.dst === `${NET6}/64`), JSON.stringify(routes6));
          const unit = await host!.readFile('/etc/systemd/network/50-hostdeck-eth0.network');
          for (const line of ['DHCP=ipv6', 'IPv6AcceptRA=yes', 'UseAutonomousPrefix=no', 'WithoutRA=solicit']) assert.match(unit, new RegExp(`^${line}$`, 'm'), unit);
          let ping = await seg!.exec(['ping', '-6', '-c', '1', '-W', '2', lease.local]);
          for (let k = 0; k < 10 && ping.code !== 0; k++) ping = await seg!.exec(['ping', '-6', '-c', '1', '-W', '2', lease.local]);
          assert.equal(ping.code, 0, `the peer pings ${lease.local}: ${ping.stdout}${ping.stderr}`);
        }
        // IPv6 off again: the lease goes (and on iproute2 its client), as the following cases expect (IPv4 only on eth0).
        await applyYes([{ op: 'ip.set', iface: 'eth0', family: 6, method: 'none', addresses: [] }]);
        const left = (await link('eth0'))?.addr_info?.filter((a) => a.family === 'inet6' && a.scope === 'global') ?? [];
        assert.deepEqual(left, []);
        assert.deepEqual((await svc.current()).interfaces.find((i) => i.name === 'eth0')?.ipv6, { method: 'none', addresses: [] });
        if (backend === 'iproute2') {
          assert.notEqual((await host!.run(['test', '-e', '/run/hostdeck/dhclient6-eth0.pid'])).code, 0, 'no DHCPv6 client pid file');
          assert.notEqual((await host!.run(['pgrep', '-f', 'dhclient -1 -6'])).code, 0, 'no dhclient -6 left');
        }
      } finally {
        d6.child.kill();
      }
    }));

    it('DHCP from the peer, then back to the static address', guard(async () => {
      await seg!.serveDhcp({ range: [`192.168.${subnet}.100`, `192.168.${subnet}.150`] });
      await applyYes([{ op: 'ip.set', iface: 'eth0', family: 4, method: 'dhcp', addresses: [] }]);
      const dyn = (await link('eth0'))?.addr_info?.find((a) => a.family === 'inet' && a.dynamic);
      assert.ok(dyn, 'eth0 has a lease');
      const last = Number(dyn.local.split('.')[3]);
      assert.ok(last >= 100 && last <= 150, dyn.local);
      await applyYes([{ op: 'ip.set', iface: 'eth0', family: 4, method: 'static', addresses: [`${ADDR}/24`] }]);
      const addrs = (await link('eth0'))?.addr_info?.filter((a) => a.family === 'inet').map((a) => a.local);
      assert.deepEqual(addrs, [ADDR]);
    }));

    it('lockout: an unconfirmed change that cuts the operator off is rolled back and the peer reaches the host again', guard(async () => {
      assert.equal((await ssh(['true'])).code, 0, 'reachable before');
      await host!.writeFile('/root/lockout.net', `# moves the management address off the operator's subnet\nip set eth0 --method static --address 192.168.${subnet + 100}.10/24\n`);
      const started = Date.now();
      const r = await hostdeck(['net', 'apply-file', '/root/lockout.net', '--apply', '--confirm-timeout', '10', '--accept-disconnect']);
      assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /^~ eth0: ipv4 static 192\.168\.\d+\.10\/24 -> static 192\.168\.\d+\.10\/24$/m);
      assert.match(r.stderr, /Rolled back: not confirmed within 10 s/);
      // Reachable again within the timeout + 10 s of the apply.
      let ok = false;
      while (!ok && Date.now() - started < r.durationMs + 10_000) ok = (await ssh(['true'], 8_000)).code === 0;
      assert.ok(ok, 'the peer reaches the host after the rollback');
      const addrs = (await link('eth0'))?.addr_info?.filter((a) => a.family === 'inet').map((a) => a.local);
      assert.deepEqual(addrs, [ADDR]);
      const d = await hostdeck(['net', 'discard']);
      assert.match(d.stdout, /Discarded 1 staged change/, 'the rolled-back change was staged again');
    }));

    it('a confirmed change survives the timeout and a restart of hostdeck', guard(async () => {
      await host!.writeFile('/root/second.net', `ip set eth0 --method static --address ${ADDR}/24 --address 192.168.${subnet}.11/24\n`);
      const a = await hostdeck(['net', 'apply-file', '/root/second.net', '--apply', '--confirm-timeout', '40', '--no-wait', '--accept-disconnect']);
      assert.equal(a.code, 0, a.stderr);
      // That hostdeck has ended; another session (hostdeck's service from this machine) confirms.
      const other = netUseCases({ runner: testHostRunner(host!), db: openDatabase(':memory:'), events, watchdogCommand: null });
      const confirmed = await other.confirm();
      assert.equal(confirmed.status, 'confirmed');
      // Past the deadline the watchdog has exited without touching anything.
      const wait = Date.parse(confirmed.deadline) + 8_000 - Date.now();
      if (wait > 0) await host!.mustRun(['sleep', String(Math.ceil(wait / 1000))], { timeoutMs: wait + 30_000 });
      const addrs = (await link('eth0'))?.addr_info?.filter((x) => x.family === 'inet').map((x) => x.local).sort();
      assert.deepEqual(addrs, [ADDR, `192.168.${subnet}.11`]);
      assert.notEqual((await host!.run(['test', '-e', '/var/lib/hostdeck/net/pending.json'])).code, 0, 'nothing pending');
      assert.equal(JSON.parse(await host!.readFile('/var/lib/hostdeck/net/last.json')).status, 'confirmed');
    }));

    it('killing hostdeck while it waits for confirmation still rolls back, and the next apply works', guard(async () => {
      await host!.writeFile('/root/third.net', `ip set eth0 --method static --address ${ADDR}/24 --address 192.168.${subnet}.12/24\n`);
      const pid = String(await host!.spawnBackground([NODE, HOSTDECK, 'net', 'apply-file', '/root/third.net', '--apply', '--confirm-timeout', '30', '--db', TARGET_DB, '--accept-disconnect'], { log: '/root/apply.log' }));
      let status = '';
      for (let i = 0; i < 240 && status !== 'waiting'; i++) {
        const p = await host!.run(['cat', '/var/lib/hostdeck/net/pending.json']);
        status = p.code === 0 ? (JSON.parse(p.stdout) as { status: string }).status : '';
        if (status !== 'waiting') await host!.run(['sleep', '0.5']);
      }
      assert.equal(status, 'waiting', await host!.readFile('/root/apply.log'));
      await host!.mustRun(['kill', '-9', pid]);
      let gone = false;
      for (let i = 0; i < 60 && !gone; i++) {
        gone = (await host!.run(['test', '-e', '/var/lib/hostdeck/net/pending.json'])).code !== 0;
        if (!gone) await host!.run(['sleep', '1']);
      }
      assert.ok(gone, 'the watchdog finished the apply');
      const addrs = (await link('eth0'))?.addr_info?.filter((x) => x.family === 'inet').map((x) => x.local).sort();
      assert.deepEqual(addrs, [ADDR, `192.168.${subnet}.11`], 'back to the confirmed configuration');
      // The change came back as staged; the next apply works.
      const next = await hostdeck(['net', 'apply', '--yes', '--accept-disconnect']);
      assert.equal(next.code, 0, `${next.stdout}\n${next.stderr}`);
      const after2 = (await link('eth0'))?.addr_info?.filter((x) => x.family === 'inet').map((x) => x.local).sort();
      assert.deepEqual(after2, [ADDR, `192.168.${subnet}.12`]);
      // One rollback event each for the lockout and the kill (by the watchdog), none for the confirmed change.
      // The host's event log, read straight from its state DB (one sqlite3 start instead of a hostdeck start under TCG).
      const ev = JSON.parse((await host!.mustRun(['sqlite3', '-json', TARGET_DB, 'SELECT message FROM events ORDER BY id'])).stdout || '[]') as { message: string }[];
      const rolled = ev.filter((e) => /rolled back/.test(e.message)).map((e) => e.message);
      assert.equal(rolled.length, 2, JSON.stringify(rolled));
      assert.ok(rolled.some((m) => /by the watchdog/.test(m)), JSON.stringify(rolled));
      // The earlier confirmation was recorded by the session that confirmed it (this machine's service).
      assert.equal(ev.filter((e) => /Network change confirmed/.test(e.message)).length, 1, 'the last apply --yes');
      assert.equal(events.list({ text: `192.168.${subnet}.11/24` }).filter((e) => /Network change confirmed/.test(e.message)).length, 1);
    }));
  });
}
