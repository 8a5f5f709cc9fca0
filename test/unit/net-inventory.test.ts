// The network inventory parsers on real outputs recorded in a test host
// (test/fixtures/net, README there): eth0 addressed, eth1+eth2 in an
// active-backup bond with VLAN 10 and bridge br10 on it, eth3's cable
// pulled, eth4 cabled to a second host running lldpd.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { RunResult } from '../../src/exec/runner.ts';
import {
  buildInventory, identifyNic, linkStates, parseGrepFiles, parseLldpNeighbors, parseProcBonding, readInventory, sysfsFiles, watchLinks, type LinkChange,
} from '../../src/host/net/inventory.ts';

const FIX = join(import.meta.dirname, '../fixtures/net');
const fx = (n: string) => readFileSync(join(FIX, n), 'utf8');
const raw = () => ({ ipAddr: fx('ip-d-addr.json'), route4: fx('ip-route-default.json'), route6: fx('ip6-route-default.json'), files: fx('grep-sysfs.txt'), lldp: fx('lldpcli-neighbors.json') });

describe('network inventory from recorded test-host output', () => {
  const inv = buildInventory(raw(), 1000);

  it('lists the NICs with MAC, driver, bus, link, MTU, membership and addresses', () => {
    assert.deepEqual(inv.nics.map((n) => n.name), ['eth0', 'eth1', 'eth2', 'eth3', 'eth4']);
    const e0 = inv.nics[0]!;
    assert.equal(e0.mac, '52:54:00:8a:a7:00');
    assert.equal(e0.driver, 'virtio_net');
    assert.equal(e0.bus, 'virtio virtio4');
    assert.equal(e0.link, 'up');
    assert.equal(e0.mtu, 1500);
    assert.deepEqual(e0.addresses.filter((a) => a.scope === 'global').map((a) => a.cidr), ['192.168.81.10/24', 'fd00:81::10/64']);
    // virtio reports no speed (-1) and "unknown" duplex: shown as unknown, not as -1.
    assert.equal(e0.speedMbps, undefined);
    assert.equal(e0.duplex, undefined);
    assert.equal(inv.nics[1]!.memberOf, 'bond0');
    assert.equal(inv.nics[3]!.link, 'down', 'eth3 lost its carrier');
    assert.equal(inv.nics[3]!.operstate, 'DOWN');
    // A bond port carries the bond's MAC; its own is kept.
    assert.equal(inv.nics[2]!.mac, '52:54:00:33:c2:01');
    assert.equal(inv.nics[2]!.permMac, '52:54:00:d6:5a:02');
    assert.equal(e0.identifySupported, false, 'virtio has no LED');
  });

  it('reads the bond (mode, options, ports, active port), the VLAN and the bridge', () => {
    assert.equal(inv.bonds.length, 1);
    const b = inv.bonds[0]!;
    assert.equal(b.mode, 'active-backup');
    assert.equal(b.options.miimon, 100);
    assert.equal(b.options.lacp_rate, undefined, 'lacp_rate belongs to 802.3ad only');
    assert.deepEqual(b.ports, [{ name: 'eth1', link: 'up', state: 'active', failures: 0 }, { name: 'eth2', link: 'up', state: 'backup', failures: 0 }]);
    assert.equal(b.activePort, 'eth1');
    assert.equal(b.degraded, false);
    assert.deepEqual(inv.vlans.map((v) => [v.name, v.parent, v.id, v.memberOf]), [['bond0.10', 'bond0', 10, 'br10']]);
    assert.deepEqual(inv.bridges.map((x) => [x.name, x.ports, x.stp, x.addresses.find((a) => a.family === 'inet')?.cidr]), [['br10', ['bond0.10'], false, '10.10.0.10/24']]);
  });

  it('reads the default gateway, DNS, the host name, and the LLDP neighbour (a switch, not the host itself)', () => {
    assert.deepEqual(inv.gateways, [{ family: 'inet', gateway: '192.168.81.1', dev: 'eth0' }]);
    assert.deepEqual(inv.dns, { servers: ['192.168.81.1', '2001:db8::53'], search: ['example.com', 'lab.example.com'] });
    assert.equal(inv.hostname, 'node1');
    assert.deepEqual(inv.nics[4]!.lldp && { chassis: inv.nics[4]!.lldp.chassis, port: inv.nics[4]!.lldp.port }, { chassis: 'switch1', port: 'eth0' });
    assert.equal(inv.lldp.state, 'running');
    // On the shared segment the host only hears itself: that is what is shown, with the port name.
    assert.equal(inv.nics[0]!.lldp?.port, 'eth1');
    assert.equal(parseLldpNeighbors(fx('lldpcli-neighbors.json')).get('eth0')!.length, 3);
  });

  it('a degraded bond: a port whose MII is down', () => {
    const links = JSON.parse(fx('ip-d-addr.json')) as { ifname: string; linkinfo?: { info_slave_data?: Record<string, unknown> } }[];
    links.find((l) => l.ifname === 'eth2')!.linkinfo!.info_slave_data!.mii_status = 'DOWN';
    const b = buildInventory({ ...raw(), ipAddr: JSON.stringify(links) }).bonds[0]!;
    assert.equal(b.degraded, true);
    assert.deepEqual(b.ports.map((p) => p.link), ['up', 'down']);
  });

  it('without lldpd the reason is given instead of neighbours', () => {
    const i = buildInventory({ ...raw(), lldp: undefined, lldpError: 'lldpd is not running' });
    assert.deepEqual(i.lldp, { state: 'unavailable', reason: 'lldpd is not running' });
    assert.equal(i.nics[4]!.lldp, undefined);
  });

  it('parses /proc/net/bonding and the grep file listing', () => {
    const files = parseGrepFiles(fx('grep-sysfs.txt'));
    assert.deepEqual(files.get('/sys/class/net/eth0/device/uevent'), ['DRIVER=virtio_net', 'MODALIAS=virtio:d00000001v00001AF4']);
    const p = parseProcBonding(files.get('/proc/net/bonding/bond0')!);
    assert.equal(p.mode, 'fault-tolerance (active-backup)');
    assert.equal(p.active, 'eth1');
    assert.deepEqual(p.ports.map((x) => [x.name, x.mii, x.permMac]), [['eth1', 'up', '52:54:00:33:c2:01'], ['eth2', 'up', '52:54:00:d6:5a:02']]);
    assert.deepEqual(parseProcBonding(fx('proc-net-bonding-bond0.txt').split('\n')), p);
  });

  it('link states from ip -j link (loopback left out)', () => {
    const s = linkStates(fx('ip-j-link.json'));
    assert.equal(s.has('lo'), false);
    assert.deepEqual(s.get('eth3'), { link: 'down', operstate: 'DOWN' });
    assert.deepEqual(s.get('bond0'), { link: 'up', operstate: 'UP' });
  });
});

