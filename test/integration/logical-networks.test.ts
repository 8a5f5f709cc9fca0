// Logical networks and vNIC profiles on the state DB (SQLite) and the real
// libvirtd: ovirtmgmt is Default's management network from the first start,
// a profile's network filter is one of libvirtd's own (virsh nwfilter-list),
// a VM created with a NIC on a profile gets the network's bridge and the
// profile's filterref in its domain XML (defined, not started: no bridge of
// that name exists here), and a network or profile in use by that VM's NIC,
// or required by a cluster, is not removed (the refusal names who holds it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testServices } from '../lib/services.ts';
import { removeDomains, tinyInput, virsh, SYSTEM_URI, LC_PREFIX, libvirtReady } from '../lib/lifecycle.ts';
import { createCore } from '../../src/core/index.ts';
import { categoryOf } from '../../src/domain/errors.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = `${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const prefix = `${LC_PREFIX}lnet${run}-`;

const fields = (e: unknown) => ((e as { errors?: { field: string }[] }).errors ?? []).map((x) => x.field);

describe('logical networks and vNIC profiles on SQLite and the real libvirtd', () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core = createCore(s, { user: 'tester', channel: 'cli' });
  const ln = core.logicalNetworks;
  const events = (re: RegExp) => s.events.list({ limit: 500 }).filter((e) => re.test(e.message));
  const vm = `${prefix}web`;
  let filter = '';

  before(async () => {
    await libvirtReady(ROOT);
    await removeDomains(prefix);
  });
  after(async () => {
    await libvirtReady(ROOT);
    await removeDomains(prefix);
    await s.cleanup();
  });

  it('has ovirtmgmt in Default, the management network of the Default cluster, with its default profile', async () => {
    const m = await ln.get('ovirtmgmt');
    assert.equal(m.dataCenter, 'Default');
    assert.equal(m.vmNetwork, true);
    assert.deepEqual(m.profiles.map((p) => [p.name, p.filter]), [['ovirtmgmt', null]]);
    assert.deepEqual(m.clusters, [{ cluster: 'Default', roles: ['management', 'vm', 'display', 'migration'], required: true }]);
  });

  it('offers libvirtd\'s own network filters', async () => {
    const listed = (await virsh('nwfilter-list')).split('\n').slice(2).map((l) => l.trim().split(/\s+/)[1]).filter((x): x is string => Boolean(x)).sort();
    assert.ok(listed.length > 0, 'libvirtd lists network filters');
    assert.deepEqual(await ln.filters(), listed);
    filter = listed.includes('clean-traffic') ? 'clean-traffic' : listed[0]!;
  });

  it('refuses a name that is no bridge name naming the field, creating nothing; creates a network with its default profile', async () => {
    await assert.rejects(ln.create({ name: 'br.bad:name', vlan: 5000 }), (e) => {
      assert.equal(categoryOf(e), 'invalid');
      assert.deepEqual(fields(e), ['name', 'vlan']);
      assert.match((e as Error).message, /name: may contain only letters, digits.*no ':', '\.'/);
      return true;
    });
    assert.deepEqual((await ln.list()).map((n) => n.name), ['ovirtmgmt']);
    assert.equal(events(/^Create logical network br\.bad:name failed/).length, 1);
    const n = await ln.create({ name: 'lnweb', vlan: '10', mtu: 1500, description: 'web tier' });
    assert.deepEqual([n.vlan, n.mtu, n.vmNetwork, n.dataCenter, n.profiles.map((p) => p.name)], [10, 1500, true, 'Default', ['lnweb']]);
    assert.equal(events(/^Create logical network lnweb$/).length, 1);
  });

  it('a profile\'s filter must be one libvirtd has (field filter); a second management network in a cluster is refused', async () => {
    await assert.rejects(ln.profileCreate('lnweb', { name: 'filtered', filter: 'no-such-filter' }), (e) => {
      assert.deepEqual(fields(e), ['filter']);
      assert.match((e as Error).message, /network filter: libvirt has no network filter "no-such-filter": give none or one of virsh nwfilter-list/);
      return true;
    });
    const p = await ln.profileCreate('lnweb', { name: 'filtered', filter });
    assert.equal(p.filter, filter);
    await assert.rejects(ln.attach('lnweb', 'Default', { roles: 'management,vm' }), (e) => {
      assert.deepEqual(fields(e), ['roles']);
      assert.match((e as Error).message, /cluster Default already has ovirtmgmt as its management network/);
      return true;
    });
    assert.deepEqual((await ln.get('lnweb')).clusters, []);
  });

  it('a VM NIC on a profile: refused while the network is not in the VM\'s cluster; then the domain XML has the bridge and the filterref', async () => {
    await assert.rejects(core.vms.create(await tinyInput(vm, '', { disks: [], nics: [{ kind: 'profile', source: 'lnweb/filtered' }] })), (e) => {
      assert.deepEqual(fields(e), ['nics[0].source']);
      assert.match((e as Error).message, /network lnweb is not attached to cluster Default/);
      return true;
    });
    await ln.attach('lnweb', 'Default', { roles: 'vm', required: 'no' });
    await core.vms.create(await tinyInput(vm, '', { disks: [], nics: [{ kind: 'profile', source: 'filtered', model: 'virtio' }] }));
    const xml = await virsh('dumpxml', '--inactive', vm);
    assert.match(xml, /<interface type='bridge'>[\s\S]*?<source bridge='lnweb'\/>[\s\S]*?<\/interface>/);
    assert.match(xml, new RegExp(`<filterref filter='${filter}'\\s*/>`));
    assert.equal((await virsh('domstate', vm)).trim(), 'shut off');
    assert.deepEqual((await ln.profileGet('lnweb/filtered')).vms, [vm]);
  });

  it('refuses removing a profile or a network a VM NIC uses, naming the VM; a network a cluster requires, naming the cluster', async () => {
    await assert.rejects(ln.profileRemove('filtered'), (e) => {
      assert.equal(categoryOf(e), 'state');
      assert.match((e as Error).message, new RegExp(`vNIC profile lnweb/filtered: it is in use by the NICs of VM ${vm}`));
      return true;
    });
    await assert.rejects(ln.remove('lnweb'), new RegExp(`logical network lnweb: it is in use by the NICs of VM ${vm}`));
    await assert.rejects(ln.remove('ovirtmgmt'), /logical network ovirtmgmt is required by cluster Default/);
    assert.equal((await ln.get('lnweb')).profiles.length, 2);
    // The VM gone (undefined outside hostdeck), its NIC no longer holds the profile.
    await virsh('undefine', vm);
    await ln.profileRemove('lnweb/filtered');
    await ln.remove('lnweb');
    assert.deepEqual((await ln.list()).map((n) => n.name), ['ovirtmgmt']);
    assert.equal(events(/^Remove logical network lnweb$/).length, 1);
  });
});
