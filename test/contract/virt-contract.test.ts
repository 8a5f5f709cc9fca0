// The libvirt access layer's contract: the SAME suite runs against the
// test driver (test:///<abs path>/test/fixtures/libvirt/host.xml) and
// against the real libvirtd (qemu:///system) with tiny guests arranged the
// same way: one running, one paused, one shut off (with a snapshot), a
// storage pool and a network.
//
// The test driver gives every process its own copy of the fixture, so in
// this suite changes go through the binding (start, suspend, resume,
// destroy, define, undefine) and are read back through the binding
// (domainList); reads through virsh (stats, snapshots, pools, networks)
// happen before any change.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, rm, mkdir } from 'node:fs/promises';
import { VirtConnection } from '../../src/virt/connection.ts';
import { countByState, type DomainStateName } from '../../src/virt/types.ts';
import { domainXml } from '../../src/virt/xml/create.ts';
import { loadDomstatsAddon, NativeDomstats } from '../../src/virt/native/domstats.ts';
import { parseDomstats, SAMPLER_DOMSTATS_ARGS, type DomainStatsSample } from '../../src/virt/stats.ts';
import { defineGuest, guestName, removeGuests, removeStaleGuests, tinyGuestXml, virshSys, waitForState, SYSTEM_URI } from '../lib/guest.ts';

interface World {
  label: string;
  uri: string;
  names: { running: string; paused: string; off: string };
  snapshot: { domain: string; name: string };
  pool: string;
  network: string;
  /** XML of a further domain for define/undefine. */
  newDomain(): Promise<{ name: string; xml: string }>;
  /** Called once before the suite. */
  setup(): Promise<void>;
  /** Called after define/undefine, before the reads: puts domains in their states. */
  arrange(): Promise<void>;
  teardown(): Promise<void>;
}

const fixture = new URL('../fixtures/libvirt/host.xml', import.meta.url).pathname;

const testDriver: World = {
  label: 'test driver fixture',
  uri: `test://${fixture}`,
  names: { running: 'hd-test-ctr-running', paused: 'hd-test-ctr-paused', off: 'hd-test-ctr-off' },
  snapshot: { domain: 'hd-test-ctr-running', name: 'base' },
  pool: 'hd-test-ctr-pool',
  network: 'hd-test-ctr-net',
  async newDomain() {
    const name = 'hd-test-ctr-new';
    return { name, xml: domainXml({ name, type: 'test', memoryMiB: 64, vcpus: 1 }) };
  },
  async setup() {},
  async arrange() {},
  async teardown() {},
};

const prefix = guestName('ctr');
const poolDir = `/var/lib/${prefix}-pool`;
const real: World = {
  label: 'real libvirtd with tiny guests',
  uri: SYSTEM_URI,
  names: { running: `${prefix}-running`, paused: `${prefix}-paused`, off: `${prefix}-off` },
  snapshot: { domain: `${prefix}-off`, name: 'base' },
  pool: `${prefix}-pool`,
  network: `${prefix}-net`,
  async newDomain() {
    const name = `${prefix}-new`;
    return { name, xml: await tinyGuestXml(name, { nic: false }) };
  },
  async setup() {
    await removeStaleGuests();
    await removeGuests(prefix);
    // Every define can make libvirtd re-probe QEMU where /dev/kvm is masked
    // with /dev/null (30 s and more each): define only what the suite needs.
    for (const n of Object.values(this.names)) await defineGuest(n);
    await mkdir(poolDir, { recursive: true });
    await virshSys('pool-define-as', this.pool, 'dir', '--target', poolDir);
    await virshSys('pool-start', this.pool);
    const netXml = `/tmp/${this.network}.xml`;
    await writeFile(netXml, `<network><name>${this.network}</name><bridge name='hdt${process.pid.toString(36).slice(-6)}' stp='off'/></network>\n`);
    await virshSys('net-define', netXml);
    await rm(netXml, { force: true });
  },
  async arrange() {
    await virshSys('snapshot-create-as', this.names.off, 'base', '--description', 'before changes');
    await virshSys('start', this.names.running);
    await virshSys('start', this.names.paused);
    await waitForState(this.names.running, ['running']);
    await virshSys('suspend', this.names.paused);
  },
  async teardown() {
    await removeGuests(prefix);
    await virshSys('pool-destroy', this.pool).catch(() => undefined);
    await virshSys('pool-undefine', this.pool).catch(() => undefined);
    await rm(poolDir, { recursive: true, force: true });
    await virshSys('net-undefine', this.network).catch(() => undefined);
  },
};

