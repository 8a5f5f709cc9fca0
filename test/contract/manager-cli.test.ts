// `hostdeck dc|cluster|manager|host ...` on a state DB of the test's own and
// libvirt's test driver: exit 0 with --json listings, exit 2 naming the option
// and the rule (nothing created), exit 1 for a refusal (what holds it named),
// read-only mode changing nothing; and this host's maintenance with the test
// driver's running VM (a real shutdown there, none of the machine's VMs).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scratchCli, type CliRun } from '../lib/cli-main.ts';
import { testServices } from '../lib/services.ts';
import { createCore } from '../../src/core/index.ts';
import { openDatabase } from '../../src/manager/db.ts';

const { hostdeck, dbPath } = scratchCli('hostdeck-manager-cli-');
const count = (table: string) => {
  const db = openDatabase(dbPath());
  try { return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number; } finally { db.close(); }
};
const json = <T>(r: CliRun): T => { assert.equal(r.code, 0, r.err); return JSON.parse(r.out) as T; };

describe('hostdeck dc / cluster / manager / host', () => {
  it('dc: create, list --json, show --json, edit; bad values exit 2 naming each option and create nothing', async () => {
    const bad = await hostdeck('dc', 'create', '--name', 'x'.repeat(41), '--storage-type', 'nfs', '--compat-version', '4.6');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--name: must be at most 40 characters \(got 41\)/);
    assert.match(bad.err, /--storage-type: must be one of shared, local \(got "nfs"\)/);
    assert.match(bad.err, /--compat-version: must be one of 4\.7, 4\.8 \(got "4\.6"\)/);
    assert.equal(count('data_centers'), 1);
    assert.equal((await hostdeck('dc', 'create', '--name', 'dc-2', '--storage-type', 'local', '--compat-version', '4.7', '--description', 'the lab')).code, 0);
    const dup = await hostdeck('dc', 'create', '--name', 'dc-2');
    assert.equal(dup.code, 2);
    assert.match(dup.err, /--name: a data center named "dc-2" exists/);
    const list = json<{ name: string; status: string; storageType: string }[]>(await hostdeck('dc', 'list', '--json'));
    assert.deepEqual(list.map((d) => [d.name, d.status, d.storageType]), [['Default', 'Uninitialized', 'shared'], ['dc-2', 'Uninitialized', 'local']]);
    const edited = json<{ compatibilityVersion: string; description: string }>(await hostdeck('dc', 'edit', 'dc-2', '--compat-version', '4.8', '--json'));
    assert.deepEqual([edited.compatibilityVersion, edited.description], ['4.8', 'the lab']);
    const lower = await hostdeck('dc', 'edit', 'dc-2', '--compat-version', '4.7');
    assert.equal(lower.code, 2);
    assert.match(lower.err, /--compat-version: cannot be lowered \(from 4\.8 to 4\.7\)/);
    assert.equal(json<{ compatibilityVersion: string }>(await hostdeck('dc', 'show', 'dc-2', '--json')).compatibilityVersion, '4.8');
    const missing = await hostdeck('dc', 'show', 'nope');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /data center: no data center "nope"/);
  });

  it('cluster: a CPU type and over-commit out of the rules exit 2 naming the options; create, list --json; remove of a data center holding it exits 1 naming it', async () => {
    const bad = await hostdeck('cluster', 'create', '--name', 'c1', '--dc', 'dc-2', '--cpu-type', '-evil', '--memory-overcommit', '99', '--threads-as-cores', 'perhaps');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--cpu-type: must be host-model, host-passthrough or a CPU model name/);
    assert.match(bad.err, /--memory-overcommit: must be a whole percentage from 100 to 400 \(got "99"\)/);
    assert.match(bad.err, /--threads-as-cores: must be yes or no/);
    assert.equal(count('clusters'), 1);
    const c = json<{ name: string; dataCenter: string; memoryOvercommit: number; threadsAsCores: boolean }>(
      await hostdeck('cluster', 'create', '--name', 'c1', '--dc', 'dc-2', '--cpu-type', 'host-model', '--memory-overcommit', '150', '--threads-as-cores', 'yes', '--json'));
    assert.deepEqual([c.name, c.dataCenter, c.memoryOvercommit, c.threadsAsCores], ['c1', 'dc-2', 150, true]);
    assert.deepEqual(json<{ name: string }[]>(await hostdeck('cluster', 'list', '--json')).map((x) => x.name), ['Default', 'c1']);
    const held = await hostdeck('dc', 'remove', 'dc-2', '--yes');
    assert.equal(held.code, 1);
    assert.match(held.err, /data center dc-2 still holds clusters c1/);
    assert.equal(count('data_centers'), 2);
    const noYes = await hostdeck('cluster', 'remove', 'c1');
    assert.equal(noYes.code, 2);
    assert.match(noYes.err, /--yes: is required without a terminal/);
  });

  it('read-only mode refuses every change and changes nothing', async () => {
    const r = await hostdeck('dc', 'create', '--name', 'ro', '--read-only');
    assert.equal(r.code, 1);
    assert.match(r.err, /read-only/);
    assert.equal((await hostdeck('manager', 'init', '--read-only')).code, 1);
    assert.equal(count('data_centers'), 2);
    assert.equal(json<{ mode: string }>(await hostdeck('manager', 'status', '--json')).mode, 'unconfigured');
  });

  it('manager init into a cluster, status --json, init again refused, leave; an unknown cluster exits 2 naming --cluster', async () => {
    const unknown = await hostdeck('manager', 'init', '--cluster', 'nope');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /--cluster: no cluster "nope"/);
    assert.equal((await hostdeck('manager', 'init', '--cluster', 'c1')).code, 0);
    assert.deepEqual(json<{ mode: string; cluster: string }>(await hostdeck('manager', 'status', '--json')), { mode: 'standalone', summary: 'standalone (managed by this host)', cluster: 'c1', dataCenters: 2, clusters: 2 });
    const again = await hostdeck('manager', 'init');
    assert.equal(again.code, 1);
    assert.match(again.err, /already a standalone manager \(cluster c1\)/);
    const inUse = await hostdeck('cluster', 'remove', 'c1', '--yes');
    assert.equal(inUse.code, 1);
    assert.match(inUse.err, /this host is in cluster c1/);
    assert.equal(json<{ cluster: string; status: string }>(await hostdeck('host', 'show', '--json')).cluster, 'c1');
    const vm = await hostdeck('vm', 'create', 'newvm', '--cluster', 'nope');
    assert.equal(vm.code, 2);
    assert.match(vm.err, /--cluster: no cluster "nope"/);
    assert.equal((await hostdeck('manager', 'leave')).code, 0);
    assert.equal(json<{ mode: string }>(await hostdeck('manager', 'status', '--json')).mode, 'unconfigured');
  });

  it('host: maintenance refused while a VM runs (named), move refused outside maintenance; --stop-vms shuts it down, a start is then refused; move and activate', async () => {
    const refused = await hostdeck('host', 'maintenance');
    assert.equal(refused.code, 1);
    assert.match(refused.err, /VMs run on this host: test; .*--stop-vms/);
    const move = await hostdeck('host', 'move', '--cluster', 'Default');
    assert.equal(move.code, 1);
    assert.match(move.err, /only in maintenance/);
    assert.equal((await hostdeck('host', 'move')).code, 2);
    // One connection to the test driver for the rest, so its VM stays shut off between the calls.
    const s = testServices({ channel: 'cli' });
    try {
      const core = createCore(s, { user: 'tester', channel: 'cli' });
      const h = await core.manager.host.maintenance({ stopVms: true, stopTimeoutMs: 5000 });
      assert.equal(h.status, 'Maintenance');
      assert.equal((await s.virt.domainGet('test')).state, 'shutoff');
      await assert.rejects(core.vms.start('test'), /cannot start test: this host is in maintenance/);
      await core.manager.clusters.create({ name: 'c9', dataCenter: 'Default', cpuType: 'host-model' });
      assert.equal((await core.manager.host.move('c9')).cluster, 'c9');
      const up = await core.manager.host.activate();
      assert.deepEqual([up.status, up.cluster], ['Up', 'c9']);
      await core.vms.start('test');
      const msgs = s.events.list({ limit: 50 }).map((e) => e.message);
      assert.ok(msgs.includes('Put this host into maintenance, shutting its VMs down'));
      assert.ok(msgs.includes('Move this host to cluster c9'));
      assert.ok(msgs.includes('Activate this host'));
    } finally {
      await s.cleanup();
    }
  });
});
