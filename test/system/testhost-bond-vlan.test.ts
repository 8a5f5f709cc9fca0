// Kernel bonding and 802.1q on a real Linux test host (this machine's own
// kernel has neither): an active-backup bond over two virtio NICs with
// miimon 100, VLAN 100 on top, then a cable pulled from the machine side;
// the alerts' bond reading on the test host's own /sys/class/net files.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAlertReader } from '../../src/core/alert-readings.ts';
import { consoleCore, testServices } from '../lib/services.ts';
import { makeBond0, Segment, TestHost } from '../lib/testhost/index.ts';

const BOND_IP = '192.168.77.10';
const PEER = '192.168.77.1';

interface BondStatus {
  mode: string;
  miimon: number;
  active: string;
  slaves: Record<string, { mii: string; failures: number }>;
}

/** Parses /proc/net/bonding/<bond> (the kernel's own report). */
function parseBonding(text: string): BondStatus {
  const st: BondStatus = { mode: '', miimon: 0, active: '', slaves: {} };
  let slave: string | undefined;
  for (const line of text.split('\n')) {
    const [k, ...rest] = line.split(':');
    const v = rest.join(':').trim();
    switch (k?.trim()) {
      case 'Bonding Mode': st.mode = v; break;
      case 'MII Polling Interval (ms)': st.miimon = Number(v); break;
      case 'Currently Active Slave': st.active = v; break;
      case 'Slave Interface': slave = v; st.slaves[v] = { mii: '', failures: 0 }; break;
      case 'MII Status': if (slave) st.slaves[slave]!.mii = v; break;
      case 'Link Failure Count': if (slave) st.slaves[slave]!.failures = Number(v); break;
    }
  }
  return st;
}

interface IpLink { ifname: string; link?: string; master?: string; operstate: string; linkinfo?: { info_kind?: string; info_data?: Record<string, unknown>; info_slave_kind?: string } }

