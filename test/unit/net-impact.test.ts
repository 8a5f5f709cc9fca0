// What staged network changes do to the management path (the management
// interface's addresses, the links under it, the default gateway), on the
// configuration of the recorded test host (test/fixtures/net): eth0 holds
// 192.168.81.10/24 and the default route via 192.168.81.1; br10 runs over
// the VLAN bond0.10 on bond0 (eth1, eth2).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { managementIface, managementImpact, riskText } from '../../src/domain/net/impact.ts';
import { applyChanges, type NetChange, type NetConfig } from '../../src/domain/net/model.ts';
import { parseKernelState } from '../../src/host/net/read.ts';

const FIX = join(import.meta.dirname, '../fixtures/net');
const fx = (n: string) => readFileSync(join(FIX, n), 'utf8');
const cfg = parseKernelState(fx('ip-d-addr.json'), fx('ip-route-default.json'), fx('ip6-route-default.json'), 'node1', 'nameserver 192.168.81.1\nsearch example.com\n');
const reasons = (changes: NetChange[], mgmt: string | undefined = 'eth0', cur: NetConfig = cfg) => managementImpact(cur, changes, mgmt).map((r) => r.reason);

describe('management interface', () => {
  it('is the IPv4 default route\'s interface, else the IPv6 one, else the first with a global address', () => {
    assert.equal(managementIface([{ family: 'inet6', dev: 'eth1' }, { family: 'inet', dev: 'eth0' }], ['br10']), 'eth0');
    assert.equal(managementIface([{ family: 'inet6', dev: 'eth1' }], ['br10']), 'eth1');
    assert.equal(managementIface([], ['br10', 'eth0']), 'br10');
    assert.equal(managementIface([], []), undefined);
  });
});

describe('management impact', () => {
  it('nothing for no change, and for changes that leave the management path alone', () => {
    assert.deepEqual(reasons([]), []);
    assert.deepEqual(reasons([
      { op: 'hostname.set', hostname: 'node2' },
      { op: 'dns.set', servers: ['9.9.9.9'], search: [] },
      { op: 'ip.set', iface: 'eth3', family: 4, method: 'static', addresses: ['10.0.0.5/24'] },
      { op: 'bond.create', name: 'bond1', ports: ['eth3', 'eth4'], options: { mode: 'active-backup', miimon: 100 } },
      // An address added next to the one the operator uses.
      { op: 'ip.set', iface: 'eth0', family: 4, method: 'static', addresses: ['192.168.81.10/24', '192.168.81.11/24'], gateway: '192.168.81.1' },
    ]), []);
  });

  it('static to DHCP: the address and the configured gateway are named', () => {
    assert.deepEqual(reasons([{ op: 'ip.set', iface: 'eth0', family: 4, method: 'dhcp', addresses: [] }]), [
      'eth0 switches IPv4 from static to DHCP: eth0 loses 192.168.81.10/24 and takes whatever address it is given',
      'the default IPv4 gateway 192.168.81.1 (eth0) is left to DHCP',
    ]);
  });

  it('a new management address: the old one is named; removing the gateway alone is named too', () => {
    assert.deepEqual(reasons([{ op: 'ip.set', iface: 'eth0', family: 4, method: 'static', addresses: ['192.168.81.20/24'], gateway: '192.168.81.1' }]), [
      'eth0 loses 192.168.81.10/24 (IPv4 becomes static 192.168.81.20/24)',
    ]);
    assert.deepEqual(reasons([{ op: 'ip.set', iface: 'eth0', family: 4, method: 'static', addresses: ['192.168.81.10/24'] }]), [
      'the default IPv4 gateway 192.168.81.1 (eth0) is removed',
    ]);
    assert.deepEqual(reasons([{ op: 'ip.set', iface: 'eth0', family: 6, method: 'none', addresses: [] }]), ['eth0 loses fd00:81::10/64']);
  });

  it('bonding the management NIC: it loses its addresses and the default route', () => {
    const r = managementImpact(cfg, [{ op: 'bond.create', name: 'bond1', ports: ['eth0', 'eth3'], options: { mode: 'active-backup', miimon: 100 } }], 'eth0');
    assert.deepEqual(r, [
      { iface: 'eth0', reason: 'eth0 becomes a port of bond1: eth0 loses 192.168.81.10/24, fd00:81::10/64' },
      { iface: 'eth0', reason: 'the default IPv4 gateway 192.168.81.1 (eth0) is removed' },
    ]);
    assert.equal(riskText(r), 'This may disconnect you from the host: eth0 becomes a port of bond1: eth0 loses 192.168.81.10/24, fd00:81::10/64; the default IPv4 gateway 192.168.81.1 (eth0) is removed');
  });

  it('moving the management address to a bridge is still named (the address moves, the gateway moves)', () => {
    assert.deepEqual(reasons([
      { op: 'bridge.create', name: 'br0', ports: ['eth0'] },
      { op: 'ip.set', iface: 'br0', family: 4, method: 'static', addresses: ['192.168.81.10/24'], gateway: '192.168.81.1' },
    ]), [
      'eth0 becomes a port of br0: eth0 loses 192.168.81.10/24, fd00:81::10/64 (192.168.81.10/24 moves to br0)',
      'the default IPv4 gateway 192.168.81.1 (eth0) changes to 192.168.81.1 (br0)',
    ]);
  });

  it('a management interface on a bridge over a VLAN on a bond: removing the bond, emptying the bridge or changing the bond mode are named', () => {
    assert.deepEqual(reasons([{ op: 'bond.delete', name: 'bond0' }], 'br10'), [
      'bond0.10, which br10 runs over, is removed',
      'bond0, which br10 runs over, is removed',
    ]);
    assert.deepEqual(reasons([{ op: 'bond.edit', name: 'bond0', options: { mode: '802.3ad', miimon: 100 } }], 'br10'), [
      'bond bond0, which br10 runs over, changes mode active-backup -> 802.3ad (the switch ports must match it)',
    ]);
    assert.deepEqual(reasons([{ op: 'bridge.delete', name: 'br10' }], 'br10'), ['br10 is removed: br10 loses 10.10.0.10/24']);
    // The same changes say nothing about eth0's path.
    assert.deepEqual(reasons([{ op: 'bond.delete', name: 'bond0' }]), []);
  });

  it('a DHCP management interface made static gives up its lease; an unknown management interface still guards the gateway', () => {
    const dhcp = applyChanges(cfg, [{ op: 'ip.set', iface: 'eth0', family: 4, method: 'dhcp', addresses: [] }]);
    assert.deepEqual(reasons([{ op: 'ip.set', iface: 'eth0', family: 4, method: 'static', addresses: ['192.168.81.30/24'] }], 'eth0', dhcp), [
      'eth0 gives up its DHCP address (IPv4 becomes static 192.168.81.30/24)',
    ]);
    assert.deepEqual(managementImpact(cfg, [{ op: 'ip.set', iface: 'eth0', family: 4, method: 'none', addresses: [] }], undefined).map((r) => r.reason), [
      'the default IPv4 gateway 192.168.81.1 (eth0) is removed',
    ]);
  });
});
