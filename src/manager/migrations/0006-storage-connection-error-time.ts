import type { Migration } from './index.ts';

// When a connection's last connect failed, so the list can say when as well as
// why (updated_at moves with every change, a reconnect-at-boot toggle too).
// Errors stored before it get the time of their row's last change.
export const storageConnectionErrorTime0006: Migration = {
  id: '0006-storage-connection-error-time',
  up(db) {
    db.exec(`
      ALTER TABLE storage_connections ADD COLUMN last_error_at TEXT;
      UPDATE storage_connections SET last_error_at = updated_at WHERE last_error IS NOT NULL;
    `);
  },
};