describe('bond and VLAN on a real kernel in a test host', { timeout: 300_000 }, () => {
  let seg: Segment | undefined;
  let host: TestHost | undefined;
  const guard = <A extends unknown[]>(fn: (...a: A) => Promise<void>) => TestHost.keepLogsOnFailure(() => [host], fn);

  before(async () => {
    seg = await Segment.create({ name: 'bondlan', address: `${PEER}/24` });
    host = new TestHost({ name: 'bond', nics: [{ segment: seg }, { segment: seg }] });
    await host.boot();
    await makeBond0(host, [
      'link add link bond0 name bond0.100 type vlan id 100',
      'link set bond0.100 up',
      `addr add ${BOND_IP}/24 dev bond0`,
      'addr add 10.100.0.10/24 dev bond0.100',
    ]);
  });
  after(async () => {
    await host?.destroy();
    await seg?.dispose();
  });

  const bonding = async (): Promise<BondStatus> => parseBonding(await host!.readFile('/proc/net/bonding/bond0'));
  const links = async (): Promise<IpLink[]> => JSON.parse((await host!.mustRun(['ip', '-d', '-j', 'link', 'show'])).stdout) as IpLink[];

  it('the kernel reports an active-backup bond over eth0 and eth1 with miimon 100', guard(async () => {
    const st = await bonding();
    assert.equal(st.mode, 'fault-tolerance (active-backup)');
    assert.equal(st.miimon, 100);
    assert.deepEqual(Object.keys(st.slaves).sort(), ['eth0', 'eth1']);
    assert.equal(st.slaves.eth0?.mii, 'up');
    assert.equal(st.slaves.eth1?.mii, 'up');
    assert.equal(st.active, 'eth0');
  }));

  it('ip -d -j link shows the bond, its two slaves and VLAN 100 on top', guard(async () => {
    let all = await links();
    // Operational state follows the lower device once linkwatch has run.
    for (let i = 0; i < 20 && all.find((x) => x.ifname === 'bond0.100')?.operstate !== 'UP'; i++) all = await links();
    const by = (n: string): IpLink => { const l = all.find((x) => x.ifname === n); assert.ok(l, `${n} missing`); return l; };
    assert.equal(by('bond0').linkinfo?.info_kind, 'bond');
    assert.equal(by('bond0').linkinfo?.info_data?.mode, 'active-backup');
    assert.equal(by('bond0').linkinfo?.info_data?.miimon, 100);
    for (const n of ['eth0', 'eth1']) {
      assert.equal(by(n).master, 'bond0');
      assert.equal(by(n).linkinfo?.info_slave_kind, 'bond');
    }
    const vlan = by('bond0.100');
    assert.equal(vlan.link, 'bond0');
    assert.equal(vlan.linkinfo?.info_kind, 'vlan');
    assert.equal(vlan.linkinfo?.info_data?.protocol, '802.1Q');
    assert.equal(vlan.linkinfo?.info_data?.id, 100);
    assert.equal(vlan.operstate, 'UP');
  }));

  it('a peer on the segment reaches the bond', guard(async () => {
    const r = await seg!.exec(['ping', '-c', '2', '-i', '0.2', '-W', '3', BOND_IP]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  }));

  it('pulling the active NIC\'s cable fails over to the other and the peer still reaches the bond', guard(async () => {
    await host!.setLink(0, false);
    let st = await bonding();
    for (let i = 0; i < 50 && st.active !== 'eth1'; i++) st = await bonding();
    assert.equal(st.active, 'eth1');
    assert.equal(st.slaves.eth0?.mii, 'down');
    assert.equal(st.slaves.eth0?.failures, 1);
    assert.equal(st.slaves.eth1?.mii, 'up');
    const r = await seg!.exec(['ping', '-c', '2', '-i', '0.2', '-W', '3', BOND_IP]);
    assert.equal(r.code, 0, `no reply after failover: ${r.stdout}${r.stderr}`);

    await host!.setLink(0, true);
    st = await bonding();
    for (let i = 0; i < 50 && st.slaves.eth0?.mii !== 'up'; i++) st = await bonding();
    assert.equal(st.slaves.eth0?.mii, 'up');
    assert.equal(st.active, 'eth1', 'without a primary the bond stays on eth1');
  }));

  it('the alerts read a bond with a port down as degraded, and whole again once it is back (the test host\'s /sys/class/net files)', guard(async () => {
    const services = testServices();
    const sys = mkdtempSync(join(tmpdir(), 'hostdeck-bond-sys-'));
    // The files the reader looks at, as the test host's kernel writes them (this machine has no bonding).
    const copySys = async () => {
      for (const f of ['bonding_masters', 'bond0/bonding/slaves', 'eth0/operstate', 'eth1/operstate']) {
        mkdirSync(join(sys, f, '..'), { recursive: true });
        writeFileSync(join(sys, f), await host!.readFile(`/sys/class/net/${f}`));
      }
    };
    const reader = createAlertReader({ db: services.db, monitor: consoleCore(services).monitor, sysNet: sys });
    const bond = async () => (await reader.read()).get('network.bond-degraded')?.map((r) => [r.objectId, r.bad, r.text]);
    try {
      // The backup port (eth1 is active since the failover above): the bond keeps working, degraded.
      await host!.setLink(0, false);
      for (let i = 0; i < 50 && (await bonding()).slaves.eth0?.mii !== 'down'; i++);
      await copySys();
      assert.deepEqual(await bond(), [['bond0', true, 'port eth0 down']]);
      await host!.setLink(0, true);
      for (let i = 0; i < 50 && (await bonding()).slaves.eth0?.mii !== 'up'; i++);
      await copySys();
      assert.deepEqual(await bond(), [['bond0', false, 'all ports up']]);
      assert.equal((await bonding()).active, 'eth1');
    } finally {
      reader.close();
      rmSync(sys, { recursive: true, force: true });
      await services.cleanup();
    }
  }));

  it('a switch port going down behind the active NIC keeps its carrier, so miimon does not fail over', guard(async () => {
    const tap = host!.nics[1]!.tap!;
    await seg!.setPort(tap, false);
    try {
      const lost = await seg!.exec(['ping', '-c', '1', '-W', '1', BOND_IP]);
      assert.notEqual(lost.code, 0, 'the peer still reached the bond through a downed port');
      const st = await bonding();
      assert.equal(st.active, 'eth1');
      assert.equal(st.slaves.eth1?.mii, 'up');
    } finally {
      await seg!.setPort(tap, true);
    }
    const back = await seg!.exec(['ping', '-c', '2', '-i', '0.2', '-W', '3', BOND_IP]);
    assert.equal(back.code, 0, back.stdout + back.stderr);
  }));
});
