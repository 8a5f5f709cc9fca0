// Custom roles with their permits, and permissions: a user or group given a
// role on one object (built-in roles are data: src/domain/roles.ts).
import type { Permit, RoleType } from '../../domain/roles.ts';
import type { Db } from '../db.ts';

export type PrincipalType = 'user' | 'group';

export interface PermissionRow {
  id: number;
  principalType: PrincipalType;
  principal: string;
  role: string;
  objectKind: string;
  objectId: string;
  objectName: string;
  createdAt: string;
}

export interface CustomRoleRow { name: string; type: RoleType; description: string; permits: Permit[] }

const COLS = `id, principal_type AS principalType, principal, role, object_kind AS objectKind, object_id AS objectId,
  object_name AS objectName, created_at AS createdAt`;

export function permissionRepo(db: Db) {
  const permitsOf = (role: string) => db.prepare('SELECT permit FROM custom_role_permits WHERE role = ? ORDER BY permit').pluck().all(role) as Permit[];
  const setPermits = (role: string, permits: readonly Permit[]) => {
    db.prepare('DELETE FROM custom_role_permits WHERE role = ?').run(role);
    const ins = db.prepare('INSERT INTO custom_role_permits (role, permit) VALUES (?, ?)');
    for (const p of new Set(permits)) ins.run(role, p);
  };
  return {
    customRoles: (): CustomRoleRow[] => (db.prepare('SELECT name, type, description FROM custom_roles ORDER BY name').all() as Omit<CustomRoleRow, 'permits'>[])
      .map((r) => ({ ...r, permits: permitsOf(r.name) })),
    customRole(name: string): CustomRoleRow | undefined {
      const r = db.prepare('SELECT name, type, description FROM custom_roles WHERE name = ?').get(name) as Omit<CustomRoleRow, 'permits'> | undefined;
      return r && { ...r, permits: permitsOf(r.name) };
    },
    insertRole(r: CustomRoleRow): void {
      db.prepare('INSERT INTO custom_roles (name, type, description, created_at) VALUES (?, ?, ?, ?)').run(r.name, r.type, r.description, new Date().toISOString());
      setPermits(r.name, r.permits);
    },
    updateRole(r: CustomRoleRow): void {
      db.prepare('UPDATE custom_roles SET type = ?, description = ? WHERE name = ?').run(r.type, r.description, r.name);
      setPermits(r.name, r.permits);
    },
    removeRole: (name: string) => { db.prepare('DELETE FROM custom_roles WHERE name = ?').run(name); },

    list(filter: { objectKind?: string; objectId?: string; principal?: string; role?: string } = {}): PermissionRow[] {
      const where: string[] = [];
      const args: string[] = [];
      if (filter.objectKind) { where.push('object_kind = ?'); args.push(filter.objectKind); }
      if (filter.objectId) { where.push('object_id = ?'); args.push(filter.objectId); }
      if (filter.principal) { where.push('principal = ?'); args.push(filter.principal); }
      if (filter.role) { where.push('role = ?'); args.push(filter.role); }
      return db.prepare(`SELECT ${COLS} FROM permissions${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id`).all(...args) as PermissionRow[];
    },
    get: (id: number) => db.prepare(`SELECT ${COLS} FROM permissions WHERE id = ?`).get(id) as PermissionRow | undefined,
    /** The one that already gives this principal this role on this object, if any. */
    same: (p: Omit<PermissionRow, 'id' | 'createdAt' | 'objectName'>) => db.prepare(`SELECT ${COLS} FROM permissions
      WHERE principal_type = ? AND principal = ? AND role = ? AND object_kind = ? AND object_id = ?`)
      .get(p.principalType, p.principal, p.role, p.objectKind, p.objectId) as PermissionRow | undefined,
    insert(p: Omit<PermissionRow, 'id' | 'createdAt'>): number {
      return Number(db.prepare(`INSERT INTO permissions (principal_type, principal, role, object_kind, object_id, object_name, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`).run(p.principalType, p.principal, p.role, p.objectKind, p.objectId, p.objectName, new Date().toISOString()).lastInsertRowid);
    },
    remove: (id: number) => { db.prepare('DELETE FROM permissions WHERE id = ?').run(id); },
    /** Every permission given to this user or group (one that is removed); how many went. */
    removeFor: (type: PrincipalType, name: string) => db.prepare('DELETE FROM permissions WHERE principal_type = ? AND principal = ?').run(type, name).changes,
    /**
     * The roles given to any of these principals (a user and their groups) on
     * any of these objects ("kind:id"): one query for a whole inheritance chain.
     */
    rolesOn(principals: readonly { type: PrincipalType; name: string }[], objects: readonly string[]): { role: string; objectKey: string; principal: string }[] {
      if (!principals.length || !objects.length) return [];
      const who = principals.map(() => '(principal_type = ? AND principal = ?)').join(' OR ');
      const what = objects.map(() => '?').join(', ');
      return db.prepare(`SELECT role, object_kind || ':' || object_id AS objectKey, principal FROM permissions
        WHERE (${who}) AND object_kind || ':' || object_id IN (${what}) ORDER BY id`)
        .all(...principals.flatMap((p) => [p.type, p.name]), ...objects) as { role: string; objectKey: string; principal: string }[];
    },
    /** Whether any of these principals holds any permission at all (who may see a listing). */
    holdsAny(principals: readonly { type: PrincipalType; name: string }[]): boolean {
      if (!principals.length) return false;
      const who = principals.map(() => '(principal_type = ? AND principal = ?)').join(' OR ');
      return db.prepare(`SELECT 1 FROM permissions WHERE ${who} LIMIT 1`).get(...principals.flatMap((p) => [p.type, p.name])) !== undefined;
    },
  };
}

export type PermissionRepo = ReturnType<typeof permissionRepo>;
