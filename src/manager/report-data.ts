// What the built-in reports read from the state database: per-VM totals over
// a range of the history (minute samples, or hour and day aggregates with the
// samples each row stands for), the VMs' configuration in effect at a time,
// the inventory and the events of a range. One query per question; the
// arithmetic on what comes back is src/domain/reports.ts.
import type { HistoryLevel } from '../domain/history-aggregate.ts';
import type { Db } from './db.ts';
import { VM_FIGURES, type VmFigure } from './repos/history.ts';

export interface VmTotals {
  vmId: number;
  uuid: string;
  samples: number;
  upSamples: number;
  /** Per figure: the samples that knew it, the sum of value x samples, and the peak. */
  figures: Record<VmFigure, { weight: number; sum: number; max: number | null }>;
}
export interface VmConfigAt { vmId: number; uuid: string; name: string; vcpus: number; memoryKiB: number }
export interface InventoryRow {
  uuid: string; name: string | null; clusterName: string | null; templateName: string | null; templateVersion: number | null;
  diskCount: number | null; diskBytes: number | null; poolName: string | null; owner: string | null;
}
export interface EventCount { severity: string; objectType: string | null; objectId: string | null; count: number; last: string }

const UP_STATES = '(1, 2)';
const iso = (t: number) => new Date(t * 1000).toISOString();

export function reportData(db: Db) {
  /** Totals of each VM (or of `vmIds`) over rows whose bucket starts in [from, to). */
  function vmTotals(level: HistoryLevel, from: number, to: number, vmIds?: readonly number[]): VmTotals[] {
    const minute = level === 'minute';
    const cols = VM_FIGURES.map((f) => {
      const avg = minute ? f : `${f}_avg`;
      const max = minute ? f : `${f}_max`;
      const n = minute ? '1' : 'samples';
      return `sum(CASE WHEN ${avg} IS NOT NULL THEN ${n} END), sum(${avg} * ${n}), max(${max})`;
    }).join(', ');
    const only = vmIds ? `AND vm_id IN (SELECT value FROM json_each(?))` : '';
    const sql = `SELECT s.vm_id, v.vm_uuid, ${minute ? 'count(*)' : 'sum(samples)'}, ${minute ? `sum(state IN ${UP_STATES})` : 'sum(up_samples)'}, ${cols}
      FROM history_vm_${level} s JOIN history_vms v USING (vm_id) WHERE t >= ? AND t < ? ${only} GROUP BY s.vm_id`;
    const rows = db.prepare(sql).raw().all(from, to, ...(vmIds ? [JSON.stringify(vmIds)] : [])) as (number | string | null)[][];
    return rows.map(([vmId, uuid, samples, up, ...rest]) => ({
      vmId: vmId as number, uuid: uuid as string, samples: samples as number, upSamples: up as number,
      figures: Object.fromEntries(VM_FIGURES.map((f, i) => [f, { weight: (rest[3 * i] as number | null) ?? 0, sum: (rest[3 * i + 1] as number | null) ?? 0, max: rest[3 * i + 2] as number | null }])) as VmTotals['figures'],
    }));
  }

  return {
    vmTotals,
    /** Each VM's configuration in effect at `t` (its latest row from before then; a VM first seen later: its first row). */
    vmConfigsAt(t: number): Map<number, VmConfigAt> {
      const rows = db.prepare(`SELECT c.vm_id AS vmId, v.vm_uuid AS uuid, c.name, c.vcpus, c.memory_kib AS memoryKiB
        FROM history_vm_config c JOIN history_vms v USING (vm_id)
        WHERE c.from_t = coalesce((SELECT max(from_t) FROM history_vm_config WHERE vm_id = c.vm_id AND from_t <= ?), (SELECT min(from_t) FROM history_vm_config WHERE vm_id = c.vm_id))`).all(t) as VmConfigAt[];
      return new Map(rows.map((r) => [r.vmId, r]));
    },
    /** The history ids of the VMs placed in a cluster. */
    vmIdsInCluster: (clusterId: string) => db.prepare('SELECT h.vm_id FROM vm_clusters c JOIN history_vms h ON h.vm_uuid = c.vm_uuid WHERE c.cluster_id = ?').pluck().all(clusterId) as number[],
    /** The UUIDs of the VMs placed in a cluster (inventory and events of VMs without history too). */
    vmUuidsInCluster: (clusterId: string) => db.prepare('SELECT vm_uuid FROM vm_clusters WHERE cluster_id = ?').pluck().all(clusterId) as string[],
    /** Every VM the state database knows (placed, from a template, in a pool, or with history), with what it knows of each; its name the latest the history saw (renames), else the one it was made with. */
    inventory(): InventoryRow[] {
      return db.prepare(`WITH ids(uuid) AS (SELECT vm_id FROM v1_vms UNION SELECT vm_uuid FROM history_vms)
        SELECT ids.uuid, coalesce((SELECT c.name FROM history_vm_config c JOIN history_vms h USING (vm_id) WHERE h.vm_uuid = ids.uuid ORDER BY c.from_t DESC LIMIT 1), v.vm_name) AS name,
               v.cluster_name AS clusterName, v.template_name AS templateName, v.template_version AS templateVersion,
               (SELECT count(*) FROM template_disks d WHERE d.template_id = v.template_id AND v.template_id IS NOT NULL) AS diskCount,
               (SELECT sum(size_bytes) FROM template_disks d WHERE d.template_id = v.template_id) AS diskBytes,
               v.pool_name AS poolName, v.pool_user AS owner
        FROM ids LEFT JOIN v1_vms v ON v.vm_id = ids.uuid ORDER BY name, ids.uuid`).all() as InventoryRow[];
    },
    /** Events from `from` through the second `to` (an event of this second counts when to is now), counted by severity and object; `objects` narrows them to these (type, id) pairs. */
    eventCounts(from: number, to: number, objects?: readonly { type: string; id: string }[]): EventCount[] {
      const only = objects ? 'AND (object_type, object_id) IN (SELECT json_extract(value, \'$.type\'), json_extract(value, \'$.id\') FROM json_each(?))' : '';
      return db.prepare(`SELECT severity, object_type AS objectType, object_id AS objectId, count(*) AS count, max(time) AS last
        FROM events WHERE time >= ? AND time < ? ${only} GROUP BY severity, object_type, object_id
        ORDER BY CASE severity WHEN 'alert' THEN 0 WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END, count DESC, object_type, object_id`)
        
        .all(iso(from), iso(to + 1), ...(objects ? [JSON.stringify(objects)] : [])) as EventCount[];
    },
    /** Rows the range holds at `level`, for the bench's baseline and the report's note. */
    vmRowCount: (level: HistoryLevel, from: number, to: number) => db.prepare(`SELECT count(*) FROM history_vm_${level} WHERE t >= ? AND t < ?`).pluck().get(from, to) as number,
  };
}

export type ReportData = ReturnType<typeof reportData>;
