// The host configuration a logical network's attachment needs: a VM network
// is a bridge named like it over bond0.<vlan> (or over the bond itself,
// taking its addresses and routes), a non-VM network the VLAN interface
// itself; every change the plan makes passes the host network's own
// validation in order, and every refusal names its field and rule.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planAttach, planDetach, type AttachFacts, type HostNetworkSpec } from '../../src/domain/host-networks.ts';
import { applyChanges, findIface, newIface, type NetChange, type NetConfig } from '../../src/domain/net/model.ts';
import { validateChange } from '../../src/domain/net/validate.ts';

function host(): NetConfig {
  const eth0 = { ...newIface('eth0', 'ethernet'), master: 'bond0' };
  const eth1 = { ...newIface('eth1', 'ethernet'), master: 'bond0' };
  const eth2 = newIface('eth2', 'ethernet');
  const bond0 = { ...newIface('bond0', 'bond'), bond: { mode: 'active-backup' as const, miimon: 100 }, mtu: 1500 };
  bond0.ipv4 = { method: 'static', addresses: ['192.168.77.10/24'], gateway: '192.168.77.1' };
  bond0.routes = [{ to: '10.9.0.0/16', via: '192.168.77.254' }];
  return { hostname: 'node1', dns: { servers: [], search: [] }, interfaces: [eth0, eth1, eth2, bond0] };
}

const facts = (over: Partial<AttachFacts> = {}): AttachFacts => ({ attached: [], maxMtu: () => 9000, ...over });
const net = (over: Partial<HostNetworkSpec> = {}): HostNetworkSpec => ({ name: 'vmnet', vlan: 100, mtu: null, vmNetwork: true, ...over });

/** Applies the changes one by one, each checked by the host network's own rules against the configuration before it. */
function applyValidated(cfg: NetConfig, changes: readonly NetChange[]): NetConfig {
  let c = cfg;
  for (const ch of changes) {
    assert.deepEqual(validateChange(ch, c), [], JSON.stringify(ch));
    c = applyChanges(c, [ch]);
  }
  return c;
}

const errorsOf = (v: ReturnType<typeof planAttach>) => (v.ok ? [] : v.errors);

