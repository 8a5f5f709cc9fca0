import type { Migration } from './index.ts';

// VM pools (issue #15): a pool is one row, 'creating' while its VMs are made
// (creator_pid says by whom, so the leftovers of a process killed meanwhile
// can be told from a create under way), 'ready' after. pool_vms has one row
// per pool VM (by libvirt UUID and name) with the user it is assigned to and
// since when; NULL user: free for the next one to take.
export const pools0009: Migration = {
  id: '0009-pools',
  up(db) {
    db.exec(`
      CREATE TABLE vm_pools (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        template_id TEXT NOT NULL,
        template_version TEXT NOT NULL DEFAULT 'latest',
        cluster_id TEXT,
        size INTEGER NOT NULL CHECK (size >= 1),
        prestarted INTEGER NOT NULL DEFAULT 0 CHECK (prestarted >= 0),
        max_per_user INTEGER NOT NULL DEFAULT 1 CHECK (max_per_user >= 1),
        type TEXT NOT NULL CHECK (type IN ('automatic','manual')),
        status TEXT NOT NULL CHECK (status IN ('creating','ready')),
        creator_pid INTEGER,
        created_at TEXT NOT NULL
      );
      CREATE TABLE pool_vms (
        vm_uuid TEXT PRIMARY KEY,
        vm_name TEXT NOT NULL,
        pool_id TEXT NOT NULL REFERENCES vm_pools(id) ON DELETE CASCADE,
        user TEXT,
        assigned_at TEXT
      );
      CREATE INDEX pool_vms_pool ON pool_vms(pool_id);
    `);
  },
};
