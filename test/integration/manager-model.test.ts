// The standalone manager on the state DB (SQLite) and the real libvirtd:
// cluster CPU types are libvirt's own for this host, a VM created in a
// cluster gets its CPU model in its domain XML, a start past the cluster's
// memory over-commit is refused on a real start (nothing started), standalone
// mode and the engine registration exclude each other, and a data center
// held by clusters or storage domains is not removed. Every refusal changes
// nothing and every change has its event.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testServices } from '../lib/services.ts';
import { defineGuest, removeGuests, guestName } from '../lib/guest.ts';
import { domstate, makePool, removeDomains, removePool, tinyInput, virsh, SYSTEM_URI, LC_PREFIX, libvirtReady } from '../lib/lifecycle.ts';
import { createCore } from '../../src/core/index.ts';
import { categoryOf } from '../../src/domain/errors.ts';
import { storageDomainRepo } from '../../src/manager/repos/storage-domains.ts';
import { writeRegistration, type StoredRegistration } from '../../src/host/engine/state.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = `${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const prefix = `${LC_PREFIX}mgr${run}-`;
const POOL = `${LC_PREFIX}mgrpool-${run}`;
const big = guestName('mgrbig');

/** The named CPU models `virsh domcapabilities` says QEMU can run here (the test's own reading). */
async function usableModels(): Promise<string[]> {
  const xml = await virsh('domcapabilities', '--machine', 'pc', '--virttype', (await virsh('capabilities')).includes("<domain type='kvm'") ? 'kvm' : 'qemu');
  const custom = /<mode name='custom'[^>]*>([\s\S]*?)<\/mode>/.exec(xml)?.[1] ?? '';
  return [...custom.matchAll(/<model usable='yes'[^>]*>([^<]+)<\/model>/g)].map((m) => m[1]!);
}

