// `hostdeck role ...` and `hostdeck permission ...` on a state DB of the
// test's own and libvirt's test driver (its VM "test"): admin@internal is
// SuperUser on system from the first start; a user logged in with --user is
// refused what no role of theirs grants on the object (exit 4 naming the
// permit, one refusal event) and allowed what one does, on the object or
// above it; the last SuperUser permission and a custom role in use are not
// removed; read-only mode refuses changes; bad input exits 2 naming its option.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/manager/db.ts';
import { scratchCli } from '../lib/cli-main.ts';

const cli = scratchCli('hostdeck-permission-cli-');
const { hostdeck } = cli;
const PASSWORD = 'Lantern-river-19';

const passwordFile = () => {
  const p = join(cli.dir, 'password');
  writeFileSync(p, `${PASSWORD}\n`);
  chmodSync(p, 0o600);
  return p;
};
const asBob = (...argv: string[]) => hostdeck('--user', 'bob@internal', '--user-password-file', passwordFile(), ...argv);
const events = (like: string) => {
  const db = openDatabase(cli.dbPath());
  try { return db.prepare('SELECT message, user, result FROM events WHERE message LIKE ? ORDER BY id').all(like) as { message: string; user: string; result: string }[]; } finally { db.close(); }
};

describe('hostdeck role and permission', () => {
  it('the built-in roles are listed; admin@internal holds SuperUser on system from the first start', async () => {
    const roles = await hostdeck('role', 'list', '--json');
    assert.equal(roles.code, 0, roles.err);
    assert.deepEqual((JSON.parse(roles.out) as { name: string }[]).map((r) => r.name).slice(0, 3), ['SuperUser', 'ClusterAdmin', 'DataCenterAdmin']);
    const list = await hostdeck('permission', 'list');
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, /1 +user admin@internal +SuperUser +system/);
  });

  it('a UserRole user on VM test sees it but is refused changing it: exit 4 naming the permit, one refusal event naming bob', async () => {
    assert.equal((await hostdeck('user', 'add', 'bob', '--password-file', passwordFile())).code, 0);
    const add = await hostdeck('permission', 'add', '--for', 'bob@internal', '--role', 'UserRole', '--object', 'vm:test');
    assert.equal(add.code, 0, add.err);
    assert.match(add.out, /Permission 2: user bob@internal has UserRole on VM test\./);
    const denied = await asBob('vm', 'edit', 'test', '--description', 'mine');
    assert.equal(denied.code, 4, denied.err);
    assert.match(denied.err, /needs permit EDIT_VM_PROPERTIES on VM test \(bob@internal has no role granting it there\)/);
    const refusals = events('%refused: needs permit EDIT_VM_PROPERTIES%');
    assert.equal(refusals.length, 1);
    assert.equal(refusals[0]!.user, 'bob@internal');
    const check = await hostdeck('permission', 'check', '--for', 'bob@internal', '--action', 'vm.start', '--object', 'vm:test');
    assert.equal(check.code, 0, check.err);
    assert.match(check.out, /bob@internal may vm\.start on VM test \(permit RUN_VM\) through UserRole given to bob@internal on VM test\./);
    const shown = await asBob('vm', 'show', 'test');
    assert.equal(shown.code, 0, shown.err);
  });

  it('ClusterAdmin on the Default cluster lets bob change VMs in it (inherited), not its data center; the listing on the VM names where each applies from', async () => {
    const add = await hostdeck('permission', 'add', '--for', 'bob', '--role', 'ClusterAdmin', '--object', 'cluster:Default');
    assert.equal(add.code, 0, add.err);
    const here = await hostdeck('permission', 'list', '--object', 'vm:test');
    assert.match(here.out, /2 +user bob@internal +UserRole +VM test +no/);
    assert.match(here.out, /3 +user bob@internal +ClusterAdmin +cluster Default +yes/);
    assert.match(here.out, /1 +user admin@internal +SuperUser +system +yes/);
    const check = await hostdeck('permission', 'check', '--for', 'bob@internal', '--action', 'vm.delete', '--object', 'vm:test', '--json');
    assert.deepEqual(JSON.parse(check.out).via.object, { kind: 'cluster', id: JSON.parse(check.out).via.object.id, name: 'Default' });
    const edit = await asBob('vm', 'edit', 'test', '--description', 'mine');
    assert.equal(edit.code, 0, edit.err);
    const dc = await asBob('dc', 'edit', 'Default', '--description', 'x');
    assert.equal(dc.code, 4, dc.err);
    assert.match(dc.err, /needs permit EDIT_STORAGE_POOL_CONFIGURATION on data center Default/);
    assert.equal((await hostdeck('permission', 'remove', '3')).code, 0);
  });

  it('a custom role: copied, edited, refused removal while used (naming who), removed once free', async () => {
    const copy = await hostdeck('role', 'copy', 'UserRole', '--name', 'Starter');
    assert.equal(copy.code, 0, copy.err);
    const edit = await hostdeck('role', 'edit', 'Starter', '--remove', 'STOP_VM,RESET_VM', '--add', 'EDIT_VM_PROPERTIES');
    assert.equal(edit.code, 0, edit.err);
    assert.match(edit.out, /Role Starter \(user\) now has 10 permits\./);
    const builtin = await hostdeck('role', 'edit', 'UserRole', '--add', 'DELETE_VM');
    assert.equal(builtin.code, 2);
    assert.match(builtin.err, /ROLE: UserRole is built in and read-only/);
    assert.equal((await hostdeck('permission', 'add', '--group', 'ops@internal', '--role', 'Starter', '--object', 'system')).code, 0);
    const inUse = await hostdeck('role', 'remove', 'Starter');
    assert.equal(inUse.code, 1);
    assert.match(inUse.err, /role Starter is in use by 1 permission\(s\): #4 ops@internal on system/);
    assert.equal((await hostdeck('permission', 'remove', '4')).code, 0);
    assert.equal((await hostdeck('role', 'remove', 'Starter')).code, 0);
  });

  it('the last SuperUser permission on system is not removed; a UserRole user may not give permissions', async () => {
    const last = await hostdeck('permission', 'remove', '1');
    assert.equal(last.code, 1);
    assert.match(last.err, /permission 1 is the last SuperUser permission on system/);
    const grant = await asBob('permission', 'add', '--for', 'bob', '--role', 'SuperUser', '--object', 'system');
    assert.equal(grant.code, 4);
    assert.match(grant.err, /needs permit MANIPULATE_PERMISSIONS on system/);
    assert.match((await hostdeck('permission', 'list')).out, /^1 +user admin@internal +SuperUser +system$/m);
  });

  it('a sample of the RBAC matrix through the CLI: each role on the Default cluster, changes at the VM, cluster and data center: exit 0 or 4 as the role data says', async () => {
    const { builtinRole } = await import('../../src/domain/roles.ts');
    const changes: [string[], string][] = [
      [['vm', 'edit', 'test', '--description', 'sample'], 'EDIT_VM_PROPERTIES'],
      [['cluster', 'edit', 'Default', '--description', 'sample'], 'EDIT_CLUSTER_CONFIGURATION'],
      [['dc', 'edit', 'Default', '--description', 'sample'], 'EDIT_STORAGE_POOL_CONFIGURATION'],
    ];
    let cells = 0;
    for (const role of ['UserRole', 'UserVmManager', 'ClusterAdmin', 'DataCenterAdmin', 'ReadOnlyAdmin']) {
      const add = await hostdeck('permission', 'add', '--for', 'bob', '--role', role, '--object', 'cluster:Default', '--json');
      assert.equal(add.code, 0, add.err);
      for (const [argv, permit] of changes) {
        const r = await asBob(...argv);
        // The cluster is below the data center: a permission on the cluster never reaches it.
        const expected = builtinRole(role)!.permits.includes(permit as never) && argv[0] !== 'dc' ? 0 : 4;
        assert.equal(r.code, expected, `${role}: ${argv.join(' ')}: ${r.err}`);
        if (expected === 4) assert.match(r.err, new RegExp(`needs permit ${permit}`));
        cells++;
      }
      assert.equal((await hostdeck('permission', 'remove', String((JSON.parse(add.out) as { id: number }).id))).code, 0);
    }
    assert.equal(cells, 15);
  });

  it('read-only mode refuses a change; bad input exits 2 naming the option and its rule, nothing written', async () => {
    const ro = await hostdeck('--read-only', 'permission', 'add', '--for', 'bob', '--role', 'UserRole', '--object', 'system');
    assert.equal(ro.code, 1);
    assert.match(ro.err, /read-only mode/);
    const cases: [string[], RegExp][] = [
      [['permission', 'add', '--for', 'bob', '--role', 'Nope', '--object', 'system'], /--role: no role "Nope"/],
      [['permission', 'add', '--for', 'bob', '--role', 'UserRole', '--object', 'vm:ghost'], /--object: no VM ghost \(it must exist/],
      [['permission', 'add', '--for', 'bob', '--role', 'UserRole', '--object', 'planet:x'], /--object: must be KIND:NAME/],
      [['permission', 'add', '--for', 'bob', '--group', 'ops', '--role', 'UserRole', '--object', 'system'], /--for: give either a user or a group/],
      [['permission', 'check', '--for', 'bob', '--action', 'vm.fly', '--object', 'system'], /--action: no action "vm\.fly"/],
      [['role', 'edit', 'UserRole', '--add', 'FLY'], /--add: no permit "FLY"/],
      [['role', 'copy', 'UserRole', '--name', '1bad'], /--name: a role name is 1 to 50 letters/],
      [['permission', 'remove', 'x'], /ID: must be a permission number/],
    ];
    for (const [argv, said] of cases) {
      const r = await hostdeck(...argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.err, said);
    }
    assert.deepEqual((JSON.parse((await hostdeck('permission', 'list', '--json')).out) as { id: number }[]).map((p) => p.id), [1, 2]);
  });
});
