// The storage_connections table: the rows of the connection use cases. The
// CHAP secrets are stored sealed only; sealing and opening them is the
// caller's (this module never sees a secret in the clear).
import type { ConnectionParams, ConnectionState, ConnectionType, StorageConnection } from '../../domain/storage/connection.ts';
import type { Db } from '../db.ts';

export interface ConnectionRow {
  id: string; type: ConnectionType; name: string | null; params: string; identity: string; persistent: number; state: ConnectionState;
  last_error: string | null; last_error_at: string | null; chap_secret_sealed: string | null; mutual_secret_sealed: string | null; created_at: string; updated_at: string;
}

export interface NewConnectionRow {
  id: string; type: ConnectionType; name: string | null; params: ConnectionParams; identity: string; persistent: boolean;
  chapSealed: string | null; mutualSealed: string | null;
}

export const connectionRecord = (r: ConnectionRow): StorageConnection => ({
  id: r.id,
  type: r.type,
  ...(r.name ? { name: r.name } : {}),
  params: JSON.parse(r.params) as ConnectionParams,
  persistent: r.persistent === 1,
  state: r.state,
  ...(r.last_error ? { lastError: r.last_error, ...(r.last_error_at ? { lastErrorAt: r.last_error_at } : {}) } : {}),
  ...(r.type === 'iscsi' ? { hasSecret: Boolean(r.chap_secret_sealed), hasMutualSecret: Boolean(r.mutual_secret_sealed) } : {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function storageConnectionRepo(db: Db) {
  const now = () => new Date().toISOString();
  return {
    /** The database file's name (the secret key lives beside it). */
    dbName: db.name,
    byIdOrName: (key: string) => db.prepare('SELECT * FROM storage_connections WHERE id = ? OR name = ?').get(key, key) as ConnectionRow | undefined,
    all: () => db.prepare('SELECT * FROM storage_connections ORDER BY created_at, id').all() as ConnectionRow[],
    persistent: () => db.prepare('SELECT * FROM storage_connections WHERE persistent = 1 ORDER BY created_at, id').all() as ConnectionRow[],
    byIdentity: (identity: string) => db.prepare('SELECT id, name FROM storage_connections WHERE identity = ?').get(identity) as { id: string; name: string | null } | undefined,
    insert(c: NewConnectionRow): void {
      const t = now();
      db.prepare(`INSERT INTO storage_connections (id, type, name, params, identity, persistent, state, chap_secret_sealed, mutual_secret_sealed, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, 'disconnected', ?, ?, ?, ?)`).run(c.id, c.type, c.name, JSON.stringify(c.params), c.identity, c.persistent ? 1 : 0, c.chapSealed, c.mutualSealed, t, t);
    },
    remove: (id: string) => { db.prepare('DELETE FROM storage_connections WHERE id = ?').run(id); },
    /** A new state; with err, the failure that led to it and when (without, the last error is cleared). */
    setState: (id: string, state: ConnectionState, err?: string) => {
      const t = now();
      db.prepare('UPDATE storage_connections SET state = ?, last_error = ?, last_error_at = ?, updated_at = ? WHERE id = ?').run(state, err ?? null, err ? t : null, t, id);
    },
    setPersistent: (id: string, persistent: boolean) => {
      db.prepare('UPDATE storage_connections SET persistent = ?, updated_at = ? WHERE id = ?').run(persistent ? 1 : 0, now(), id);
    },
    /** Names of the storage domains on a connection (none before the domains' migration ran). */
    domainsOn(id: string): string[] {
      const hasTable = Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'storage_domains'").get());
      return hasTable ? (db.prepare('SELECT name FROM storage_domains WHERE connection_id = ?').pluck().all(id) as string[]) : [];
    },
  };
}

export type StorageConnectionRepo = ReturnType<typeof storageConnectionRepo>;
