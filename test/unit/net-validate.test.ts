// Network configuration rules (issue #6): a validation table of good and bad
// changes against a small host, the per-mode bond options, names, addresses,
// the diff and what a list of changes makes of the configuration.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges, newIface, type NetChange, type NetConfig } from '../../src/domain/net/model.ts';
import { ifaceNameRule, inSubnet, parseCidr, validateChange } from '../../src/domain/net/validate.ts';
import { changedInterfaces, diffConfig, formatDiff, mismatches } from '../../src/domain/net/diff.ts';
import { parseKernelState } from '../../src/host/net/read.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function host(): NetConfig {
  const eth0 = newIface('eth0', 'ethernet');
  eth0.ipv4 = { method: 'static', addresses: ['192.168.1.10/24'], gateway: '192.168.1.1' };
  const bond9 = newIface('bond9', 'bond');
  bond9.bond = { mode: 'active-backup', miimon: 100 };
  const eth3 = { ...newIface('eth3', 'ethernet'), master: 'bond9' };
  return { hostname: 'node1', dns: { servers: ['192.168.1.1'], search: ['example.com'] }, interfaces: [eth0, newIface('eth1', 'ethernet'), newIface('eth2', 'ethernet'), eth3, bond9] };
}

const bond = (options: Record<string, unknown>, ports = ['eth1', 'eth2']): NetChange => ({ op: 'bond.create', name: 'bond0', ports, options: options as never });

