// The network inventory and tools of the Network screen, run from this
// machine against a real test host through testHostRunner: node1 has eth0 on
// a segment (the machine side is the gateway) and eth1 on a cable to a
// second host "switch1"; lldpd runs on both. Pulling eth1's cable shows as
// link down through watchLinks; plugging it back, up again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Cable, Segment, TestHost, testHostRunner } from '../lib/testhost/index.ts';
import { identifyNic, readInventory, watchLinks, type LinkChange, type NetInventory } from '../../src/host/net/inventory.ts';
import { testNetwork } from '../../src/host/net/tools.ts';
import { testTargets } from '../../src/domain/net/test-targets.ts';

const GW = '192.168.83.1';
const NODE = '192.168.83.10';

describe('network inventory on a test host with an LLDP neighbour', { timeout: 240_000 }, () => {
  let seg: Segment | undefined;
  let node: TestHost | undefined;
  let peer: TestHost | undefined;
  let inv: NetInventory | undefined;
  const guard = <A extends unknown[]>(fn: (...a: A) => Promise<void>) => TestHost.keepLogsOnFailure(() => [node, peer], fn);

  // lldpd must answer lldpcli within the harness's 20 s; on a machine loaded by parallel work it once did not: one more try.
  const startLldpd = (h: TestHost) => h.startServices(['lldpd']).catch(() => h.startServices(['lldpd']));

  before(async () => {
    seg = await Segment.create({ name: 'netscr', address: `${GW}/24` });
    // The name server the node is given answers DNS (the network test asks it a query, it does not ping it).
    await seg.serveDns({ 'engine.lab.example.com': GW });
    const cable = await Cable.create();
    node = new TestHost({ name: 'node1', nics: [{ segment: seg }, { cable }] });
    peer = new TestHost({ name: 'switch1', nics: [{ cable }] });
    const n = node;
    const p = peer;
    await Promise.all([
      (async () => {
        await n.boot();
        await n.writeFile('/run/net.ip', `addr add ${NODE}/24 dev eth0\nlink set eth0 up\nlink set eth1 up\nroute add default via ${GW}\n`);
        await n.mustRun(['ip', '-batch', '/run/net.ip']);
        await n.writeFile('/etc/resolv.conf', `nameserver ${GW}\nsearch lab.example.com\n`);
        await startLldpd(n);
      })(),
      (async () => {
        await p.boot();
        await p.mustRun(['ip', 'link', 'set', 'eth0', 'up']);
        await startLldpd(p);
      })(),
    ]);
    // LLDP frames go out every 30 s; ask both agents to send now and wait for the neighbour.
    const runner = testHostRunner(n);
    for (let i = 0; i < 30; i++) {
      await Promise.all([n.run(['lldpcli', 'update']), p.run(['lldpcli', 'update'])]);
      inv = await readInventory(runner);
      if (inv.nics.find((x) => x.name === 'eth1')?.lldp) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
  });
  after(async () => {
    await Promise.all([node?.destroy(), peer?.destroy()]);
    await seg?.dispose();
  });

  it('reads both NICs with MAC, driver, bus, link, MTU and addresses, the gateway, DNS and the host name', guard(async () => {
    const i = inv!;
    assert.deepEqual(i.nics.map((x) => x.name), ['eth0', 'eth1']);
    for (const [k, nic] of i.nics.entries()) {
      assert.equal(nic.mac, node!.nics[k]!.mac);
      assert.equal(nic.driver, 'virtio_net');
      assert.match(nic.bus ?? '', /^virtio virtio\d+$/);
      assert.equal(nic.link, 'up');
      assert.equal(nic.mtu, 1500);
      assert.equal(nic.identifySupported, false);
    }
    assert.deepEqual(i.nics[0]!.addresses.filter((a) => a.family === 'inet').map((a) => a.cidr), [`${NODE}/24`]);
    assert.deepEqual(i.gateways, [{ family: 'inet', gateway: GW, dev: 'eth0' }]);
    assert.deepEqual(i.dns, { servers: [GW], search: ['lab.example.com'] });
    assert.equal(i.hostname, 'node1');
    assert.equal(i.lldp.state, 'running');
  }));

  it('shows the LLDP neighbour on eth1: the other host and its port', guard(async () => {
    const l = inv!.nics.find((x) => x.name === 'eth1')!.lldp;
    assert.ok(l, 'no LLDP neighbour on eth1');
    assert.equal(l.chassis, 'switch1');
    assert.equal(l.port, 'eth0');
  }));

  it('identify on virtio says the driver does not support it (real ethtool)', guard(async () => {
    const r = await identifyNic(testHostRunner(node!), { name: 'eth0', driver: 'virtio_net' }, 1);
    assert.deepEqual(r, { ok: false, message: 'identify is not supported by driver virtio_net (eth0 has no LED it can blink)' });
  }));

  it('test network: the gateway and DNS server answer, an absent host does not, a name that is not in DNS is not found', guard(async () => {
    const { targets, errors } = testTargets(inv, ['192.168.83.99'], 'nothing.invalid');
    assert.deepEqual(errors, []);
    const r = await testNetwork(testHostRunner(node!), targets);
    const by = Object.fromEntries(r.map((x) => [`${x.kind} ${x.target}`, x]));
    assert.equal(by[`gateway ${GW}`]!.ok, true, by[`gateway ${GW}`]!.detail);
    assert.equal(by[`dns ${GW}`]!.ok, true);
    assert.equal(by['host 192.168.83.99']!.ok, false);
    assert.equal(by['resolve nothing.invalid']!.ok, false);
  }));

  it('pulling eth1\'s cable shows link down through watchLinks, plugging it back shows up', guard(async () => {
    const seen: LinkChange[] = [];
    let wake: (() => void) | undefined;
    const stop = watchLinks(testHostRunner(node!), (changes) => { seen.push(...changes); wake?.(); }, { pollMs: 1000 });
    const waitFor = async (name: string, link: 'up' | 'down') => {
      for (let i = 0; i < 30 && !seen.some((c) => c.name === name && c.link === link); i++) await new Promise<void>((r) => { wake = r; setTimeout(r, 1000); });
      return seen.some((c) => c.name === name && c.link === link);
    };
    try {
      assert.ok(await waitFor('eth1', 'up'), 'the first report has eth1 up');
      seen.length = 0;
      await node!.setLink(1, false);
      assert.ok(await waitFor('eth1', 'down'), `eth1 down was not reported: ${JSON.stringify(seen)}`);
      assert.ok(!seen.some((c) => c.name === 'eth0'), 'only eth1 changed');
      const after = await readInventory(testHostRunner(node!));
      assert.equal(after.nics.find((x) => x.name === 'eth1')!.link, 'down');
      await node!.setLink(1, true);
      assert.ok(await waitFor('eth1', 'up'), 'eth1 up again was not reported');
    } finally {
      stop();
      await node!.setLink(1, true);
    }
  }));
});
