// The vm_pools and pool_vms tables: the pools, their VMs and who has each.
import type { PoolType } from '../../domain/pools.ts';
import type { Db } from '../db.ts';

export interface PoolRow {
  id: string; name: string; description: string; templateId: string; templateVersion: string; clusterId: string | null;
  size: number; prestarted: number; maxPerUser: number; type: PoolType; status: 'creating' | 'ready'; creatorPid: number | null; createdAt: string;
}
export interface PoolVmRow { vmUuid: string; vmName: string; poolId: string; user: string | null; assignedAt: string | null }

const POOL_COLS = `id, name, description, template_id AS templateId, template_version AS templateVersion, cluster_id AS clusterId, size, prestarted,
  max_per_user AS maxPerUser, type, status, creator_pid AS creatorPid, created_at AS createdAt`;
const VM_COLS = 'vm_uuid AS vmUuid, vm_name AS vmName, pool_id AS poolId, user, assigned_at AS assignedAt';

export function poolRepo(db: Db) {
  return {
    all: (): PoolRow[] => db.prepare(`SELECT ${POOL_COLS} FROM vm_pools ORDER BY name`).all() as PoolRow[],
    byKey: (key: string): PoolRow | undefined => db.prepare(`SELECT ${POOL_COLS} FROM vm_pools WHERE id = ? OR name = ?`).get(key, key) as PoolRow | undefined,
    names: (): string[] => db.prepare('SELECT name FROM vm_pools').pluck().all() as string[],
    creating: (): PoolRow[] => db.prepare(`SELECT ${POOL_COLS} FROM vm_pools WHERE status = 'creating'`).all() as PoolRow[],
    insert(p: PoolRow): void {
      db.prepare(`INSERT INTO vm_pools (id, name, description, template_id, template_version, cluster_id, size, prestarted, max_per_user, type, status, creator_pid, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(p.id, p.name, p.description, p.templateId, p.templateVersion, p.clusterId, p.size, p.prestarted, p.maxPerUser, p.type, p.status, p.creatorPid, p.createdAt);
    },
    markReady: (id: string) => { db.prepare("UPDATE vm_pools SET status = 'ready', creator_pid = NULL WHERE id = ?").run(id); },
    update(id: string, c: Partial<Pick<PoolRow, 'name' | 'description' | 'prestarted' | 'maxPerUser' | 'type' | 'size'>>): void {
      const cols: Record<string, string> = { name: 'name', description: 'description', prestarted: 'prestarted', maxPerUser: 'max_per_user', type: 'type', size: 'size' };
      const set = Object.entries(c).filter(([, v]) => v !== undefined);
      if (!set.length) return;
      db.prepare(`UPDATE vm_pools SET ${set.map(([k]) => `${cols[k]} = ?`).join(', ')} WHERE id = ?`).run(...set.map(([, v]) => v as string | number), id);
    },
    /** The pool row; its VM rows go with it. */
    remove: (id: string) => { db.prepare('DELETE FROM vm_pools WHERE id = ?').run(id); },
    vms: (poolId: string): PoolVmRow[] => db.prepare(`SELECT ${VM_COLS} FROM pool_vms WHERE pool_id = ? ORDER BY length(vm_name), vm_name`).all(poolId) as PoolVmRow[],
    vmByName: (name: string): PoolVmRow | undefined => db.prepare(`SELECT ${VM_COLS} FROM pool_vms WHERE vm_name = ?`).get(name) as PoolVmRow | undefined,
    addVm: (v: Omit<PoolVmRow, 'user' | 'assignedAt'>) => { db.prepare('INSERT INTO pool_vms (vm_uuid, vm_name, pool_id) VALUES (?, ?, ?)').run(v.vmUuid, v.vmName, v.poolId); },
    removeVm: (vmUuid: string) => { db.prepare('DELETE FROM pool_vms WHERE vm_uuid = ?').run(vmUuid); },
    assign: (vmUuid: string, user: string | null) => {
      db.prepare('UPDATE pool_vms SET user = ?, assigned_at = ? WHERE vm_uuid = ?').run(user, user === null ? null : new Date().toISOString(), vmUuid);
    },
  };
}

export type PoolRepo = ReturnType<typeof poolRepo>;
