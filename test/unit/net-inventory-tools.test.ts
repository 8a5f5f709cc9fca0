// The network screens' pure logic: test-network targets and ping output,
// the emergency reset's changes, the forms' changes and error placement,
// and the wizard's step validation (net-core's real validateChange), on the
// configuration of the recorded test host (test/fixtures/net).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as processRunner from '../../src/exec/runner.ts';
import { applyChanges } from '../../src/domain/net/model.ts';
import { parseKernelState } from '../../src/host/net/read.ts';
import { parsePing, testNetwork } from '../../src/host/net/tools.ts';
import { resetChanges } from '../../src/domain/net/reset.ts';
import { testTargets } from '../../src/domain/net/test-targets.ts';
import { checkForm, errorsByField, formChange, initialValues, visibleFields } from '../../screens/network/forms.ts';
import { stepErrors, wizardChanges, initialWizardValues } from '../../screens/network-wizard/wizard.ts';
import { bondHealth, networkStatusLine, networkSummaryStore } from '../../screens/network/summary.ts';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { netUseCases } from '../lib/net-core.ts';

const FIX = join(import.meta.dirname, '../fixtures/net');
const fx = (n: string) => readFileSync(join(FIX, n), 'utf8');
const cfg = parseKernelState(fx('ip-d-addr.json'), fx('ip-route-default.json'), fx('ip6-route-default.json'), 'node1', 'nameserver 192.168.81.1\nsearch example.com\n');

describe('test network', () => {
  it('targets: the gateways and DNS servers first, then typed hosts; anything that could be an option is refused', () => {
    const r = testTargets({ gateways: [{ family: 'inet', gateway: '192.168.81.1', dev: 'eth0' }], dns: { servers: ['192.168.81.1', '2001:db8::53'], search: [] } }, ['engine.example.com', '10.0.0.1'], 'example.com');
    assert.deepEqual(r.targets, [
      { kind: 'gateway', target: '192.168.81.1' }, { kind: 'dns', target: '192.168.81.1' }, { kind: 'dns', target: '2001:db8::53' },
      { kind: 'host', target: 'engine.example.com' }, { kind: 'host', target: '10.0.0.1' }, { kind: 'resolve', target: 'example.com' },
    ]);
    for (const bad of ['-c', '-f', 'a;reboot', '$(id)', 'a b', 'x'.repeat(300)]) {
      const e = testTargets(undefined, [bad]);
      assert.equal(e.targets.length, 0, bad);
      assert.equal(e.errors[0]?.field, 'hosts', bad);
    }
  });

  it('parses ping summaries as iputils prints them', () => {
    assert.deepEqual(parsePing('2 packets transmitted, 2 received, 0% packet loss, time 312ms\nrtt min/avg/max/mdev = 0.045/0.135/0.226/0.090 ms\n'), { sent: 2, received: 2, avgMs: 0.135 });
    assert.deepEqual(parsePing('2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 316ms\n'), { sent: 2, received: 0, avgMs: undefined });
  });

  it('runs ping and getent on this machine: loopback answers, localhost resolves, a .invalid name does not', async () => {
    const runner = { run: processRunner.run };
    const r = await testNetwork(runner, [{ kind: 'host', target: '127.0.0.1' }, { kind: 'resolve', target: 'localhost' }, { kind: 'resolve', target: 'no-such-host.invalid' }]);
    assert.equal(r[0]!.ok, true, r[0]!.detail);
    assert.match(r[0]!.detail, /^2\/2 replies, [\d.]+ ms$/);
    assert.equal(r[1]!.ok, true);
    assert.match(r[1]!.detail, /127\.0\.0\.1|::1/);
    assert.deepEqual([r[2]!.ok, r[2]!.detail], [false, 'name not found']);
  });
});

describe('emergency reset', () => {
  it('on a bond port: the bridge, the VLAN and the bond above it go, then the NIC gets DHCP', () => {
    const r = resetChanges(cfg, { nic: 'eth1', method: 'dhcp' });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.changes, [
      { op: 'bridge.delete', name: 'br10' }, { op: 'vlan.delete', name: 'bond0.10' }, { op: 'bond.delete', name: 'bond0' },
      { op: 'ip.set', iface: 'eth1', family: 4, method: 'dhcp', addresses: [] },
    ]);
  });

  it('static needs a valid address and a gateway inside it; a bond is not a NIC; errors stage nothing', () => {
    assert.equal(resetChanges(cfg, { nic: 'eth0', method: 'static', address: '192.168.81.20/24', gateway: '192.168.81.1', dns: ['192.168.81.1'] }).changes.length, 2);
    const bad = resetChanges(cfg, { nic: 'eth0', method: 'static', address: '192.168.81.20/24', gateway: '10.1.1.1' });
    assert.deepEqual(bad.changes, []);
    assert.equal(bad.errors[0]!.field, 'gateway');
    assert.match(bad.errors[0]!.message, /not inside the subnet/);
    assert.equal(resetChanges(cfg, { nic: 'bond0', method: 'dhcp' }).errors[0]!.message, 'bond0 is a bond; choose a NIC');
    assert.equal(resetChanges(cfg, { nic: 'eth9', method: 'dhcp' }).errors[0]!.field, 'nic');
  });
});

