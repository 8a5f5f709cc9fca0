import type { Migration } from './index.ts';

// Storage domains of the data center (issue #7). The id is the domain's UUID,
// the same one written onto the storage (dom_md/metadata or VG tags), so an
// import on another host finds the same row key. connection_id refers to a
// storage connection (0003) by id; no foreign key, so a domain row outlives a
// connection record removed by hand and shows as inactive instead.
export const storageDomains0004: Migration = {
  id: '0004-storage-domains',
  up(db) {
    db.exec(`
      CREATE TABLE storage_domains (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        type TEXT NOT NULL CHECK (type IN ('data','iso','export')),
        kind TEXT NOT NULL CHECK (kind IN ('file','block')),
        data_center_id TEXT NOT NULL REFERENCES data_centers(id),
        connection_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active','inactive','maintenance','unreachable')),
        format_version INTEGER NOT NULL,
        pool_name TEXT NOT NULL UNIQUE,
        pool_type TEXT NOT NULL CHECK (pool_type IN ('dir','logical','netfs','fs','iscsi')),
        path TEXT NOT NULL,
        device TEXT,
        capacity_bytes INTEGER,
        used_bytes INTEGER,
        free_bytes INTEGER,
        checked_at TEXT,
        last_error TEXT,
        creator_host TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attached_at TEXT NOT NULL
      );
      CREATE INDEX storage_domains_connection ON storage_domains(connection_id);
    `);
  },
};
