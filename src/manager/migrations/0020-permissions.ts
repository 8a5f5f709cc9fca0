import type { Migration } from './index.ts';

// Roles and permissions (issue #16), as oVirt keeps them: the built-in roles
// are data in the code (src/domain/roles.ts), so only custom roles and their
// permits are rows; a permission gives a user or a group a role on one object
// (system, data center, cluster, host, storage domain, logical network,
// template, VM or VM pool), named by the object's id, with the name it had
// when given for listings. admin@internal is SuperUser on system from the
// first start, as in oVirt.
export const permissions0020: Migration = {
  id: '0020-permissions',
  up(db) {
    db.exec(`
      CREATE TABLE custom_roles (
        name TEXT PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('admin', 'user')),
        description TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
      );
      CREATE TABLE custom_role_permits (
        role TEXT NOT NULL REFERENCES custom_roles(name) ON DELETE CASCADE ON UPDATE CASCADE,
        permit TEXT NOT NULL,
        PRIMARY KEY (role, permit)
      );
      CREATE TABLE permissions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        principal_type TEXT NOT NULL CHECK (principal_type IN ('user', 'group')),
        principal TEXT NOT NULL,
        role TEXT NOT NULL,
        object_kind TEXT NOT NULL CHECK (object_kind IN ('system', 'data-center', 'cluster', 'host', 'storage-domain', 'logical-network', 'template', 'vm', 'vm-pool')),
        object_id TEXT NOT NULL,
        object_name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (principal_type, principal, role, object_kind, object_id)
      );
      CREATE INDEX permissions_object ON permissions(object_kind, object_id);
      CREATE INDEX permissions_principal ON permissions(principal);
    `);
    db.prepare(`INSERT INTO permissions (principal_type, principal, role, object_kind, object_id, object_name, created_at)
      VALUES ('user', 'admin@internal', 'SuperUser', 'system', 'system', 'system', ?)`).run(new Date().toISOString());
  },
};