describe('the standalone manager on SQLite and the real libvirtd', () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core = createCore(s, { user: 'tester', channel: 'cli' });
  const m = core.manager;
  const events = (re: RegExp) => s.events.list({ limit: 500 }).filter((e) => re.test(e.message));
  let model = '';

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'the integration tier runs as root');
    await libvirtReady(ROOT);
    await removeDomains(prefix);
    await makePool(POOL);
  });
  after(async () => {
    await libvirtReady(ROOT);
    await removeDomains(prefix);
    await removeGuests(`${big}`);
    await removePool(POOL);
    await s.cleanup();
  });

  it('offers the CPU types libvirt reports for this host, and refuses one it lacks naming the field, creating nothing', async () => {
    const types = await m.clusters.cpuTypes();
    const models = await usableModels();
    assert.ok(models.length > 0, 'libvirt reports usable CPU models');
    assert.deepEqual(types.filter((t) => t !== 'host-model' && t !== 'host-passthrough'), models);
    model = models.includes('qemu64') ? 'qemu64' : models[0]!;
    const before = (await m.clusters.list()).length;
    await assert.rejects(m.clusters.create({ name: 'c1', dataCenter: 'Default', cpuType: 'NoSuchCpu9' }), (e: Error & { errors?: { field: string }[] }) => {
      assert.equal(categoryOf(e), 'invalid');
      assert.deepEqual(e.errors?.map((x) => x.field), ['cpuType']);
      assert.match(e.message, /CPU type: QEMU here has no usable CPU model 'NoSuchCpu9'/);
      return true;
    });
    assert.equal((await m.clusters.list()).length, before);
    assert.equal(events(/^Create cluster c1 failed/).length, 1);
    const c = await m.clusters.create({ name: 'c1', dataCenter: 'Default', cpuType: model, memoryOvercommit: 100 });
    assert.deepEqual([c.cpuType, c.memoryOvercommit, c.dataCenter, c.vms], [model, 100, 'Default', []]);
    assert.equal(events(/^Create cluster c1$/).length, 1);
  });

  it('vm create --cluster: the domain XML has the cluster\'s CPU model and the VM is in the cluster; it starts within the over-commit', async () => {
    const name = `${prefix}web`;
    await core.vms.create(await tinyInput(name, POOL, { cluster: 'c1' }));
    const xml = await virsh('dumpxml', '--inactive', name);
    assert.match(xml, new RegExp(`<cpu mode='custom' match='exact'[^>]*>\\s*<model fallback='forbid'>${model}</model>`));
    assert.deepEqual((await m.clusters.get('c1')).vms, [name]);
    await core.vms.start(name);
    assert.equal(await domstate(name), 'running');
    await virsh('destroy', name);
  });

  it('a cluster\'s new CPU type reaches its VMs defined with the old one from their next start; a VM given its own CPU keeps it', async () => {
    const web = `${prefix}web`;
    const own = `${prefix}own`;
    await core.vms.create({ ...(await tinyInput(own, POOL, { cluster: 'c1' })), cpu: 'host-model' });
    await core.vms.start(web);
    const other = (await usableModels()).find((x) => x !== model)!;
    const cpuOf = async (...args: string[]) => /<model fallback='forbid'>([^<]+)<\/model>/.exec(await virsh('dumpxml', ...args))?.[1] ?? /<cpu mode='([^']+)'/.exec(await virsh('dumpxml', ...args))?.[1];
    try {
      const c = await m.clusters.edit('c1', { cpuType: other });
      assert.deepEqual([c.cpuType, c.cpuChangedVms], [other, [web]]);
      assert.equal(await cpuOf('--inactive', web), other, 'the definition has the new CPU');
      assert.equal(await cpuOf(web), model, 'the running VM keeps its CPU until it starts again');
      assert.equal(await cpuOf('--inactive', own), 'host-model');
      await virsh('destroy', web);
      await core.vms.start(web);
      assert.equal(await cpuOf(web), other, 'started again, it runs with the new CPU');
      assert.equal(events(/^Change cluster c1$/).length, 1);
    } finally {
      await virsh('destroy', web).catch(() => undefined);
      await m.clusters.edit('c1', { cpuType: model });
      await core.vms.delete(own, { removeDisks: true });
    }
    assert.equal(await cpuOf('--inactive', web), model, 'changed back, the VM follows again');
  });

  it('a start past the cluster\'s memory over-commit is refused naming the cluster, its over-commit and the figures; the VM stays off', async () => {
    const hostKiB = (await s.virt.nodeInfo()).memoryKiB;
    // Defined with virsh, outside hostdeck: it is in Default (over-commit 100%), with half as much memory again as the host has.
    await defineGuest(big, { memoryMiB: Math.ceil((hostKiB * 1.5) / 1024), nic: false });
    assert.ok((await m.clusters.get('Default')).vms.includes(big));
    await assert.rejects(core.vms.start(big), (e: Error) => {
      assert.equal(categoryOf(e), 'state');
      assert.match(e.message, /cluster Default allows 100% memory over-commit \([\d.]+ GiB of this host's [\d.]+ GiB\): its running VMs use .+ and VM hd-test-mgrbig-\S+ needs [\d.]+ GiB more/);
      return true;
    });
    assert.equal(await domstate(big), 'shut off');
    assert.equal(events(new RegExp(`^Start VM ${big} failed: cannot start`)).length, 1);
  });

  it('a data center: created, refused removal while it holds a cluster or a storage domain (named), removed when empty', async () => {
    await assert.rejects(m.dataCenters.create({ name: 'bad name' }), (e: Error) => categoryOf(e) === 'invalid' && /^name: may contain only/.test(e.message));
    const dc = await m.dataCenters.create({ name: 'dc2', description: 'second', storageType: 'local', compatibilityVersion: '4.7' });
    assert.deepEqual([dc.status, dc.storageType, dc.compatibilityVersion], ['Uninitialized', 'local', '4.7']);
    await m.clusters.create({ name: 'c2', dataCenter: 'dc2', cpuType: 'host-model' });
    // A storage domain row as the storage domain service writes it, on Default, active, then moved to dc2 in maintenance.
    const domains = storageDomainRepo(s.db);
    const now = new Date().toISOString();
    domains.insert({ id: '0b0c7c44-5b1e-4b8a-9d1e-3c1f4c5a6b7d', name: 'data1', description: '', type: 'data', kind: 'file', dataCenterId: domains.defaultDataCenter()!, connectionId: 'x', status: 'active', formatVersion: 1, poolName: `${prefix}p`, poolType: 'dir', path: '/nonexistent', device: null, capacityBytes: null, usedBytes: null, freeBytes: null, checkedAt: null, lastError: null, creatorHost: 'h', createdAt: now, attachedAt: now });
    const dflt = await m.dataCenters.get('Default');
    assert.deepEqual([dflt.status, dflt.master], ['Up', 'data1']);
    domains.setStatus('0b0c7c44-5b1e-4b8a-9d1e-3c1f4c5a6b7d', 'unreachable', 'timed out');
    assert.equal((await m.dataCenters.get('Default')).status, 'Problematic');
    await assert.rejects(m.dataCenters.attachDomain('dc2', 'data1'), /data1 is unreachable: put it into maintenance/);
    domains.setStatus('0b0c7c44-5b1e-4b8a-9d1e-3c1f4c5a6b7d', 'maintenance');
    assert.equal((await m.dataCenters.get('Default')).status, 'Maintenance');
    assert.deepEqual((await m.dataCenters.attachDomain('dc2', 'data1')).domains.map((d) => d.name), ['data1']);
    await assert.rejects(m.dataCenters.remove('dc2'), (e: Error) => categoryOf(e) === 'state' && /dc2 still holds clusters c2 and storage domains data1/.test(e.message));
    assert.ok(await m.dataCenters.get('dc2'));
    domains.remove('0b0c7c44-5b1e-4b8a-9d1e-3c1f4c5a6b7d');
    await m.clusters.remove('c2');
    await m.dataCenters.remove('dc2');
    await assert.rejects(m.dataCenters.get('dc2'), (e: Error) => categoryOf(e) === 'not-found');
    assert.equal(events(/^Remove data center dc2$/).length, 1);
    assert.equal(events(/^Remove data center dc2 failed: data center dc2 still holds/).length, 1);
  });

  it('standalone mode: init joins the cluster; registration is refused while standalone; leave is refused while it manages a VM (named), and a cluster with VMs is not removed', async () => {
    const st = await m.init({ cluster: 'c1' });
    assert.deepEqual([st.mode, st.cluster], ['standalone', 'c1']);
    assert.equal(core.engine.status().mode, 'standalone');
    await assert.rejects(m.init(), /already a standalone manager/);
    await assert.rejects(core.engine.register({ engine: 'engine.example', name: 'node1', address: '192.0.2.10' }), (e: Error) => categoryOf(e) === 'state' && /standalone manager: .* leave standalone mode first/.test(e.message));
    assert.equal(core.engine.status().mode, 'standalone');
    const vm = `${prefix}web`;
    await assert.rejects(m.leave(), (e: Error) => new RegExp(`manages VMs an engine would not know .*: ${vm}`).test(e.message));
    await assert.rejects(m.clusters.remove('c1'), new RegExp(`cluster c1 still has VMs: ${vm}`));
    assert.equal(core.engine.status().mode, 'standalone');
    await core.vms.delete(vm, { removeDisks: true });
    assert.equal((await m.leave()).mode, 'unconfigured');
    // Registered with an engine: init names it and changes nothing.
    writeRegistration(s.db, { engineHost: 'engine.example', enginePort: 443 } as StoredRegistration);
    await assert.rejects(m.init(), /registered with the oVirt engine engine\.example.*unregister it first/);
    writeRegistration(s.db, null);
    assert.equal(core.engine.status().mode, 'unconfigured');
    assert.equal(events(/^Make this host a standalone manager in cluster c1$/).length, 1);
    assert.equal(events(/^Leave standalone mode$/).length, 1);
  });
});
