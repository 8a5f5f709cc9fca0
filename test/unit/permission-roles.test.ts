// The built-in roles are oVirt's (ovirt-engine 4.5.7's role data), and every
// action of the catalog needs a permit that exists: a change one of oVirt's
// action groups, a read the sight of its object.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACTION_CATALOG } from '../../src/core/catalog.ts';
import { ACTION_PERMITS, permitOf } from '../../src/core/permits.ts';
import { BUILTIN_ROLES, builtinRole, isPermit, PERMITS } from '../../src/domain/roles.ts';

describe('roles and permits', () => {
  test('every mutating catalog action is mapped to a permit oVirt has', () => {
    const unmapped = ACTION_CATALOG.filter((a) => a.mutates && !ACTION_PERMITS[a.id]).map((a) => a.id);
    assert.deepEqual(unmapped, [], 'add these to ACTION_PERMITS in src/core/permits.ts');
    assert.deepEqual(Object.entries(ACTION_PERMITS).filter(([, p]) => !isPermit(p)), []);
    // A read needs only the sight of its object, except the console, which is oVirt's CONNECT_TO_VM.
    assert.equal(permitOf({ id: 'vm.list', mutates: false }), undefined);
    assert.equal(permitOf({ id: 'vm.console', mutates: false }), 'CONNECT_TO_VM');
  });

  test('the thirteen built-in roles with their type and permit counts as oVirt ships them', () => {
    const shape = Object.fromEntries(BUILTIN_ROLES.map((r) => [r.name, `${r.type} ${r.permits.length}`]));
    assert.deepEqual(shape, {
      SuperUser: 'admin 97', ClusterAdmin: 'admin 55', DataCenterAdmin: 'admin 74', StorageAdmin: 'admin 23', HostAdmin: 'admin 18', NetworkAdmin: 'admin 16',
      TemplateAdmin: 'admin 14', VmPoolAdmin: 'admin 11', UserRole: 'user 11', UserVmManager: 'user 26', PowerUserRole: 'user 10', ReadOnlyAdmin: 'admin 1', AuditLogManager: 'admin 2',
    });
    assert.deepEqual(builtinRole('SuperUser')!.permits.length, Object.keys(PERMITS).length - ['CREATE_INSTANCE', 'EDIT_PROFILE'].length);
    assert.deepEqual([...builtinRole('ReadOnlyAdmin')!.permits], ['LOGIN']);
    assert.deepEqual([...builtinRole('UserRole')!.permits].sort(), ['ACCESS_IMAGE_STORAGE', 'CHANGE_VM_CD', 'CONNECT_TO_VM', 'HIBERNATE_VM', 'LOGIN', 'REBOOT_VM', 'RESET_VM', 'RUN_VM', 'SHUT_DOWN_VM', 'STOP_VM', 'VM_POOL_BASIC_OPERATIONS']);
  });

  test('ReadOnlyAdmin and AuditLogManager grant no change of the catalog; SuperUser grants every one', () => {
    const changes = ACTION_CATALOG.filter((a) => a.mutates);
    const grants = (role: string) => changes.filter((a) => builtinRole(role)!.permits.includes(permitOf(a)!)).map((a) => a.id);
    assert.deepEqual(grants('ReadOnlyAdmin'), []);
    assert.deepEqual(grants('AuditLogManager'), []);
    assert.equal(grants('SuperUser').length, changes.length);
  });
});
