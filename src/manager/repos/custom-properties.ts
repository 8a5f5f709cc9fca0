// Custom VM properties' rows: the rules of each cluster and the values of each VM.
import type { PropertyRule } from '../../domain/custom-properties.ts';
import type { Db } from '../db.ts';

export function customPropertyRepo(db: Db) {
  return {
    rules: (clusterId: string): PropertyRule[] =>
      db.prepare('SELECT name, regex FROM cluster_vm_properties WHERE cluster_id = ? ORDER BY name').all(clusterId) as PropertyRule[],
    setRule: (clusterId: string, rule: PropertyRule) => {
      db.prepare('INSERT INTO cluster_vm_properties (cluster_id, name, regex) VALUES (?, ?, ?) ON CONFLICT(cluster_id, name) DO UPDATE SET regex = excluded.regex')
        .run(clusterId, rule.name, rule.regex);
    },
    removeRule: (clusterId: string, name: string) => { db.prepare('DELETE FROM cluster_vm_properties WHERE cluster_id = ? AND name = ?').run(clusterId, name); },
    values: (vmUuid: string): Record<string, string> =>
      Object.fromEntries((db.prepare('SELECT name, value FROM vm_custom_properties WHERE vm_uuid = ? ORDER BY name').all(vmUuid) as { name: string; value: string }[]).map((r) => [r.name, r.value])),
    setValues: (vmUuid: string, set: Readonly<Record<string, string>>, unset: readonly string[]) => {
      const put = db.prepare('INSERT INTO vm_custom_properties (vm_uuid, name, value) VALUES (?, ?, ?) ON CONFLICT(vm_uuid, name) DO UPDATE SET value = excluded.value');
      const drop = db.prepare('DELETE FROM vm_custom_properties WHERE vm_uuid = ? AND name = ?');
      for (const [name, value] of Object.entries(set)) put.run(vmUuid, name, value);
      for (const name of unset) drop.run(vmUuid, name);
    },
    /** The UUIDs of VMs with a value for this name. */
    vmsWith: (name: string): string[] => (db.prepare('SELECT vm_uuid FROM vm_custom_properties WHERE name = ?').all(name) as { vm_uuid: string }[]).map((r) => r.vm_uuid),
    forgetVm: (vmUuid: string) => { db.prepare('DELETE FROM vm_custom_properties WHERE vm_uuid = ?').run(vmUuid); },
  };
}