describe('network change validation table', () => {
  const ok: [string, NetChange][] = [
    ['balance-rr with miimon, updelay, downdelay', bond({ mode: 'balance-rr', miimon: 100, updelay: 200, downdelay: 300 })],
    ['active-backup with primary', bond({ mode: 'active-backup', miimon: 100, primary: 'eth2' })],
    ['balance-xor with a hash policy', bond({ mode: 'balance-xor', xmit_hash_policy: 'layer3+4' })],
    ['broadcast with ARP monitoring', bond({ mode: 'broadcast', arp_interval: 200, arp_ip_target: ['192.168.1.1', '192.168.1.2'] })],
    ['802.3ad with lacp_rate, hash policy, ad_select', bond({ mode: '802.3ad', miimon: 100, lacp_rate: 'fast', xmit_hash_policy: 'layer2+3', ad_select: 'bandwidth' })],
    ['balance-tlb with primary', bond({ mode: 'balance-tlb', miimon: 100, primary: 'eth1' })],
    ['balance-alb with a hash policy', bond({ mode: 'balance-alb', miimon: 100, xmit_hash_policy: 'layer2' })],
    ['one port is enough', bond({ mode: 'active-backup' }, ['eth1'])],
    ['VLAN on a NIC', { op: 'vlan.create', parent: 'eth1', id: 100 }],
    ['VLAN 4094 on a bond', { op: 'vlan.create', parent: 'bond9', id: 4094 }],
    ['VLAN named as its own default parent.id', { op: 'vlan.create', parent: 'eth1', id: 100, name: 'eth1.100' }],
    ['VLAN with a name of its own', { op: 'vlan.create', parent: 'eth1', id: 100, name: 'storage' }],
    ['bridge over a NIC', { op: 'bridge.create', name: 'ovirtmgmt', ports: ['eth1'] }],
    ['static with gateway inside', { op: 'ip.set', iface: 'eth0', family: 4, method: 'static', addresses: ['10.0.0.5/24'], gateway: '10.0.0.1' }],
    ['/31 point-to-point', { op: 'ip.set', iface: 'eth1', family: 4, method: 'static', addresses: ['10.0.0.0/31'] }],
    ['IPv6 static with gateway', { op: 'ip.set', iface: 'eth1', family: 6, method: 'static', addresses: ['fd00::5/64'], gateway: 'fd00::1' }],
    ['IPv6 SLAAC', { op: 'ip.set', iface: 'eth1', family: 6, method: 'auto', addresses: [] }],
    ['DHCP', { op: 'ip.set', iface: 'eth1', family: 4, method: 'dhcp', addresses: [] }],
    ['DNS and search domains', { op: 'dns.set', servers: ['1.1.1.1', '2001:db8::53'], search: ['lab.example.com'] }],
    ['FQDN host name', { op: 'hostname.set', hostname: 'node-1.lab.example.com' }],
    ['jumbo MTU', { op: 'mtu.set', iface: 'eth1', mtu: 9000 }],
    ['a static route', { op: 'route.add', iface: 'eth0', to: '10.20.0.0/16', via: '192.168.1.254', metric: 100 }],
  ];
  for (const [name, c] of ok) {
    it(`accepts: ${name}`, () => assert.deepEqual(validateChange(c, host()), []));
  }

  const bad: [string, NetChange, string, RegExp][] = [
    ['no port', bond({ mode: 'active-backup' }, []), 'ports', /at least one port/],
    ['a port of another bond', bond({ mode: 'active-backup' }, ['eth3']), 'ports', /already a port of bond9/],
    ['a port twice', bond({ mode: 'active-backup' }, ['eth1', 'eth1']), 'ports', /listed twice/],
    ['a missing port', bond({ mode: 'active-backup' }, ['eth7']), 'ports', /does not exist/],
    ['a bond as a bond port', bond({ mode: 'active-backup' }, ['bond9']), 'ports', /ports must be ethernet/],
    ['unknown mode', bond({ mode: 'round-robin' }), 'mode', /must be one of/],
    ['lacp_rate outside 802.3ad', bond({ mode: 'balance-xor', lacp_rate: 'fast' }), 'lacp_rate', /only applies to mode 802.3ad/],
    ['ad_select outside 802.3ad', bond({ mode: 'active-backup', ad_select: 'count' }), 'ad_select', /only applies to mode 802.3ad/],
    ['xmit_hash_policy in active-backup', bond({ mode: 'active-backup', xmit_hash_policy: 'layer2' }), 'xmit_hash_policy', /only applies to modes balance-xor/],
    ['xmit_hash_policy in balance-rr', bond({ mode: 'balance-rr', xmit_hash_policy: 'layer2' }), 'xmit_hash_policy', /only applies/],
    ['miimon with arp_interval', bond({ mode: 'balance-rr', miimon: 100, arp_interval: 100, arp_ip_target: ['192.168.1.1'] }), 'arp_interval', /together with miimon/],
    ['arp_interval without targets', bond({ mode: 'balance-rr', arp_interval: 100 }), 'arp_ip_target', /required with arp_interval/],
    ['ARP monitoring in 802.3ad', bond({ mode: '802.3ad', arp_interval: 100, arp_ip_target: ['192.168.1.1'] }), 'arp_interval', /not available in mode 802.3ad/],
    ['a target that is not IPv4', bond({ mode: 'balance-rr', arp_interval: 100, arp_ip_target: ['fd00::1'] }), 'arp_ip_target', /IPv4/],
    ['primary not a port', bond({ mode: 'active-backup', primary: 'eth0' }), 'primary', /one of the bond's ports/],
    ['primary in balance-xor', bond({ mode: 'balance-xor', primary: 'eth1' }), 'primary', /only applies to modes active-backup/],
    ['updelay without miimon', bond({ mode: 'active-backup', updelay: 200 }), 'updelay', /needs miimon/],
    ['updelay not a multiple of miimon', bond({ mode: 'active-backup', miimon: 100, updelay: 150 }), 'updelay', /multiple of miimon/],
    ['negative miimon', bond({ mode: 'active-backup', miimon: -1 }), 'miimon', /whole number/],
    ['an unknown option', bond({ mode: 'active-backup', fail_over_mac: 1 }), 'fail_over_mac', /not a bond option/],
    ['name of 16 characters', { op: 'bond.create', name: 'b'.repeat(16), ports: ['eth1'], options: { mode: 'active-backup' } }, 'name', /at most 15/],
    ['name with a colon', { op: 'bridge.create', name: 'br:0', ports: [] }, 'name', /':', '.' or '\/'/],
    ['name with a dot', { op: 'bridge.create', name: 'br.0', ports: [] }, 'name', /':', '.' or '\/'/],
    ['name with a slash', { op: 'bridge.create', name: 'br/0', ports: [] }, 'name', /':', '.' or '\/'/],
    ['name with a space', { op: 'bridge.create', name: 'br 0', ports: [] }, 'name', /whitespace/],
    ['name with a leading dash', { op: 'bridge.create', name: '-br0', ports: [] }, 'name', /start with '-'/],
    ['name with NUL', { op: 'bridge.create', name: 'br\u00000', ports: [] }, 'name', /NUL/],
    ['an existing name', { op: 'bridge.create', name: 'eth1', ports: [] }, 'name', /already exists/],
    ['VLAN 0', { op: 'vlan.create', parent: 'eth1', id: 0 }, 'id', /1-4094/],
    ['VLAN 4095', { op: 'vlan.create', parent: 'eth1', id: 4095 }, 'id', /1-4094/],
    ['VLAN on a bond port', { op: 'vlan.create', parent: 'eth3', id: 10 }, 'parent', /port of bond9/],
    ['VLAN on a missing parent', { op: 'vlan.create', parent: 'eth8', id: 10 }, 'parent', /does not exist/],
    ["VLAN named as another VLAN's parent.id", { op: 'vlan.create', parent: 'eth1', id: 100, name: 'eth2.100' }, 'name', /may contain '\.' only as this VLAN's own name eth1\.100/],
    ['gateway outside the subnet', { op: 'ip.set', iface: 'eth1', family: 4, method: 'static', addresses: ['10.0.0.5/24'], gateway: '10.0.1.1' }, 'gateway', /not inside the subnet/],
    ['static mixed with DHCP', { op: 'ip.set', iface: 'eth1', family: 4, method: 'dhcp', addresses: ['10.0.0.5/24'] }, 'address', /cannot be mixed with dhcp/],
    ['static without an address', { op: 'ip.set', iface: 'eth1', family: 4, method: 'static', addresses: [] }, 'address', /at least one address/],
    ['an address without prefix', { op: 'ip.set', iface: 'eth1', family: 4, method: 'static', addresses: ['10.0.0.5'] }, 'address', /with a prefix/],
    ['a network address', { op: 'ip.set', iface: 'eth1', family: 4, method: 'static', addresses: ['10.0.0.0/24'] }, 'address', /network address/],
    ['a broadcast address', { op: 'ip.set', iface: 'eth1', family: 4, method: 'static', addresses: ['10.0.0.255/24'] }, 'address', /broadcast address/],
    ['prefix 33', { op: 'ip.set', iface: 'eth1', family: 4, method: 'static', addresses: ['10.0.0.5/33'] }, 'address', /with a prefix/],
    ['IPv6 address on IPv4', { op: 'ip.set', iface: 'eth1', family: 4, method: 'static', addresses: ['fd00::5/64'] }, 'address', /IPv4/],
    ['SLAAC on IPv4', { op: 'ip.set', iface: 'eth1', family: 4, method: 'auto', addresses: [] }, 'method', /IPv6 only/],
    ['an address on a bond port', { op: 'ip.set', iface: 'eth3', family: 4, method: 'dhcp', addresses: [] }, 'iface', /port of bond9/],
    ['a second default gateway', { op: 'ip.set', iface: 'eth1', family: 4, method: 'static', addresses: ['10.0.0.5/24'], gateway: '10.0.0.1' }, '', /./],
    ['a DNS server that is a name', { op: 'dns.set', servers: ['dns.example.com'], search: [] }, 'servers', /IP addresses/],
    ['four DNS servers', { op: 'dns.set', servers: ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4'], search: [] }, 'servers', /at most 3/],
    ['a search domain with a space', { op: 'dns.set', servers: [], search: ['a b'] }, 'search', /domain names/],
    ['host name with underscore', { op: 'hostname.set', hostname: 'node_1' }, 'hostname', /RFC 1123/],
    ['host name with a leading dash', { op: 'hostname.set', hostname: '-node' }, 'hostname', /RFC 1123/],
    ['host name label of 64', { op: 'hostname.set', hostname: 'a'.repeat(64) }, 'hostname', /RFC 1123/],
    ['MTU 67', { op: 'mtu.set', iface: 'eth1', mtu: 67 }, 'mtu', /68-65535/],
    ['MTU 70000', { op: 'mtu.set', iface: 'eth1', mtu: 70000 }, 'mtu', /68-65535/],
    ['a route without prefix', { op: 'route.add', iface: 'eth0', to: '10.20.0.0' }, 'to', /with a prefix/],
    ['deleting a route that is not there', { op: 'route.delete', iface: 'eth0', to: '10.99.0.0/16' }, 'to', /no route/],
    ['an unknown operation', { op: 'bond.explode' } as unknown as NetChange, 'op', /unknown operation/],
  ];
  for (const [name, c, field, msg] of bad) {
    if (name === 'a second default gateway') continue;
    it(`refuses: ${name}`, () => {
      const errs = validateChange(c, host());
      assert.ok(errs.some((e) => e.field === field && msg.test(e.message)), JSON.stringify(errs));
    });
  }

  it('refuses a second IPv4 default gateway on another interface', () => {
    const errs = validateChange({ op: 'ip.set', iface: 'eth1', family: 4, method: 'static', addresses: ['10.0.0.5/24'], gateway: '10.0.0.1' }, host());
    // eth1 is fine alone; it is the pair with eth0's gateway that is refused.
    assert.ok(errs.some((e) => e.field === 'gateway' && /only one interface/.test(e.message)), JSON.stringify(errs));
  });
});

describe('network names and addresses', () => {
  it('interface names: 15 characters at most, no separators, no leading dash', () => {
    assert.equal(ifaceNameRule('bond0'), undefined);
    assert.equal(ifaceNameRule('a'.repeat(15)), undefined);
    for (const bad of ['', 'a'.repeat(16), 'a:b', 'a.b', 'a/b', 'a b', 'a\tb', '-a', 'a\u0000', 'a;b', '$(x)', 'a|b']) assert.ok(ifaceNameRule(bad), bad);
  });
  it('CIDR and subnets, both families', () => {
    assert.deepEqual(parseCidr('192.168.1.10/24'), { family: 4, address: '192.168.1.10', prefix: 24 });
    assert.equal(parseCidr('192.168.1.10'), undefined);
    assert.equal(parseCidr('fd00::1/129'), undefined);
    assert.ok(inSubnet('192.168.1.1', parseCidr('192.168.1.10/24')!));
    assert.ok(!inSubnet('192.168.2.1', parseCidr('192.168.1.10/24')!));
    assert.ok(inSubnet('fd00::1', parseCidr('fd00::10/64')!));
    assert.ok(!inSubnet('fd01::1', parseCidr('fd00::10/64')!));
  });
});

describe('issue #13: bond names, gateways that are not hosts, host names with a trailing dot', () => {
  const bondNamed = (name: string): NetChange => ({ op: 'bond.create', name, ports: ['eth1'], options: { mode: 'active-backup', miimon: 100 } });
  it('a new bond is named bond + letters, digits or _ (what the oVirt engine manages), 15 characters at most', () => {
    for (const good of ['bond0', 'bond_mgmt', 'bondA1', `bond${'9'.repeat(11)}`]) assert.deepEqual(validateChange(bondNamed(good), host()), [], good);
    for (const bad of ['mybond', 'eth5', 'bond', 'bond-1', 'Bond0', 'team0', 'br0', 'bond+1', 'bond@eth0']) {
      const errs = validateChange(bondNamed(bad), host());
      assert.ok(errs.some((e) => e.field === 'name' && /'bond' followed by one or more letters, digits or '_'/.test(e.message) && e.message.includes(JSON.stringify(bad))), `${bad}: ${JSON.stringify(errs)}`);
    }
    const long = validateChange(bondNamed(`bond${'9'.repeat(12)}`), host());
    assert.ok(long.some((e) => e.field === 'name' && /at most 15 characters/.test(e.message)), JSON.stringify(long));
  });
  it('a bond the host already has keeps working whatever its name (the rule is for new bonds)', () => {
    const cfg = host();
    cfg.interfaces.find((i) => i.name === 'bond9')!.name = 'team0';
    cfg.interfaces.find((i) => i.name === 'eth3')!.master = 'team0';
    assert.deepEqual(validateChange({ op: 'bond.delete', name: 'team0' }, cfg), []);
  });

  const gw = (family: 4 | 6, address: string, gateway: string): NetChange => ({ op: 'ip.set', iface: 'eth0', family, method: 'static', addresses: [address], gateway });
  it('refuses a gateway that is the network or broadcast address of the subnet, naming the field', () => {
    for (const [address, gateway, role] of [
      ['192.168.1.10/24', '192.168.1.0', 'network address'], ['192.168.1.10/24', '192.168.1.255', 'broadcast address'],
      ['10.0.0.5/30', '10.0.0.4', 'network address'], ['10.0.0.5/30', '10.0.0.7', 'broadcast address'],
      ['172.16.5.1/12', '172.31.255.255', 'broadcast address'],
    ] as const) {
      const errs = validateChange(gw(4, address, gateway), host());
      assert.ok(errs.some((e) => e.field === 'gateway' && e.message.startsWith(`${gateway} is the ${role} of the subnet of ${address}`)), `${address} ${gateway}: ${JSON.stringify(errs)}`);
    }
  });
  it('IPv6: refuses the subnet-router anycast address (all-zeros host part) as gateway, link-local too', () => {
    for (const [address, gateway] of [['fd00::5/64', 'fd00::'], ['2001:db8:1:2::5/56', '2001:db8:1::'], ['fd00::5/64', 'fe80::']] as const) {
      const errs = validateChange(gw(6, address, gateway), host());
      assert.ok(errs.some((e) => e.field === 'gateway' && /subnet-router anycast address/.test(e.message)), `${address} ${gateway}: ${JSON.stringify(errs)}`);
    }
  });
  it('a /31 (RFC 3021) and a /127 (RFC 6164) have no network or broadcast address: the other end is the gateway', () => {
    assert.deepEqual(validateChange(gw(4, '10.0.0.0/31', '10.0.0.1'), host()), []);
    assert.deepEqual(validateChange(gw(4, '10.0.0.1/31', '10.0.0.0'), host()), []);
    assert.deepEqual(validateChange(gw(6, 'fd00::1/127', 'fd00::'), host()), []);
    assert.deepEqual(validateChange(gw(4, '10.0.0.5/24', '10.0.0.1'), host()), []);
    assert.deepEqual(validateChange(gw(6, 'fd00::5/64', 'fd00::1'), host()), []);
  });
  it('a /32 has no subnet to hold a gateway: refused, and the message says why', () => {
    const errs = validateChange(gw(4, '10.0.0.5/32', '10.0.0.1'), host());
    assert.ok(errs.some((e) => e.field === 'gateway' && /a \/32 is a single address with no subnet for a gateway/.test(e.message)), JSON.stringify(errs));
  });

  it('refuses a host name with a trailing dot and says what to give instead', () => {
    for (const [name, plain] of [['node1.', 'node1'], ['node1.lab.example.com.', 'node1.lab.example.com']]) {
      const errs = validateChange({ op: 'hostname.set', hostname: name }, host());
      assert.ok(errs.some((e) => e.field === 'hostname' && /must not end with '\.'/.test(e.message) && e.message.includes(`give ${JSON.stringify(plain)}`)), `${name}: ${JSON.stringify(errs)}`);
    }
    assert.ok(validateChange({ op: 'hostname.set', hostname: '.' }, host()).some((e) => e.field === 'hostname' && /RFC 1123/.test(e.message)));
    assert.ok(validateChange({ op: 'hostname.set', hostname: 'node1..' }, host()).some((e) => e.field === 'hostname' && /RFC 1123/.test(e.message)));
  });
});

describe('staged changes make the desired configuration and a readable diff', () => {
  const changes: NetChange[] = [
    { op: 'bond.create', name: 'bond0', ports: ['eth1', 'eth2'], options: { mode: '802.3ad', miimon: 100, lacp_rate: 'fast' } },
    { op: 'vlan.create', parent: 'bond0', id: 100 },
    { op: 'bridge.create', name: 'ovirtmgmt', ports: ['bond0.100'] },
    { op: 'ip.set', iface: 'ovirtmgmt', family: 4, method: 'static', addresses: ['10.1.0.5/24'] },
    { op: 'hostname.set', hostname: 'node2' },
  ];
  it('each change validates against the result of the ones before it', () => {
    let cfg = host();
    for (const c of changes) {
      assert.deepEqual(validateChange(c, cfg), [], JSON.stringify(c));
      cfg = applyChanges(cfg, [c]);
    }
    assert.equal(cfg.interfaces.find((i) => i.name === 'eth1')?.master, 'bond0');
    assert.equal(cfg.interfaces.find((i) => i.name === 'bond0.100')?.master, 'ovirtmgmt');
  });
  it('the diff names every object in plain words', () => {
    const want = applyChanges(host(), changes);
    const text = formatDiff(diffConfig(host(), want));
    assert.match(text, /^~ host name node1 -> node2$/m);
    assert.match(text, /^\+ bond0: bond, 802\.3ad miimon=100 lacp_rate=fast, ports eth1, eth2$/m);
    assert.match(text, /^\+ bond0\.100: vlan, id 100 on bond0, port of ovirtmgmt$/m);
    assert.match(text, /^\+ ovirtmgmt: bridge, stp off, ports bond0\.100, ipv4 static 10\.1\.0\.5\/24$/m);
    assert.match(text, /^~ eth1: becomes a port of bond0$/m);
    assert.deepEqual(changedInterfaces(host(), want), { added: ['bond0', 'bond0.100', 'ovirtmgmt'], removed: [], changed: ['eth1', 'eth2'] });
    assert.equal(formatDiff(diffConfig(host(), host())), '(no changes)');
  });
  it('deleting a bond releases its ports and takes its VLANs along', () => {
    const want = applyChanges(applyChanges(host(), changes), [{ op: 'bridge.delete', name: 'ovirtmgmt' }, { op: 'bond.delete', name: 'bond0' }]);
    assert.equal(want.interfaces.find((i) => i.name === 'eth1')?.master, undefined);
    assert.equal(want.interfaces.find((i) => i.name === 'bond0.100'), undefined);
  });
  it('verification reports what the host does not show', () => {
    const want = applyChanges(host(), changes);
    const got = applyChanges(host(), [changes[0]!]);
    const left = mismatches(want, got, ['bond0', 'bond0.100', 'ovirtmgmt']);
    assert.ok(left.includes('bond0.100 does not exist'), left.join('\n'));
    assert.ok(left.includes('host name is node1, not node2'), left.join('\n'));
    assert.deepEqual(mismatches(want, want, ['bond0', 'bond0.100', 'ovirtmgmt']), []);
  });

  it('DHCP: an IPv4 lease must read back as DHCP; for IPv6 a lease read as dhcp or, next to SLAAC addresses, as auto counts', () => {
    const want = host();
    const wantEth0 = want.interfaces.find((i) => i.name === 'eth0')!;
    wantEth0.ipv4 = { method: 'dhcp', addresses: [] };
    wantEth0.ipv6 = { method: 'dhcp', addresses: [] };
    const got = host();
    const gotEth0 = got.interfaces.find((i) => i.name === 'eth0')!;
    gotEth0.ipv4 = { method: 'dhcp', addresses: [] };
    gotEth0.ipv6 = { method: 'auto', addresses: [] };
    assert.deepEqual(mismatches(want, got, ['eth0']), []);
    gotEth0.ipv6 = { method: 'none', addresses: [] };
    gotEth0.ipv4 = { method: 'static', addresses: ['192.168.1.10/24'] };
    assert.deepEqual(mismatches(want, got, ['eth0']), ['eth0 has no DHCP lease yet', 'eth0 has no DHCPv6 lease yet']);
  });
});

describe('the kernel state read back as a NetConfig (recorded in a test host, test/fixtures/net)', () => {
  it('bond, VLAN on the bond, bridge on the VLAN, addresses and the default gateway', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseKernelState } = await import('../../src/host/net/read.ts');
    const addr = readFileSync(new URL('../fixtures/net/ip-d-addr.json', import.meta.url), 'utf8');
    const route = readFileSync(new URL('../fixtures/net/ip-route-default.json', import.meta.url), 'utf8');
    const cfg = parseKernelState(addr, route, '[]', 'node1\n', 'nameserver 192.168.81.1\nsearch lab.example\n');
    const by = (n: string) => cfg.interfaces.find((i) => i.name === n);
    assert.equal(by('lo'), undefined, 'loopback is not configured here');
    assert.deepEqual(by('eth0')?.ipv4, { method: 'static', addresses: ['192.168.81.10/24'], gateway: '192.168.81.1' });
    assert.deepEqual(by('eth0')?.ipv6, { method: 'static', addresses: ['fd00:81::10/64'] });
    assert.equal(by('eth1')?.master, 'bond0');
    assert.deepEqual(by('bond0')?.bond, { mode: 'active-backup', miimon: 100, updelay: 0, downdelay: 0, arp_interval: 0 });
    assert.deepEqual(by('bond0.10')?.vlan, { parent: 'bond0', id: 10 });
    assert.equal(by('bond0.10')?.master, 'br10');
    assert.deepEqual(by('br10')?.bridge, { stp: false });
    assert.deepEqual(by('br10')?.ipv4.addresses, ['10.10.0.10/24']);
    assert.deepEqual(cfg.dns, { servers: ['192.168.81.1'], search: ['lab.example'] });
    assert.equal(cfg.hostname, 'node1');
  });
});

describe('interfaces hostdeck does not configure (the recorded test host plus an ifb0, as `ip -j -d addr show` lists it)', () => {
  const fx = (n: string) => readFileSync(join(import.meta.dirname, '../fixtures/net', n), 'utf8');
  const links = JSON.parse(fx('ip-d-addr.json')) as unknown[];
  links.push({ ifindex: 40, ifname: 'ifb0', flags: ['BROADCAST', 'NOARP'], mtu: 1500, qdisc: 'noop', operstate: 'DOWN', link_type: 'ether', address: '9a:3c:51:0e:77:10', linkinfo: { info_kind: 'ifb' }, addr_info: [] });
  const cur = parseKernelState(JSON.stringify(links), fx('ip-route-default.json'), fx('ip6-route-default.json'), 'node1', '');

  it('a port that is an ifb interface is refused for what it is, not as missing', () => {
    const e = validateChange({ op: 'bond.create', name: 'bond7', ports: ['eth3', 'ifb0'], options: { mode: 'active-backup', miimon: 100 } }, cur);
    assert.deepEqual(e.map((x) => `${x.field}: ${x.message}`), ['ports: ifb0 (type ifb) cannot be a port; ports must be ethernet']);
  });

  it('its name is taken; an IP change on it says hostdeck does not configure it; a name nobody has still does not exist', () => {
    assert.deepEqual(validateChange({ op: 'bridge.create', name: 'ifb0', ports: ['eth3'] }, cur).map((x) => x.message), ['ifb0 already exists']);
    assert.deepEqual(validateChange({ op: 'mtu.set', iface: 'ifb0', mtu: 9000 }, cur).map((x) => x.message), ['ifb0 (type ifb) is not configured by hostdeck']);
    assert.deepEqual(validateChange({ op: 'mtu.set', iface: 'ifb9', mtu: 9000 }, cur).map((x) => x.message), ['ifb9 does not exist']);
  });
});