describe('network forms', () => {
  it('bond options follow the mode: lacp_rate only with 802.3ad, ARP fields not with 802.3ad', () => {
    const v = { ...initialValues('bond', undefined, cfg), name: 'bond1', ports: 'eth3 eth4', lacp_rate: 'fast' };
    assert.ok(!visibleFields('bond', v).some((f) => f.id === 'lacp_rate'));
    assert.deepEqual(formChange('bond', undefined, v), { op: 'bond.create', name: 'bond1', ports: ['eth3', 'eth4'], options: { mode: 'active-backup', miimon: 100 } });
    const lacp = { ...v, mode: '802.3ad' };
    assert.ok(visibleFields('bond', lacp).some((f) => f.id === 'lacp_rate'));
    assert.ok(!visibleFields('bond', lacp).some((f) => f.id === 'arp_interval'));
    assert.deepEqual(checkForm('bond', undefined, lacp, cfg).errors, []);
  });

  it('errors land on the field the operator typed, with the rule', () => {
    const v = { ...initialValues('bond', undefined, cfg), name: 'bond1', ports: 'eth1', miimon: 'abc' };
    const { errors } = checkForm('bond', undefined, v, cfg);
    const by = errorsByField('bond', v, errors);
    assert.match(by.ports!, /^ports: eth1 is already a port of bond0/);
    assert.match(by.miimon!, /^miimon: must be a whole number/);
    const ip = { ...initialValues('ip', 'eth0', cfg), method: 'dhcp', address: '' };
    assert.deepEqual(checkForm('ip', 'eth0', ip, cfg).errors, []);
    const mtu = checkForm('mtu', 'eth0', { mtu: '9x' }, cfg);
    assert.match(errorsByField('mtu', { mtu: '9x' }, mtu.errors).mtu!, /mtu: must be a whole number 68-65535/);
  });
});

describe('first-run wizard', () => {
  const nics = ['eth0', 'eth1', 'eth2', 'eth3', 'eth4'];

  it('a bond over free NICs with a VLAN, static IP, DNS and host name makes five changes that validate in order', () => {
    const v = { ...initialWizardValues(cfg, nics), type: 'bond', bondName: 'bond1', ports: 'eth3 eth4', mode: '802.3ad', vlan: '20', method: 'static', address: '10.20.0.5/24', gateway: '10.20.0.1', servers: '10.20.0.53', hostname: 'node7.example.com' };
    for (const s of ['mgmt', 'vlan', 'ip', 'dns', 'hostname'] as const) assert.deepEqual(stepErrors(s, v, cfg), {}, s);
    const changes = wizardChanges(v, 'summary', cfg).map((c) => c.change);
    // eth0 keeps its address but hands the default gateway to the management interface.
    assert.deepEqual(changes.map((c) => c.op), ['bond.create', 'vlan.create', 'ip.set', 'ip.set', 'dns.set', 'hostname.set']);
    assert.deepEqual(changes[2], { op: 'ip.set', iface: 'eth0', family: 4, method: 'static', addresses: ['192.168.81.10/24'] });
    assert.deepEqual(changes[3], { op: 'ip.set', iface: 'bond1.20', family: 4, method: 'static', addresses: ['10.20.0.5/24'], gateway: '10.20.0.1' });
  });

  it('starts from the configuration as it is: unchanged answers make no change, for a NIC, a bridge and a VLAN on a bond', () => {
    const onEth0 = initialWizardValues(cfg, nics, 'eth0');
    assert.deepEqual({ type: onEth0.type, nic: onEth0.nic, vlan: onEth0.vlan, method: onEth0.method, address: onEth0.address, gateway: onEth0.gateway, hostname: onEth0.hostname }, { type: 'nic', nic: 'eth0', vlan: '', method: 'static', address: '192.168.81.10/24', gateway: '192.168.81.1', hostname: 'node1' });
    assert.deepEqual(wizardChanges(onEth0, 'summary', cfg), []);
    const onBridge = initialWizardValues(cfg, nics, 'br10');
    assert.equal(onBridge.nic, 'br10');
    assert.deepEqual(wizardChanges(onBridge, 'summary', cfg), []);
    const vlanOnBond = applyChanges(cfg, [{ op: 'bridge.delete', name: 'br10' }, { op: 'ip.set', iface: 'bond0.10', family: 4, method: 'static', addresses: ['10.10.0.10/24'] }]);
    const onBond = initialWizardValues(vlanOnBond, nics, 'bond0.10');
    assert.deepEqual({ type: onBond.type, bondName: onBond.bondName, ports: onBond.ports, mode: onBond.mode, vlan: onBond.vlan, address: onBond.address }, { type: 'bond', bondName: 'bond0', ports: 'eth1 eth2', mode: 'active-backup', vlan: '10', address: '10.10.0.10/24' });
    assert.deepEqual(wizardChanges(onBond, 'summary', vlanOnBond), []);
    // Only what differs: a new mode keeps the bond's other options; a new host name is one change.
    assert.deepEqual(wizardChanges({ ...onBond, mode: '802.3ad', hostname: 'node2' }, 'summary', vlanOnBond).map((c) => c.change), [
      { op: 'bond.edit', name: 'bond0', options: { mode: '802.3ad', miimon: 100, updelay: 0, downdelay: 0, arp_interval: 0 } },
      { op: 'hostname.set', hostname: 'node2' },
    ]);
  });

  it('each step refuses bad input on its own field before moving on', () => {
    const base = { ...initialWizardValues(cfg, nics), type: 'bond', bondName: 'bond1', ports: 'eth1 eth4' };
    assert.match(stepErrors('mgmt', base, cfg).ports!, /eth1 is already a port of bond0/);
    const ok = { ...base, ports: 'eth3 eth4' };
    assert.match(stepErrors('vlan', { ...ok, vlan: '5000' }, cfg).vlan!, /1-4094/);
    assert.match(stepErrors('ip', { ...ok, method: 'static', address: '' }, cfg).address!, /static address is required/);
    assert.match(stepErrors('ip', { ...ok, method: 'static', address: '10.0.0.5/24', gateway: '10.9.0.1' }, cfg).gateway!, /not inside the subnet/);
    assert.match(stepErrors('dns', { ...ok, servers: 'dns.example.com' }, cfg).servers!, /must be IP addresses/);
    assert.match(stepErrors('hostname', { ...ok, hostname: '-bad-' }, cfg).hostname!, /RFC 1123/);
    assert.match(stepErrors('mgmt', { ...initialWizardValues(cfg, nics), type: 'nic', nic: 'eth2' }, cfg).nic!, /eth2 is a port of bond0/);
  });
});

