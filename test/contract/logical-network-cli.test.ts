// `hostdeck network ...` (the manager's logical networks and vNIC profiles,
// not `hostdeck net`) on a state DB of the test's own and libvirt's test
// driver: exit 0 with --json listings, exit 2 naming the option and the rule
// with nothing created, exit 1 for a refusal naming what holds the network,
// read-only mode changing nothing; `vm create --nic profile=` names --nic.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scratchCli, type CliRun } from '../lib/cli-main.ts';
import { openDatabase } from '../../src/manager/db.ts';

const { hostdeck, dbPath } = scratchCli('hostdeck-lnet-cli-');
const count = (table: string) => {
  const db = openDatabase(dbPath());
  try { return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number; } finally { db.close(); }
};
const json = <T>(r: CliRun): T => { assert.equal(r.code, 0, r.err); return JSON.parse(r.out) as T; };

describe('hostdeck network (logical networks and vNIC profiles)', () => {
  it('create: bad values exit 2 naming each option and the rule, creating nothing; then create, list --json, show --json, edit', async () => {
    const bad = await hostdeck('network', 'create', '--name', 'br.web', '--vlan', '4095', '--mtu', '67', '--vm-network', 'perhaps', '--dc', 'Nowhere');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--name: may contain only letters, digits, '_' and '-' \(a Linux bridge name: no ':', '\.', '\/' or space\)/);
    assert.match(bad.err, /--vlan: must be a whole number from 0 to 4094, or none \(got "4095"\)/);
    assert.match(bad.err, /--mtu: must be a whole number from 68 to 65535, or default \(got "67"\)/);
    assert.match(bad.err, /--vm-network: must be yes or no/);
    assert.match(bad.err, /--dc: no data center "Nowhere"/);
    assert.equal((await hostdeck('network', 'create', '--name', 'a234567890123456')).code, 2);
    assert.equal(count('logical_networks'), 1);
    const n = json<{ name: string; vlan: number; mtu: number; profiles: { name: string }[] }>(await hostdeck('network', 'create', '--name', 'storage', '--vlan', '20', '--mtu', '9000', '--vm-network', 'no', '--json'));
    assert.deepEqual([n.name, n.vlan, n.mtu, n.profiles.map((p) => p.name)], ['storage', 20, 9000, ['storage']]);
    const dup = await hostdeck('network', 'create', '--name', 'storage');
    assert.equal(dup.code, 2);
    assert.match(dup.err, /--name: a logical network named "storage" exists/);
    const list = json<{ name: string; dataCenter: string; clusters: { cluster: string }[] }[]>(await hostdeck('network', 'list', '--json'));
    assert.deepEqual(list.map((x) => [x.name, x.dataCenter, x.clusters.map((c) => c.cluster)]), [['ovirtmgmt', 'Default', ['Default']], ['storage', 'Default', []]]);
    const text = await hostdeck('network', 'list');
    assert.match(text.out, /^NAME\s+DC\s+VLAN\s+MTU\s+VM\s+CLUSTERS/m);
    assert.equal(json<{ mtu: number | null; vlan: number }>(await hostdeck('network', 'edit', 'storage', '--mtu', 'default', '--json')).mtu, null);
    assert.equal(json<{ vlan: number }>(await hostdeck('network', 'show', 'storage', '--json')).vlan, 20);
    const missing = await hostdeck('network', 'show', 'nope');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /logical network: no logical network "nope"/);
  });

  it('attach: the vm role on a non-VM network and a second management network exit 2 naming --roles; a required network is not removed (exit 1, the cluster named)', async () => {
    const vm = await hostdeck('network', 'attach', 'storage', '--cluster', 'Default', '--roles', 'vm');
    assert.equal(vm.code, 2);
    assert.match(vm.err, /--roles: network storage is not a VM network/);
    const mgmt = await hostdeck('network', 'attach', 'storage', '--cluster', 'Default', '--roles', 'management');
    assert.equal(mgmt.code, 2);
    assert.match(mgmt.err, /--roles: cluster Default already has ovirtmgmt as its management network/);
    assert.equal((await hostdeck('network', 'attach', 'storage')).code, 2);
    assert.equal(count('cluster_networks'), 1);
    const taken = await hostdeck('network', 'attach', 'storage', '--cluster', 'Default', '--roles', 'migration');
    assert.equal(taken.code, 2);
    assert.match(taken.err, /--roles: cluster Default already has ovirtmgmt as its migration network \(at most one per cluster\)/);
    const a = json<{ clusters: { cluster: string; roles: string[]; required: boolean }[] }>(await hostdeck('network', 'attach', 'storage', '--cluster', 'Default', '--required', 'yes', '--json'));
    assert.deepEqual(a.clusters, [{ cluster: 'Default', roles: [], required: true }]);
    const rm = await hostdeck('network', 'remove', 'storage', '--yes');
    assert.equal(rm.code, 1);
    assert.match(rm.err, /logical network storage is required by cluster Default/);
    assert.equal((await hostdeck('network', 'detach', 'storage', '--cluster', 'Default')).code, 0);
    assert.equal((await hostdeck('network', 'remove', 'storage', '--yes')).code, 0);
    assert.equal(count('logical_networks'), 1);
    assert.equal(count('vnic_profiles'), 1);
  });

  it('profiles: a filter libvirt lacks exits 2 naming --filter; create, list --json, edit, remove', async () => {
    const bad = await hostdeck('network', 'profile', 'create', 'ovirtmgmt', '--name', 'locked', '--filter', 'clean-traffic');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--filter: libvirt has no network filter "clean-traffic"/);
    const badName = await hostdeck('network', 'profile', 'create', 'ovirtmgmt', '--name', 'a/b');
    assert.equal(badName.code, 2);
    assert.match(badName.err, /--name: may contain only letters/);
    assert.equal(count('vnic_profiles'), 1);
    assert.equal((await hostdeck('network', 'profile', 'create', 'ovirtmgmt', '--name', 'guests', '--description', 'guest VMs')).code, 0);
    const list = json<{ name: string; network: string; filter: string | null }[]>(await hostdeck('network', 'profile', 'list', 'ovirtmgmt', '--json'));
    assert.deepEqual(list.map((p) => [p.name, p.network, p.filter]), [['guests', 'ovirtmgmt', null], ['ovirtmgmt', 'ovirtmgmt', null]]);
    assert.equal(json<{ description: string }>(await hostdeck('network', 'profile', 'edit', 'ovirtmgmt/guests', '--description', 'lab', '--json')).description, 'lab');
    assert.equal((await hostdeck('network', 'profile', 'remove', 'guests', '--yes')).code, 0);
    assert.equal(count('vnic_profiles'), 1);
  });

  it('vm create --nic profile=: an unknown profile exits 2 naming --nic', async () => {
    const r = await hostdeck('vm', 'create', 'lnet-vm', '--memory', '64M', '--nic', 'profile=nope', '--dry-run');
    assert.equal(r.code, 2);
    assert.match(r.err, /--nic: no vNIC profile "nope"|NIC 1 vNIC profile: no vNIC profile "nope"/);
  });

  it('read-only mode refuses every change and changes nothing', async () => {
    const r = await hostdeck('network', 'create', '--name', 'ro', '--read-only');
    assert.equal(r.code, 1);
    assert.match(r.err, /read-only/);
    assert.equal((await hostdeck('network', 'profile', 'create', 'ovirtmgmt', '--name', 'ro', '--read-only')).code, 1);
    assert.equal(count('logical_networks'), 1);
    assert.equal(count('vnic_profiles'), 1);
  });
});
