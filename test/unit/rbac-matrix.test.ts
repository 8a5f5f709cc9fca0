// The RBAC matrix: every built-in role x every mutating catalog action x an
// object at each level of inheritance (the permission given on the object
// itself, on its parent, on the system, on another object), through the real
// door over a real SQLite state DB and libvirt's test driver (its VM "test").
// Each cell is allowed or denied exactly as oVirt's role data says: allowed
// when the role holds the action's permit and the permission is on the object
// or above it. Every denial writes one refusal event, every allowed call its
// success event.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { accessOf } from '../../src/core/access.ts';
import { ACTION_CATALOG, type ActionDef, type ActionId } from '../../src/core/catalog.ts';
import { createDoor, type Door } from '../../src/core/door.ts';
import { permissionTarget, permitOf, type PermissionObjectKind } from '../../src/core/permits.ts';
import { PermissionDeniedError } from '../../src/domain/errors.ts';
import { BUILTIN_ROLES } from '../../src/domain/roles.ts';
import { managerRepo } from '../../src/manager/repos/manager-model.ts';
import { logicalNetworkRepo } from '../../src/manager/repos/logical-networks.ts';
import { permissionRepo } from '../../src/manager/repos/permissions.ts';
import { poolRepo } from '../../src/manager/repos/pools.ts';
import { storageDomainRepo } from '../../src/manager/repos/storage-domains.ts';
import { templateRepo } from '../../src/manager/repos/templates.ts';
import { testServices } from '../lib/services.ts';

const USER = 'matrix@internal';
type Level = 'object' | 'parent' | 'system' | 'other';
const LEVELS: readonly Level[] = ['object', 'parent', 'system', 'other'];

/** A permission's object: kind and the id it is stored under. */
interface Grant { kind: PermissionObjectKind; id: string; name: string }

