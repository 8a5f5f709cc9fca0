import type { Migration } from './index.ts';

/** Storage connections (issue #7): CHAP secrets only as AES-256-GCM sealed text. */
export const storageConnections0003: Migration = {
  id: '0003-storage-connections',
  up(db) {
    db.exec(`
      CREATE TABLE storage_connections (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('nfs','iscsi','fc','posixfs','localfs')),
        name TEXT UNIQUE,
        params TEXT NOT NULL,
        identity TEXT NOT NULL UNIQUE,
        persistent INTEGER NOT NULL DEFAULT 1,
        state TEXT NOT NULL DEFAULT 'disconnected' CHECK (state IN ('connected','disconnected','failed','unknown')),
        last_error TEXT,
        chap_secret_sealed TEXT,
        mutual_secret_sealed TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `);
  },
};