describe('planAttach: the host configuration of a logical network on a NIC or bond', () => {
  it('a VM network with VLAN 100 on bond0: VLAN bond0.100, then a bridge named like the network over it; the bond keeps its addresses', () => {
    const v = planAttach(host(), net(), 'bond0', facts());
    assert.ok(v.ok, JSON.stringify(errorsOf(v)));
    assert.equal(v.value.device, 'vmnet');
    const after = applyValidated(host(), v.value.changes);
    assert.deepEqual(findIface(after, 'bond0.100')?.vlan, { parent: 'bond0', id: 100 });
    assert.equal(findIface(after, 'bond0.100')?.master, 'vmnet');
    assert.equal(findIface(after, 'vmnet')?.kind, 'bridge');
    assert.deepEqual(findIface(after, 'bond0')?.ipv4.addresses, ['192.168.77.10/24']);
  });

  it('an untagged VM network on bond0: the bridge over bond0 takes its address, gateway and routes', () => {
    const v = planAttach(host(), net({ vlan: null }), 'bond0', facts());
    assert.ok(v.ok, JSON.stringify(errorsOf(v)));
    const after = applyValidated(host(), v.value.changes);
    assert.equal(findIface(after, 'bond0')?.master, 'vmnet');
    assert.deepEqual(findIface(after, 'bond0')?.ipv4, { method: 'none', addresses: [] });
    assert.deepEqual(findIface(after, 'vmnet')?.ipv4, { method: 'static', addresses: ['192.168.77.10/24'], gateway: '192.168.77.1' });
    assert.deepEqual(findIface(after, 'vmnet')?.routes, [{ to: '10.9.0.0/16', via: '192.168.77.254' }]);
  });

  it('a non-VM network with VLAN 200 is the VLAN interface itself (no bridge), with the network MTU on it and on its parent', () => {
    const v = planAttach(host(), net({ name: 'storage', vlan: 200, vmNetwork: false, mtu: 9000 }), 'bond0', facts());
    assert.ok(v.ok, JSON.stringify(errorsOf(v)));
    assert.equal(v.value.device, 'bond0.200');
    const after = applyValidated(host(), v.value.changes);
    assert.equal(findIface(after, 'bond0.200')?.kind, 'vlan');
    assert.equal(findIface(after, 'bond0.200')?.mtu, 9000);
    assert.equal(findIface(after, 'bond0')?.mtu, 9000);
    assert.equal(findIface(after, 'storage'), undefined);
  });

  it('a non-VM network without a VLAN changes nothing on the host: the NIC carries it as it is', () => {
    const v = planAttach(host(), net({ name: 'backup', vlan: null, vmNetwork: false }), 'eth2', facts());
    assert.ok(v.ok);
    assert.deepEqual(v.value, { device: 'eth2', changes: [] });
  });

  it('detach gives back what attach took: the bridge and VLAN go, an untagged bridge hands its addresses back to the bond', () => {
    for (const spec of [net(), net({ vlan: null }), net({ name: 'storage', vlan: 200, vmNetwork: false })]) {
      const v = planAttach(host(), spec, 'bond0', facts());
      assert.ok(v.ok);
      const attached = applyValidated(host(), v.value.changes);
      const back = applyValidated(attached, planDetach(attached, spec, { network: spec.name, iface: 'bond0', vlan: spec.vlan }));
      assert.deepEqual(back.interfaces.map((i) => i.name).sort(), host().interfaces.map((i) => i.name).sort(), spec.name);
      assert.deepEqual(findIface(back, 'bond0')?.ipv4, host().interfaces[3]!.ipv4, spec.name);
    }
  });

  it('detach of a network whose interfaces are already gone from the host changes nothing', () => {
    assert.deepEqual(planDetach(host(), net(), { network: 'vmnet', iface: 'bond0', vlan: 100 }), []);
  });

  const refusals: [string, () => ReturnType<typeof planAttach>, string, RegExp][] = [
    ['a bond port', () => planAttach(host(), net(), 'eth0', facts()), 'iface', /interface: eth0 is a port of bond bond0: attach the network to bond0/],
    ['an unknown interface', () => planAttach(host(), net(), 'eth9', facts()), 'iface', /interface: this host has no NIC or bond named "eth9"/],
    ['an interface name that could be an option', () => planAttach(host(), net(), '-x', facts()), 'iface', /interface: must not start with '-'/],
    ['a VLAN interface instead of a NIC or bond', () => planAttach({ ...host(), interfaces: [...host().interfaces, { ...newIface('bond0.5', 'vlan'), vlan: { parent: 'bond0', id: 5 } }] }, net(), 'bond0.5', facts()), 'iface', /interface: must not contain ':', '.' or '\/'/],
    ['a network already attached', () => planAttach(host(), net(), 'bond0', facts({ attached: [{ network: 'vmnet', iface: 'eth2', vlan: 100 }] })), 'network', /network: vmnet is already attached to eth2 \(detach it first\)/],
    ['a VLAN already on the bond', () => planAttach({ ...host(), interfaces: [...host().interfaces, { ...newIface('bond0.100', 'vlan'), vlan: { parent: 'bond0', id: 100 } }] }, net(), 'bond0', facts({ attached: [{ network: 'other', iface: 'bond0', vlan: 100 }] })), 'network', /network: VLAN 100 is already on bond0 \(bond0\.100, carrying network other\)/],
    ['a second untagged network', () => planAttach(host(), net({ vlan: null }), 'bond0', facts({ attached: [{ network: 'ovirtmgmt', iface: 'bond0', vlan: null }] })), 'network', /network: bond0 already carries ovirtmgmt without a VLAN/],
    ['an MTU above the NIC limit', () => planAttach(host(), net({ mtu: 9000 }), 'bond0', facts({ maxMtu: () => 1500 })), 'mtu', /MTU: network vmnet's MTU 9000 is above bond0's limit of 1500/],
    ['a bridge name taken by an interface', () => planAttach(host(), net({ name: 'eth2' }), 'bond0', facts()), 'network', /network: this host already has an interface named eth2/],
    ['VLAN tag 0', () => planAttach(host(), net({ vlan: 0 }), 'bond0', facts()), 'network', /VLAN tag 0 \(priority tagging\)/],
  ];
  for (const [what, run, field, re] of refusals) {
    it(`refuses ${what}, naming ${field} and the rule`, () => {
      const errs = errorsOf(run());
      assert.equal(errs.length, 1, JSON.stringify(errs));
      assert.equal(errs[0]!.field, field);
      assert.match(errs[0]!.message, re);
    });
  }
});
