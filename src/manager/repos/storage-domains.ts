// The storage_domains table (and the data center a new domain joins): the
// rows of the storage domain use cases and the health monitor's verdicts.
import type { DomainStatus, DomainType, StorageKind } from '../../domain/storage/domain.ts';
import type { Db } from '../db.ts';

export interface StorageDomain {
  id: string;
  name: string;
  description: string;
  type: DomainType;
  kind: StorageKind;
  dataCenterId: string;
  connectionId: string;
  status: DomainStatus;
  formatVersion: number;
  poolName: string;
  poolType: string;
  /** File domains: the domain directory (<mount>/<uuid>); block domains: the volume group name. */
  path: string;
  /** Block domains: the LUN's device. */
  device: string | null;
  capacityBytes: number | null;
  usedBytes: number | null;
  freeBytes: number | null;
  checkedAt: string | null;
  lastError: string | null;
  creatorHost: string;
  createdAt: string;
  attachedAt: string;
}

export interface Capacity { capacityBytes: number; usedBytes: number; freeBytes: number }

interface Row {
  id: string; name: string; description: string; type: DomainType; kind: StorageKind; data_center_id: string; connection_id: string;
  status: DomainStatus; format_version: number; pool_name: string; pool_type: string; path: string; device: string | null;
  capacity_bytes: number | null; used_bytes: number | null; free_bytes: number | null; checked_at: string | null; last_error: string | null;
  creator_host: string; created_at: string; attached_at: string;
}

const toDomain = (r: Row): StorageDomain => ({
  id: r.id, name: r.name, description: r.description, type: r.type, kind: r.kind, dataCenterId: r.data_center_id, connectionId: r.connection_id,
  status: r.status, formatVersion: r.format_version, poolName: r.pool_name, poolType: r.pool_type, path: r.path, device: r.device,
  capacityBytes: r.capacity_bytes, usedBytes: r.used_bytes, freeBytes: r.free_bytes, checkedAt: r.checked_at, lastError: r.last_error,
  creatorHost: r.creator_host, createdAt: r.created_at, attachedAt: r.attached_at,
});

export function storageDomainRepo(db: Db) {
  const now = () => new Date().toISOString();
  return {
    all: () => (db.prepare('SELECT * FROM storage_domains ORDER BY name').all() as Row[]).map(toDomain),
    byKey(key: string): StorageDomain | undefined {
      const r = db.prepare('SELECT * FROM storage_domains WHERE id = ? OR name = ?').get(key, key) as Row | undefined;
      return r && toDomain(r);
    },
    insert(d: StorageDomain): void {
      db.prepare(`INSERT INTO storage_domains (id, name, description, type, kind, data_center_id, connection_id, status, format_version, pool_name, pool_type, path, device,
        capacity_bytes, used_bytes, free_bytes, checked_at, last_error, creator_host, created_at, attached_at)
        VALUES (@id, @name, @description, @type, @kind, @dataCenterId, @connectionId, @status, @formatVersion, @poolName, @poolType, @path, @device,
        @capacityBytes, @usedBytes, @freeBytes, @checkedAt, @lastError, @creatorHost, @createdAt, @attachedAt)`).run(d);
    },
    remove: (id: string) => { db.prepare('DELETE FROM storage_domains WHERE id = ?').run(id); },
    setStatus: (id: string, status: DomainStatus, lastError: string | null = null) => {
      db.prepare('UPDATE storage_domains SET status = ?, last_error = ? WHERE id = ?').run(status, lastError, id);
    },
    storeCapacity: (id: string, c: Capacity) => {
      db.prepare('UPDATE storage_domains SET capacity_bytes = ?, used_bytes = ?, free_bytes = ?, checked_at = ? WHERE id = ?').run(c.capacityBytes, c.usedBytes, c.freeBytes, now(), id);
    },
    /** A good check: checked now, and an unreachable domain is active again (true when it was). */
    checkedOk(id: string): boolean {
      db.prepare('UPDATE storage_domains SET checked_at = ? WHERE id = ?').run(now(), id);
      return db.prepare("UPDATE storage_domains SET status = 'active', last_error = NULL WHERE id = ? AND status = 'unreachable'").run(id).changes > 0;
    },
    /** A failed check: its error, and the domain inactive (its connection is down on purpose) or unreachable (true when it changed). */
    checkFailed(id: string, error: string, inactive: boolean): boolean {
      db.prepare('UPDATE storage_domains SET checked_at = ?, last_error = ? WHERE id = ?').run(now(), error, id);
      if (inactive) return db.prepare("UPDATE storage_domains SET status = 'inactive' WHERE id = ?").run(id).changes > 0;
      return db.prepare("UPDATE storage_domains SET status = 'unreachable' WHERE id = ? AND status = 'active'").run(id).changes > 0;
    },
    /** The data center a new domain joins: 'Default', else the oldest. */
    defaultDataCenter: () => (db.prepare("SELECT id FROM data_centers WHERE name = 'Default'").pluck().get() as string | undefined)
      ?? (db.prepare('SELECT id FROM data_centers ORDER BY created_at LIMIT 1').pluck().get() as string | undefined),
    /** How many domains are in each status (the dashboard's storage line). */
    statusCounts: () => db.prepare('SELECT status, count(*) AS n FROM storage_domains GROUP BY status').all() as { status: DomainStatus; n: number }[],
  };
}

export type StorageDomainRepo = ReturnType<typeof storageDomainRepo>;
