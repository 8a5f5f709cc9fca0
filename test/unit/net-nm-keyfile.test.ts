// NetworkManager keyfiles (issue #6): what the NetworkManager backend writes
// for each interface before it loads them all in one D-Bus call, and the
// MTU rules of the model (a bond's ports follow the bond; a port released
// from a bond gets its old MTU back from the kernel). The system suite
// (net-backends-nm) proves NetworkManager reads these files; here the text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges, findIface, newIface, type NetChange, type NetConfig } from '../../src/domain/net/model.ts';
import { keyfilePath, keyfileText, profileUuid } from '../../src/host/net/nm.ts';

function host(): NetConfig {
  const eth0 = { ...newIface('eth0', 'ethernet'), mtu: 1500 };
  return { hostname: 'node1', dns: { servers: [], search: [] }, interfaces: [eth0, { ...newIface('eth1', 'ethernet'), mtu: 1500 }, { ...newIface('eth2', 'ethernet'), mtu: 1500 }] };
}

/** The keyfile as section -> key -> value. */
function parse(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let sec = '';
  for (const line of text.split('\n')) {
    const h = /^\[(.+)\]$/.exec(line);
    if (h) { sec = h[1]!; out[sec] = {}; continue; }
    if (!line || line.startsWith('#')) continue;
    const k = line.indexOf('=');
    out[sec]![line.slice(0, k)] = line.slice(k + 1);
  }
  return out;
}

const stack: NetChange[] = [
  { op: 'bond.create', name: 'bond0', ports: ['eth0', 'eth1'], options: { mode: '802.3ad', miimon: 100, lacp_rate: 'fast', xmit_hash_policy: 'layer2+3' } },
  { op: 'vlan.create', parent: 'bond0', id: 100 },
  { op: 'bridge.create', name: 'br100', ports: ['bond0.100'], stp: false },
  { op: 'ip.set', iface: 'br100', family: 4, method: 'static', addresses: ['10.100.0.1/24', '10.100.1.1/24'], gateway: '10.100.0.254' },
  { op: 'ip.set', iface: 'br100', family: 6, method: 'static', addresses: ['2001:db8::1/64'] },
  { op: 'route.add', iface: 'br100', to: '10.250.0.0/16', via: '10.100.0.254', metric: 50 },
  { op: 'mtu.set', iface: 'bond0', mtu: 9000 },
  { op: 'mtu.set', iface: 'bond0.100', mtu: 9000 },
  { op: 'mtu.set', iface: 'br100', mtu: 9000 },
];

describe('NetworkManager keyfiles for a bond, a VLAN on it and a bridge on the VLAN', () => {
  const cfg = applyChanges(host(), stack);
  const kf = (n: string) => parse(keyfileText(findIface(cfg, n)!, cfg));

  it('the bond: its options in [bond], autoconnect-slaves, its MTU; no addresses of its own', () => {
    const b = kf('bond0');
    assert.equal(b.connection!.id, 'hostdeck-bond0');
    assert.equal(b.connection!.type, 'bond');
    assert.equal(b.connection!['interface-name'], 'bond0');
    assert.equal(b.connection!['autoconnect-slaves'], '1');
    assert.deepEqual(b.bond, { mode: '802.3ad', miimon: '100', lacp_rate: 'fast', xmit_hash_policy: 'layer2+3' });
    assert.equal(b.ethernet!.mtu, '9000');
    assert.equal(b.ipv4!.method, 'disabled');
    assert.equal(b.ipv6!.method, 'disabled');
  });

  it('the ports name their bond and take its MTU, with no IP sections', () => {
    const p = kf('eth0');
    assert.equal(p.connection!.master, 'bond0');
    assert.equal(p.connection!['slave-type'], 'bond');
    assert.equal(p.ethernet!.mtu, '9000');
    assert.equal(p.ipv4, undefined);
    assert.equal(findIface(cfg, 'eth1')?.mtu, 9000, 'the model: a bond\'s ports follow its MTU');
    assert.equal(findIface(cfg, 'eth2')?.mtu, 1500, 'a NIC outside the bond keeps its own');
  });

  it('the VLAN and the bridge carry their MTU in [ethernet] (NetworkManager sets it only from there)', () => {
    const v = kf('bond0.100');
    assert.deepEqual(v.vlan, { id: '100', parent: 'bond0' });
    assert.equal(v.connection!.master, 'br100');
    assert.equal(v.connection!['slave-type'], 'bridge');
    assert.equal(v.ethernet!.mtu, '9000');
    const br = kf('br100');
    assert.equal(br.ethernet!.mtu, '9000');
    assert.equal(br.bridge!.stp, 'false');
  });

  it('the bridge\'s addresses (gateway on the first), IPv6 and routes', () => {
    const br = kf('br100');
    assert.equal(br.ipv4!.method, 'manual');
    assert.equal(br.ipv4!.address1, '10.100.0.1/24,10.100.0.254');
    assert.equal(br.ipv4!.address2, '10.100.1.1/24');
    assert.equal(br.ipv4!.route1, '10.250.0.0/16,10.100.0.254,50');
    assert.equal(br.ipv6!.method, 'manual');
    assert.equal(br.ipv6!.address1, '2001:db8::1/64');
  });

  it('one stable UUID per interface name, and a fixed file per profile', () => {
    assert.match(profileUuid('bond0'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(profileUuid('bond0'), profileUuid('bond0'));
    assert.notEqual(profileUuid('bond0'), profileUuid('bond1'));
    assert.equal(kf('bond0').connection!.uuid, profileUuid('bond0'));
    assert.equal(keyfilePath('bond0.100'), '/etc/NetworkManager/system-connections/hostdeck-bond0.100.nmconnection');
  });

  it('DHCP, SLAAC and none as NetworkManager names them', () => {
    const c = applyChanges(host(), [
      { op: 'ip.set', iface: 'eth2', family: 4, method: 'dhcp', addresses: [] },
      { op: 'ip.set', iface: 'eth2', family: 6, method: 'auto', addresses: [] },
    ]);
    const k = parse(keyfileText(findIface(c, 'eth2')!, c));
    assert.equal(k.ipv4!.method, 'auto');
    assert.equal(k.ipv6!.method, 'auto');
    assert.equal(k.ethernet!.mtu, '1500');
  });

  it('a value with a line break never becomes a keyfile (it could add keys or sections)', () => {
    const c = host();
    const bad = { ...newIface('eth1', 'ethernet'), ipv4: { method: 'static' as const, addresses: ['10.0.0.1/24\n[ipv6]'] } };
    assert.throws(() => keyfileText(bad, c), /line break/);
  });
});

describe('MTU of bond ports in the model', () => {
  it('a port released from a deleted bond has no MTU the apply would insist on (the kernel restores its old one)', () => {
    const made = applyChanges(host(), stack);
    const gone = applyChanges(made, [{ op: 'bridge.delete', name: 'br100' }, { op: 'bond.delete', name: 'bond0' }]);
    assert.equal(findIface(gone, 'eth0')?.master, undefined);
    assert.equal(findIface(gone, 'eth0')?.mtu, undefined);
  });

  it('a port joining a bond with an MTU takes it', () => {
    const c = applyChanges(host(), [
      { op: 'bond.create', name: 'bond0', ports: ['eth0'], options: { mode: 'active-backup', miimon: 100 } },
      { op: 'mtu.set', iface: 'bond0', mtu: 4000 },
      { op: 'bond.edit', name: 'bond0', ports: ['eth0', 'eth2'] },
    ]);
    assert.equal(findIface(c, 'eth2')?.mtu, 4000);
  });
});
