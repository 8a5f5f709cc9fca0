// "Setup host networks" on a real Linux test host: a bond of two NICs, a VM
// logical network with VLAN 100 attached to it through the core's use case,
// which stages the bridge over bond0.100 and runs it through the host
// network's safe apply (checkpoint, verify, probes, confirm). The kernel
// (`ip -j -d link`) then has the bridge over bond0.100 and the attachment is
// recorded; an attach nobody confirms is rolled back and records nothing;
// detaching takes bridge and VLAN away. The core, the state DB (real SQLite)
// and the manager run here, every program in the test host through
// testHostRunner. One test host for every case.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHostNetworkUseCases, type HostNetworkUseCases } from '../../src/core/host-networks.ts';
import { createLogicalNetworkUseCases, type LogicalNetworkUseCases } from '../../src/core/logical-networks.ts';
import { testDoor } from '../lib/door.ts';
import { netUseCases } from '../lib/net-core.ts';
import { testServices } from '../lib/services.ts';
import { makeBond0, Segment, TestHost, testHostRunner } from '../lib/testhost/index.ts';

const PEER = '192.168.78.1';
const BOND_IP = '192.168.78.10';

interface IpLink { ifname: string; master?: string; link?: string; linkinfo?: { info_kind?: string; info_data?: { id?: number } } }

describe('setup host networks: a VM network with VLAN 100 on a bond of a test host, through the safe apply', { timeout: 300_000 }, () => {
  let seg: Segment | undefined;
  let host: TestHost | undefined;
  let services: ReturnType<typeof testServices> | undefined;
  let hn: HostNetworkUseCases;
  let ln: LogicalNetworkUseCases;
  const guard = <A extends unknown[]>(fn: (...a: A) => Promise<void>) => TestHost.keepLogsOnFailure(() => [host], fn);
  const links = async (): Promise<Map<string, IpLink>> => new Map((JSON.parse((await host!.mustRun(['ip', '-j', '-d', 'link', 'show'])).stdout) as IpLink[]).map((l) => [l.ifname, l]));
  const messages = () => services!.events.list({}).map((e) => e.message);

  before(async () => {
    seg = await Segment.create({ name: 'hostnet', address: `${PEER}/24` });
    host = new TestHost({ name: 'hostnet', nics: [{ segment: seg }, { segment: seg }] });
    await host.boot();
    await makeBond0(host, [`addr add ${BOND_IP}/24 dev bond0`, `route add default via ${PEER}`]);
    // DNS at the segment's peer: the apply's DNS probe gets a quick answer or refusal.
    await host.writeFile('/etc/resolv.conf', `nameserver ${PEER}\n`);
    services = testServices();
    const door = testDoor(services.events);
    const net = netUseCases({ runner: testHostRunner(host), db: services.db, events: services.events, backend: 'iproute2', watchdogCommand: null, stateDir: '/run/hostdeck-net' });
    hn = createHostNetworkUseCases({ infra: services, door }, net);
    ln = createLogicalNetworkUseCases({ infra: services, door });
    await ln.create({ name: 'vmnet', vlan: 100, vmNetwork: true, description: 'VMs on VLAN 100' });
  });
  after(async () => {
    await services?.cleanup();
    await host?.destroy();
    await seg?.dispose();
  });

  it('attached without confirmation: applied, then rolled back at the timeout; bond0.100 and the bridge are gone, nothing recorded, the failure event says why', guard(async () => {
    let applied = false;
    await assert.rejects(hn.attach({ network: 'vmnet', iface: 'bond0' }, { confirmTimeoutS: 5, onApplied: () => { applied = true; } }), /not confirmed within 5 s; the previous configuration is back and nothing was recorded/);
    assert.ok(applied, 'the change was applied and waited for confirmation');
    const l = await links();
    assert.ok(!l.has('vmnet') && !l.has('bond0.100'), [...l.keys()].join(' '));
    assert.deepEqual((await hn.list()).filter((a) => a.network === 'vmnet'), []);
    assert.ok(messages().some((m) => /^Attach logical network vmnet to host interface bond0 failed: not confirmed within 5 s/.test(m)), messages().join('\n'));
    assert.equal((await hn.planAttach({ network: 'vmnet', iface: 'bond0' })).changes.length, 2, 'nothing is left staged: the same plan again');
  }));

  it('attached and confirmed: the kernel has bridge vmnet over bond0.100 (VLAN 100 on bond0), verified; recorded; removing the network is refused naming bond0', guard(async () => {
    const r = await hn.attach({ network: 'vmnet', iface: 'bond0' }, { yes: true, confirmTimeoutS: 30 });
    assert.equal(r.apply?.status, 'confirmed');
    assert.ok((r.apply?.verifyTries ?? 0) >= 1, 'the apply read the change back from the host');
    const l = await links();
    assert.equal(l.get('vmnet')?.linkinfo?.info_kind, 'bridge');
    assert.equal(l.get('bond0.100')?.linkinfo?.info_kind, 'vlan');
    assert.equal(l.get('bond0.100')?.linkinfo?.info_data?.id, 100);
    assert.equal(l.get('bond0.100')?.link, 'bond0');
    assert.equal(l.get('bond0.100')?.master, 'vmnet');
    assert.equal(l.get('eth0')?.master, 'bond0');
    // The bond keeps its address: the host stays reachable where it was.
    const addr = (await host!.mustRun(['ip', '-4', '-o', 'addr', 'show', 'dev', 'bond0'])).stdout;
    assert.match(addr, new RegExp(BOND_IP.replace(/\./g, '\\.')));
    const att = (await hn.list()).find((a) => a.network === 'vmnet');
    assert.deepEqual({ iface: att?.iface, device: att?.device, vlan: att?.vlan }, { iface: 'bond0', device: 'vmnet', vlan: 100 });
    await assert.rejects(ln.remove('vmnet'), /logical network vmnet is attached to this host's interface bond0/);
    await assert.rejects(hn.attach({ network: 'vmnet', iface: 'bond0' }, { yes: true }), /network: vmnet is already attached to bond0/);
  }));

  it('detached: bridge vmnet and bond0.100 are gone from the kernel, the bond is as before, the record is gone', guard(async () => {
    const r = await hn.detach('vmnet', { yes: true, confirmTimeoutS: 30 });
    assert.equal(r.apply?.status, 'confirmed');
    const l = await links();
    assert.ok(!l.has('vmnet') && !l.has('bond0.100'), [...l.keys()].join(' '));
    assert.equal(l.get('eth1')?.master, 'bond0');
    assert.deepEqual((await hn.list()).filter((a) => a.network === 'vmnet'), []);
    assert.ok(messages().some((m) => m === 'Detach logical network vmnet from this host'), messages().join('\n'));
  }));
});