describe('RBAC matrix: built-in roles x mutating actions x inheritance levels', () => {
  let s: ReturnType<typeof testServices>;
  let door: Door;
  /** Per permission kind: the id the door is given, and the objects to grant on at each level. */
  let fixtures: Record<PermissionObjectKind, { doorId: string; levels: Record<Level, Grant> }>;

  before(async () => {
    s = testServices({ channel: 'cli' });
    const db = s.db;
    // Thousands of one-row transactions: a throwaway DB need not wait for the disk on each.
    db.pragma('synchronous = OFF');
    const m = managerRepo(db);
    const dflt = m.dataCenter('Default')!;
    const cluster = m.cluster('Default')!;
    const dc2 = m.insertDataCenter({ name: 'dc2', description: '', storageType: 'shared', compatibilityVersion: dflt.compatibilityVersion });
    const cl2 = m.insertCluster({ name: 'cl2', description: '', dataCenterId: dc2, cpuType: 'host-model', memoryOvercommit: 100, threadsAsCores: false });
    const now = new Date().toISOString();
    storageDomainRepo(db).insert({
      id: 'sd1-id', name: 'sd1', description: '', type: 'data', kind: 'file', dataCenterId: dflt.id, connectionId: '', status: 'active', formatVersion: 5, poolName: 'sd1', poolType: 'dir',
      path: '/srv/sd1', device: null, capacityBytes: null, usedBytes: null, freeBytes: null, checkedAt: null, lastError: null, creatorHost: 'test', createdAt: now, attachedAt: now,
    });
    templateRepo(db).insert({
      id: 't1-id', baseId: 't1-id', name: 't1', version: 1, versionName: '', description: '', storageDomainId: 'sd1-id', sourceVm: null,
      hardware: { vcpus: 1, memoryMiB: 64, machine: 'pc', osType: 'linux', boot: 'disk', graphics: 'none', nics: [] }, sealed: false, status: 'ready', creatorPid: null, createdAt: now, disks: [],
    });
    poolRepo(db).insert({ id: 'p1-id', name: 'p1', description: '', templateId: 't1-id', templateVersion: 'latest', clusterId: cluster.id, size: 1, prestarted: 0, maxPerUser: 1, type: 'manual', status: 'ready', creatorPid: null, createdAt: now });
    const ln1 = logicalNetworkRepo(db).insertNetwork({ name: 'ln1', dataCenterId: dflt.id, description: '', vlan: null, mtu: null, vmNetwork: true });
    const vmUuid = (await s.virt.domainList()).find((d) => d.name === 'test')!.uuid;

    const system: Grant = { kind: 'system', id: 'system', name: 'system' };
    const dc: Grant = { kind: 'data-center', id: dflt.id, name: 'Default' };
    const cl: Grant = { kind: 'cluster', id: cluster.id, name: 'Default' };
    const otherDc: Grant = { kind: 'data-center', id: dc2, name: 'dc2' };
    const otherCl: Grant = { kind: 'cluster', id: cl2, name: 'cl2' };
    const f = (doorId: string, object: Grant, parent: Grant, other: Grant) => ({ doorId, levels: { object, parent, system, other } });
    fixtures = {
      system: f('x', system, system, otherDc),
      'data-center': f('Default', dc, system, otherDc),
      cluster: f('Default', cl, dc, otherCl),
      host: f('host', { kind: 'host', id: 'host', name: 'host' }, cl, otherCl),
      'storage-domain': f('sd1', { kind: 'storage-domain', id: 'sd1-id', name: 'sd1' }, dc, otherDc),
      'logical-network': f('ln1', { kind: 'logical-network', id: ln1, name: 'ln1' }, dc, otherDc),
      template: f('t1', { kind: 'template', id: 't1-id', name: 't1' }, dc, otherDc),
      vm: f('test', { kind: 'vm', id: vmUuid, name: 'test' }, cl, otherCl),
      'vm-pool': f('p1', { kind: 'vm-pool', id: 'p1-id', name: 'p1' }, cl, otherCl),
    };
    door = createDoor({ user: 'matrix', channel: 'cli', identity: USER }, s.events, { readOnly: false, engineLock: () => undefined, access: accessOf(s) });
  });
  after(async () => { await s.cleanup(); });

  /** The permission kind an action's object falls under, and the door id that names the fixture's object. */
  const placement = (a: ActionDef): { kind: PermissionObjectKind; doorId: string } => {
    const probe = a.object === 'permission' ? 'vm:test' : a.object === 'vnic-profile' ? 'ln1/p' : 'probe';
    const t = permissionTarget(a.object, probe);
    const kind = t === 'any' ? 'system' : t.kind;
    const doorId = a.object === 'permission' ? 'vm:test' : a.object === 'vnic-profile' ? 'ln1/p' : fixtures[kind].doorId;
    return { kind, doorId };
  };

  test('every cell as the role data says; every denial one refusal event, every allowed call its success event', async () => {
    const repo = permissionRepo(s.db);
    const mutating = ACTION_CATALOG.filter((a) => a.mutates) as ActionDef[];
    const eventsBefore = s.db.prepare("SELECT count(*) FROM events WHERE message LIKE '%refused: needs permit%'").pluck().get() as number;
    const successBefore = s.db.prepare("SELECT count(*) FROM events WHERE result = 'success' AND user = 'matrix'").pluck().get() as number;
    let cells = 0;
    let denials = 0;
    const mismatches: string[] = [];
    for (const role of BUILTIN_ROLES) {
      for (const level of LEVELS) {
        for (const a of mutating) {
          const { kind, doorId } = placement(a);
          const grant = fixtures[kind].levels[level];
          s.db.prepare('DELETE FROM permissions WHERE principal = ?').run(USER);
          repo.insert({ principalType: 'user', principal: USER, role: role.name, objectKind: grant.kind, objectId: grant.id, objectName: grant.name });
          const permit = permitOf(a)!;
          const expected = role.permits.includes(permit) && level !== 'other';
          let allowed = true;
          try {
            await door.act(a.id as ActionId, { id: doorId }, { message: `matrix ${a.id}` }, () => undefined);
          } catch (e) {
            if (!(e instanceof PermissionDeniedError)) throw e;
            assert.equal(e.permit, permit);
            assert.match(e.message, new RegExp(`needs permit ${permit} on .* \\(${USER} has no role granting it there\\)`));
            allowed = false;
            denials++;
          }
          cells++;
          if (allowed !== expected) mismatches.push(`${role.name} on ${level} ${grant.kind}:${grant.name}, ${a.id} (${permit}): ${allowed ? 'allowed' : 'denied'}, expected ${expected ? 'allowed' : 'denied'}`);
        }
      }
    }
    const refusalEvents = (s.db.prepare("SELECT count(*) FROM events WHERE message LIKE '%refused: needs permit%'").pluck().get() as number) - eventsBefore;
    const successEvents = (s.db.prepare("SELECT count(*) FROM events WHERE result = 'success' AND user = 'matrix'").pluck().get() as number) - successBefore;
    console.log(`RBAC matrix: ${BUILTIN_ROLES.length} roles x ${mutating.length} mutating actions x ${LEVELS.length} levels = ${cells} cells checked, ${denials} denied, ${mismatches.length} mismatches; ${refusalEvents} refusal events, ${successEvents} success events`);
    assert.deepEqual(mismatches, []);
    assert.equal(cells, BUILTIN_ROLES.length * mutating.length * LEVELS.length);
    assert.equal(refusalEvents, denials);
    assert.equal(successEvents, cells - denials);
  });

  test('spot checks a user would notice: UserRole on a VM starts it but cannot delete it; ReadOnlyAdmin on system changes nothing', async () => {
    const repo = permissionRepo(s.db);
    s.db.prepare('DELETE FROM permissions WHERE principal = ?').run(USER);
    repo.insert({ principalType: 'user', principal: USER, role: 'UserRole', objectKind: 'vm', objectId: fixtures.vm.levels.object.id, objectName: 'test' });
    await door.act('vm.start', { id: 'test' }, { message: 'Start VM test' }, () => undefined);
    await assert.rejects(door.act('vm.delete', { id: 'test' }, { message: 'Delete VM test' }, () => undefined), /needs permit DELETE_VM on VM test \(matrix@internal has no role granting it there\)/);
    await door.act('vm.show', { id: 'test' }, { message: 'Show VM test' }, () => undefined);
    await assert.rejects(door.act('cluster.list', { id: 'Default' }, { message: 'Show cluster' }, () => undefined), /needs a role on cluster Default to see it/);
    s.db.prepare('DELETE FROM permissions WHERE principal = ?').run(USER);
    repo.insert({ principalType: 'user', principal: USER, role: 'ReadOnlyAdmin', objectKind: 'system', objectId: 'system', objectName: 'system' });
    await door.act('cluster.list', { id: 'Default' }, { message: 'Show cluster' }, () => undefined);
    await door.act('vm.show', { id: 'test' }, { message: 'Show VM test' }, () => undefined);
    for (const a of ACTION_CATALOG.filter((x) => x.mutates)) {
      await assert.rejects(door.act(a.id, { id: placement(a).doorId }, { message: a.id }, () => undefined), PermissionDeniedError, a.id);
    }
  });

  test('a group permission applies to its members; root (no identity) and hostdeck itself are never refused by permissions', async () => {
    s.db.prepare('DELETE FROM permissions WHERE principal = ?').run(USER);
    permissionRepo(s.db).insert({ principalType: 'group', principal: 'ops@internal', role: 'ClusterAdmin', objectKind: 'cluster', objectId: fixtures.cluster.levels.object.id, objectName: 'Default' });
    const member = door.forPrincipal({ user: 'm', channel: 'cli', identity: USER, groups: ['ops@internal'] });
    await member.act('vm.delete', { id: 'test' }, { message: 'Delete VM test' }, () => undefined);
    await assert.rejects(door.act('vm.delete', { id: 'test' }, { message: 'Delete VM test' }, () => undefined), PermissionDeniedError);
    await door.forPrincipal({ user: 'root', channel: 'cli' }).act('cluster.remove', { id: 'cl2' }, { message: 'Remove cluster cl2' }, () => undefined);
    await door.forPrincipal({ user: 'hostdeck', channel: 'system', identity: USER }).act('pool.maintain', { id: 'p1' }, { message: 'maintain' }, () => undefined);
  });
});

describe('one\'s own account', () => {
  test('a user with no role anywhere may change their own password and see their own account, not another\'s', async () => {
    const s = testServices({ channel: 'cli' });
    try {
      const door = createDoor({ user: 'amy', channel: 'cli', identity: 'amy@internal' }, s.events, { readOnly: false, engineLock: () => undefined, access: accessOf(s) });
      await door.act('user.password', { id: 'amy@internal' }, { message: 'Change the password of amy@internal' }, () => undefined);
      await door.act('user.show', { id: 'amy@internal' }, { message: 'Show user amy@internal' }, () => undefined);
      await assert.rejects(door.act('user.password', { id: 'admin@internal' }, { message: 'Reset the password of admin@internal' }, () => undefined), /needs permit MANIPULATE_USERS on system/);
    } finally {
      await s.cleanup();
    }
  });
});