describe('reading a host through the runner (recorded outputs replayed)', () => {
  const ok = (command: string, args: readonly string[], stdout: string, exitCode = 0, stderr = ''): RunResult => ({ command, args: [...args], exitCode, stdout, stderr, timedOut: false, durationMs: 1 });

  it('runs ip, lldpcli and one grep for every file, as argument arrays', async () => {
    const calls: string[][] = [];
    const runner = {
      async run(command: string, args: readonly string[] = []) {
        calls.push([command, ...args]);
        const line = [command, ...args].join(' ');
        if (line === 'ip -j -d addr show') return ok(command, args, fx('ip-d-addr.json'));
        if (line === 'ip -j route show default') return ok(command, args, fx('ip-route-default.json'));
        if (line === 'ip -j -6 route show default') return ok(command, args, fx('ip6-route-default.json'));
        if (command === 'lldpcli') return ok(command, args, '', 1, 'unable to connect to socket /run/lldpd.socket');
        if (command === 'grep') return ok(command, args, fx('grep-sysfs.txt'), 2);
        return ok(command, args, '', 127);
      },
    };
    const inv = await readInventory(runner);
    assert.equal(calls.length, 5);
    const grep = calls.find((c) => c[0] === 'grep')!;
    assert.deepEqual(grep.slice(0, 4), ['grep', '-s', '-H', '']);
    assert.deepEqual(grep.slice(4), sysfsFiles(['eth0', 'eth1', 'eth2', 'eth3', 'eth4'], ['bond0']));
    assert.equal(inv.nics.length, 5);
    assert.deepEqual(inv.lldp, { state: 'unavailable', reason: 'lldpd is not running' });
  });

  it('a host whose ip fails says so', async () => {
    const runner = { run: async (command: string, args: readonly string[] = []) => ok(command, args, '', 1, 'Cannot open netlink socket: Permission denied') };
    await assert.rejects(readInventory(runner), /cannot list interfaces: Cannot open netlink socket/);
  });

  it('identify: the recorded "Operation not supported" says which driver cannot; a bad name runs nothing', async () => {
    const calls: string[][] = [];
    const runner = { run: async (command: string, args: readonly string[] = []) => { calls.push([command, ...args]); return ok(command, args, '', 255, fx('ethtool-identify-eth0.stderr.txt').split('\n')[0]!); } };
    const r = await identifyNic(runner, { name: 'eth0', driver: 'e1000e' }, 5);
    assert.deepEqual(r, { ok: false, message: 'identify is not supported by driver e1000e (eth0 has no LED it can blink)' });
    assert.deepEqual(calls, [['ethtool', '--identify', 'eth0', '5']]);
    for (const bad of ['-e', 'eth0;reboot', 'a'.repeat(16), 'eth0 x']) {
      const b = await identifyNic(runner, { name: bad }, 5);
      assert.equal(b.ok, false);
      assert.match(b.message, /is not an interface name/);
    }
    assert.equal(calls.length, 1);
  });

  it('watchLinks reports the first state, then only changes', async () => {
    let json = fx('ip-j-link.json');
    const runner = { run: async (command: string, args: readonly string[] = []) => ok(command, args, json) };
    const seen: LinkChange[][] = [];
    const stop = watchLinks(runner, (c) => seen.push(c), { pollMs: 20 });
    try {
      for (let i = 0; i < 100 && seen.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(seen[0]!.length, 8);
      const links = JSON.parse(json) as { ifname: string; flags: string[]; operstate: string }[];
      const e = links.find((l) => l.ifname === 'eth4')!;
      e.flags = ['NO-CARRIER', ...e.flags.filter((f) => f !== 'LOWER_UP')];
      e.operstate = 'DOWN';
      json = JSON.stringify(links);
      for (let i = 0; i < 200 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(seen[1], [{ name: 'eth4', link: 'down', operstate: 'DOWN' }]);
    } finally {
      stop();
    }
  });
});