describe('dashboard network line', () => {
  const host = { management: { iface: 'eth0', state: 'UP', addresses: [{ family: 'inet' as const, address: '192.168.81.10', prefix: 24, scope: 'global' }] }, gateway: '192.168.81.1' };

  it('bond health from the recorded ip -d output: healthy, then degraded when a port loses MII', () => {
    assert.deepEqual(bondHealth(fx('ip-d-addr.json')), { bonds: 1, degraded: [] });
    const links = JSON.parse(fx('ip-d-addr.json')) as { ifname: string; linkinfo?: { info_slave_data?: Record<string, unknown> } }[];
    links.find((l) => l.ifname === 'eth1')!.linkinfo!.info_slave_data!.mii_status = 'DOWN';
    assert.deepEqual(bondHealth(JSON.stringify(links)), { bonds: 1, degraded: [{ name: 'bond0', up: 1, total: 2 }] });
  });

  it('says the backend, the management interface, degraded bonds and a pending apply with its deadline', () => {
    const now = 1_000_000;
    const ok = networkStatusLine(host as never, { backend: 'networkmanager', bonds: 1, degraded: [] }, now);
    assert.deepEqual(ok, { label: 'network', text: 'NetworkManager · management eth0 up 192.168.81.10/24, gateway 192.168.81.1 · 1 bond healthy', role: 'ok' });
    const bad = networkStatusLine(host as never, { backend: 'iproute2', bonds: 1, degraded: [{ name: 'bond0', up: 1, total: 2 }], pending: { deadline: now + 41_500, who: 'root', status: 'waiting' } }, now);
    assert.equal(bad.role, 'warn');
    assert.match(bad.text, /^iproute2 \+ systemd-networkd files · management eth0 up .* · degraded: bond0 1\/2 ports up · apply pending \(root\): rolls back in 42 s unless confirmed$/);
  });

  it("reads through the core's network use cases on the recorded host, one store per core; read-only mode does not refuse it", async () => {
    const ran: string[] = [];
    const runner = {
      run: async (command: string, args: readonly string[] = []) => {
        ran.push(command);
        const out = command === 'nmcli' ? 'running\n' : command === 'ip' ? fx('ip-d-addr.json') : '';
        return { command, args: [...args], exitCode: command === 'cat' ? 1 : 0, stdout: out, stderr: '', timedOut: false, durationMs: 0 };
      },
    };
    const db = openDatabase(':memory:');
    const net = netUseCases({ db, events: new EventLog(db, { user: 'alice', channel: 'tui' }), readOnly: true, runner, watchdogCommand: null });
    const store = networkSummaryStore(net);
    assert.equal(networkSummaryStore(net), store, 'the dashboard finds the same store on its next visit');
    await store.refresh();
    store.stop();
    assert.deepEqual(store.getSnapshot().data, { backend: 'networkmanager', bonds: 1, degraded: [], pending: undefined });
    assert.deepEqual([...new Set(ran)].sort(), ['cat', 'ip', 'nmcli']);
  });
});
