// The standalone manager's rows: data centers, clusters, the cluster of each
// VM hostdeck created (vm_clusters), the storage domains a data center holds,
// and this host as a host object (its cluster and maintenance flag, settings).
import { randomUUID } from 'node:crypto';
import type { CompatibilityVersion, StorageType } from '../../domain/manager.ts';
import type { DomainStatus, DomainType } from '../../domain/storage/domain.ts';
import { getSetting, setSetting, type Db } from '../db.ts';

export interface DataCenterRow {
  id: string;
  name: string;
  description: string;
  storageType: StorageType;
  compatibilityVersion: CompatibilityVersion;
  createdAt: string;
}

export interface ClusterRow {
  id: string;
  name: string;
  description: string;
  dataCenterId: string;
  cpuType: string;
  memoryOvercommit: number;
  threadsAsCores: boolean;
  createdAt: string;
}

export interface DcDomainRow {
  id: string;
  name: string;
  type: DomainType;
  status: DomainStatus;
  attachedAt: string;
  dataCenterId: string;
}

/** The settings that make this host a host object. */
export const HOST_CLUSTER_KEY = 'host.cluster';
export const HOST_MAINTENANCE_KEY = 'host.maintenance';

interface DcRaw { id: string; name: string; description: string; storage_type: StorageType; compatibility_version: CompatibilityVersion; created_at: string }
interface ClRaw { id: string; name: string; description: string; data_center_id: string; cpu_type: string; memory_overcommit: number; threads_as_cores: number; created_at: string }

const toDc = (r: DcRaw): DataCenterRow => ({ id: r.id, name: r.name, description: r.description, storageType: r.storage_type, compatibilityVersion: r.compatibility_version, createdAt: r.created_at });
const toCluster = (r: ClRaw): ClusterRow => ({
  id: r.id, name: r.name, description: r.description, dataCenterId: r.data_center_id, cpuType: r.cpu_type, memoryOvercommit: r.memory_overcommit, threadsAsCores: r.threads_as_cores === 1, createdAt: r.created_at,
});

export function managerRepo(db: Db) {
  const now = () => new Date().toISOString();
  const repo = {
    dataCenters: () => (db.prepare('SELECT * FROM data_centers ORDER BY name').all() as DcRaw[]).map(toDc),
    dataCenter(key: string): DataCenterRow | undefined {
      const r = db.prepare('SELECT * FROM data_centers WHERE id = ? OR name = ?').get(key, key) as DcRaw | undefined;
      return r && toDc(r);
    },
    insertDataCenter(d: Omit<DataCenterRow, 'id' | 'createdAt'>): string {
      const id = randomUUID();
      db.prepare('INSERT INTO data_centers (id, name, description, storage_type, compatibility_version, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, d.name, d.description, d.storageType, d.compatibilityVersion, now());
      return id;
    },
    updateDataCenter(id: string, d: Omit<DataCenterRow, 'id' | 'createdAt'>): void {
      db.prepare('UPDATE data_centers SET name = ?, description = ?, storage_type = ?, compatibility_version = ? WHERE id = ?').run(d.name, d.description, d.storageType, d.compatibilityVersion, id);
    },
    removeDataCenter: (id: string) => { db.prepare('DELETE FROM data_centers WHERE id = ?').run(id); },
    /** The storage domains attached to a data center (all of them when no id). */
    domainsOf: (dcId?: string) => (db.prepare(`SELECT id, name, type, status, attached_at AS attachedAt, data_center_id AS dataCenterId FROM storage_domains${dcId ? ' WHERE data_center_id = ?' : ''} ORDER BY attached_at, name`)
      .all(...(dcId ? [dcId] : [])) as DcDomainRow[]),
    /** Attach a storage domain to another data center. */
    moveDomain: (domainId: string, dcId: string) => { db.prepare('UPDATE storage_domains SET data_center_id = ?, attached_at = ? WHERE id = ?').run(dcId, now(), domainId); },

    clusters: () => (db.prepare('SELECT * FROM clusters ORDER BY name').all() as ClRaw[]).map(toCluster),
    cluster(key: string): ClusterRow | undefined {
      const r = db.prepare('SELECT * FROM clusters WHERE id = ? OR name = ?').get(key, key) as ClRaw | undefined;
      return r && toCluster(r);
    },
    insertCluster(c: Omit<ClusterRow, 'id' | 'createdAt'>): string {
      const id = randomUUID();
      db.prepare('INSERT INTO clusters (id, name, description, data_center_id, cpu_type, memory_overcommit, threads_as_cores, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, c.name, c.description, c.dataCenterId, c.cpuType, c.memoryOvercommit, c.threadsAsCores ? 1 : 0, now());
      return id;
    },
    updateCluster(id: string, c: Omit<ClusterRow, 'id' | 'createdAt'>): void {
      db.prepare('UPDATE clusters SET name = ?, description = ?, data_center_id = ?, cpu_type = ?, memory_overcommit = ?, threads_as_cores = ? WHERE id = ?')
        .run(c.name, c.description, c.dataCenterId, c.cpuType, c.memoryOvercommit, c.threadsAsCores ? 1 : 0, id);
    },
    removeCluster: (id: string) => { db.prepare('DELETE FROM clusters WHERE id = ?').run(id); },
    /** The Default cluster (a VM without a vm_clusters row is in it), else the oldest. */
    defaultCluster: (): ClusterRow | undefined => repo.cluster('Default') ?? repo.clusters().sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0],

    /** VM uuid -> cluster id of every VM recorded in a cluster. */
    vmClusters: () => new Map((db.prepare('SELECT vm_uuid, cluster_id FROM vm_clusters').all() as { vm_uuid: string; cluster_id: string }[]).map((r) => [r.vm_uuid, r.cluster_id])),
    setVmCluster: (vmUuid: string, clusterId: string) => { db.prepare('INSERT INTO vm_clusters (vm_uuid, cluster_id) VALUES (?, ?) ON CONFLICT(vm_uuid) DO UPDATE SET cluster_id = excluded.cluster_id').run(vmUuid, clusterId); },
    forgetVm: (vmUuid: string) => { db.prepare('DELETE FROM vm_clusters WHERE vm_uuid = ?').run(vmUuid); },
    /** Rows of VMs gone from libvirt that still name a cluster being removed. */
    forgetClusterVms: (clusterId: string) => { db.prepare('DELETE FROM vm_clusters WHERE cluster_id = ?').run(clusterId); },

    hostClusterId: () => getSetting(db, HOST_CLUSTER_KEY),
    setHostCluster: (id: string | null) => setSetting(db, HOST_CLUSTER_KEY, id),
    hostInMaintenance: () => getSetting(db, HOST_MAINTENANCE_KEY) === '1',
    setHostMaintenance: (on: boolean) => setSetting(db, HOST_MAINTENANCE_KEY, on ? '1' : null),
  };
  return repo;
}

export type ManagerRepo = ReturnType<typeof managerRepo>;
