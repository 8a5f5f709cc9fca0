import type { Migration } from './index.ts';

/** Staged network changes (issue #6): one row per operation, applied in id order. */
export const network0002: Migration = {
  id: '0002-network',
  up(db) {
    db.exec(`
      CREATE TABLE net_staged (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        change TEXT NOT NULL,
        user TEXT NOT NULL,
        staged_at TEXT NOT NULL
      );
    `);
  },
};