for (const world of [testDriver, real]) {
  describe(`libvirt access layer contract: ${world.label}`, { concurrency: false }, () => {
    let virt: VirtConnection;
    const mine = <T extends { name: string }>(xs: T[]): T[] => xs.filter((x) => Object.values(world.names).includes(x.name));
    const stateOf = async (name: string): Promise<DomainStateName | undefined> => (await virt.domainList()).find((d) => d.name === name)?.state;

    before(async () => {
      await world.setup();
      virt = new VirtConnection(world.uri);
    });
    after(async () => {
      await virt?.close();
      await world.teardown();
    });

    it('connects and reports connected with the daemon and hypervisor versions', async () => {
      const st = await virt.connect();
      assert.equal(st.state, 'connected', st.error);
      assert.equal(virt.getStatus().uri, world.uri);
      // On a very busy host the versions may come a moment after the connection.
      for (let i = 0; i < 300 && !virt.getStatus().version?.library; i++) await new Promise((r) => setTimeout(r, 100));
      const { version } = virt.getStatus();
      assert.match(version?.library ?? '', /^libvirt \d+\.\d+/);
      assert.ok(version?.hypervisor, 'hypervisor version');
      const node = await virt.nodeInfo();
      assert.ok(node.cpus > 0 && node.memoryKiB > 0);
    });

    it('defines a new domain (shut off) and undefines it again', async () => {
      const { name, xml } = await world.newDomain();
      assert.equal(await virt.domainDefine(xml), name);
      assert.equal(await stateOf(name), 'shutoff');
      await virt.domainUndefine(name);
      assert.equal(await stateOf(name), undefined);
    });

    it('lists every domain with its state, vCPUs and memory; counts by state', async () => {
      await world.arrange();
      const list = mine(await virt.domainList());
      const byName = Object.fromEntries(list.map((d) => [d.name, d]));
      assert.equal(byName[world.names.running]?.state, 'running');
      assert.equal(byName[world.names.paused]?.state, 'paused');
      assert.equal(byName[world.names.off]?.state, 'shutoff');
      assert.ok(byName[world.names.running]!.id > 0, 'a running domain has an id');
      assert.equal(byName[world.names.off]!.id, -1);
      assert.ok(list.every((d) => d.vcpus >= 1 && d.maxMemoryKiB >= 65536 && /^[0-9a-f-]{36}$/.test(d.uuid)));
      const c = countByState(list);
      assert.deepEqual([c.total, c.running, c.paused, c.shutoff], [3, 1, 1, 1]);
    });

    it('samples every domain in one bulk stats call, with the same states', async () => {
      const stats = mine(await virt.domainStats());
      assert.deepEqual(stats.map((s) => [s.name, s.state]).sort(), [
        [world.names.off, 'shutoff'], [world.names.paused, 'paused'], [world.names.running, 'running']].sort());
    });

    it('samples in process (hostdeck\'s libvirt addon) exactly what virsh domstats reports, and says when nothing changed', async () => {
      const { addon, reason } = loadDomstatsAddon();
      assert.ok(addon, `the in-process sampler is built (scripts/build-addon.mjs): ${reason}`);
      const n = new NativeDomstats(addon, world.uri);
      try {
        const [text, viaVirsh] = await Promise.all([n.sample(SAMPLER_DOMSTATS_ARGS), virt.virsh(SAMPLER_DOMSTATS_ARGS)]);
        assert.ok(text, 'the first call returns the statistics');
        const ours = mine(parseDomstats(text));
        const theirs = mine(parseDomstats(viaVirsh));
        assert.deepEqual(ours.map((s) => [s.name, s.state]).sort(), [
          [world.names.off, 'shutoff'], [world.names.paused, 'paused'], [world.names.running, 'running']].sort());
        const byName = (xs: DomainStatsSample[]) => Object.fromEntries(xs.map((s) => [s.name, s.raw]));
        if (world.uri !== SYSTEM_URI) {
          // Nothing moves in the test driver: every key and value is virsh's.
          assert.deepEqual(byName(ours), byName(theirs));
        } else {
          // With --nowait a guest whose monitor is busy reports fewer groups
          // for that one call: compare what every call reports.
          const stable = (xs: DomainStatsSample[]) => xs.map((s) => [s.name, s.state, s.vcpusMax, s.maxMemoryKiB, s.disks.map((d) => d.name).join(), s.nics.length]).sort();
          assert.deepEqual(stable(ours), stable(theirs));
        }
        if (world.uri === SYSTEM_URI) {
          const run = ours.find((s) => s.name === world.names.running)!;
          assert.ok((run.vcpusMax ?? 0) >= 1 && (run.maxMemoryKiB ?? 0) >= 65536, 'vCPUs and memory of the running guest');
          assert.ok((run.cpuTimeNs ?? 0) > 0, 'a running guest has used CPU');
          // A running guest's CPU time moves on: the next call returns new text.
          await new Promise((r) => setTimeout(r, 300));
          const next = await n.sample(SAMPLER_DOMSTATS_ARGS);
          assert.ok(next, 'new counters');
          assert.ok(mine(parseDomstats(next)).find((s) => s.name === world.names.running)!.cpuTimeNs! > run.cpuTimeNs!);
        } else {
          // Nothing runs in the test driver: the same text again is answered with null.
          assert.equal(await n.sample(SAMPLER_DOMSTATS_ARGS), null);
        }
      } finally {
        n.close();
      }
      await assert.rejects(new NativeDomstats(addon, 'test:///no/such/fixture.xml').sample(SAMPLER_DOMSTATS_ARGS), /cannot connect to libvirt/);
    });

    it('gets one domain: XML details, persistence, autostart, snapshot count', async () => {
      const d = await virt.domainGet(world.names.off);
      assert.equal(d.name, world.names.off);
      assert.equal(d.details.name, world.names.off);
      assert.equal(d.details.uuid, d.uuid);
      assert.deepEqual(d.details.disks.map((x) => x.target), ['vda']);
      assert.equal(d.persistent, true);
      assert.equal(d.autostart, false);
      assert.equal(d.state, 'shutoff');
    });

    it('lists snapshots with the current one', async () => {
      const snaps = await virt.snapshotList(world.snapshot.domain);
      const s = snaps.find((x) => x.name === world.snapshot.name);
      assert.ok(s, `snapshot ${world.snapshot.name} listed`);
      assert.equal(s.current, true);
      assert.ok(Number.isFinite(s.createdAt));
      assert.deepEqual(await virt.snapshotList(world.names.paused), []);
    });

    it('lists storage pools and networks', async () => {
      const pool = (await virt.storagePoolList()).find((p) => p.name === world.pool);
      assert.ok(pool, 'pool listed');
      assert.equal(pool.state, 'running');
      assert.ok(pool.capacityBytes! > 0);
      const net = (await virt.networkList()).find((n) => n.name === world.network);
      assert.ok(net, 'network listed');
      assert.equal(net.persistent, true);
    });

    it('starts, pauses, resumes and powers off a domain', async () => {
      const n = world.names.off;
      await virt.domainStart(n);
      assert.equal(await stateOf(n), 'running');
      await virt.domainSuspend(n);
      assert.equal(await stateOf(n), 'paused');
      await virt.domainResume(n);
      assert.equal(await stateOf(n), 'running');
      await virt.domainDestroy(n);
      assert.equal(await stateOf(n), 'shutoff');
    });

    it('refuses impossible actions with libvirt\'s reason and stays connected', async () => {
      await assert.rejects(virt.domainStart(world.names.running), /already (running|active)/i);
      await assert.rejects(virt.domainResume(world.names.running), /not paused|already running/i);
      await assert.rejects(virt.domainStart('hd-test-no-such-domain'), /no domain named 'hd-test-no-such-domain'/);
      await assert.rejects(virt.domainStart(world.names.running), (e: Error) => !/code: -1/.test(e.message));
      assert.equal(virt.getStatus().state, 'connected');
    });
  });
}
