import type { Migration } from './index.ts';

/**
 * Read-only SQL views over the history (0013), in the same `v1_` contract as
 * the inventory views (0014): one view per subject and level, `_minute`,
 * `_hourly` and `_daily`, each row with its time as UTC text (`time`) and as
 * epoch seconds (`t`, the bucket's start). VMs are named by libvirt UUID
 * (`vm_id`, as in v1_vms) with the name they had at that time; storage
 * domains by id with their current name. Hourly and daily rows carry the
 * number of minute samples they stand for and each figure's _avg and _max.
 */
const HOST = ['cpu_pct', 'mem_used_kib', 'mem_total_kib', 'swap_used_kib', 'disk_read_bps', 'disk_write_bps', 'net_rx_bps', 'net_tx_bps'];
const VM = ['cpu_pct', 'mem_used_kib', 'mem_total_kib', 'disk_read_bps', 'disk_write_bps', 'net_rx_bps', 'net_tx_bps'];
const STORAGE = ['used_bytes', 'free_bytes'];

const LEVELS = [['minute', 'minute'], ['hourly', 'hour'], ['daily', 'day']] as const;
const cols = (alias: string, names: readonly string[], level: string) =>
  (level === 'minute' ? names : names.flatMap((n) => [`${n}_avg`, `${n}_max`])).map((c) => `${alias}.${c}`).join(', ');
const time = (alias: string) => `strftime('%Y-%m-%dT%H:%M:%SZ', ${alias}.t, 'unixepoch') AS time, ${alias}.t`;
/** The VM's name in effect at the row's time (its configuration history). */
const vmName = (alias: string) => `(SELECT c.name FROM history_vm_config c WHERE c.vm_id = ${alias}.vm_id AND c.from_t <= ${alias}.t ORDER BY c.from_t DESC LIMIT 1) AS vm_name`;

function views(): string {
  return LEVELS.map(([view, table]) => `
    CREATE VIEW v1_host_samples_${view} AS
      SELECT ${time('h')}${table === 'minute' ? '' : ', h.samples'}, ${cols('h', HOST, table)}
      FROM history_host_${table} h;
    CREATE VIEW v1_vm_samples_${view} AS
      SELECT ${time('s')}, v.vm_uuid AS vm_id, ${vmName('s')},
             ${table === 'minute' ? 'st.name AS state' : 's.samples, s.up_samples'}, ${cols('s', VM, table)}
      FROM history_vm_${table} s JOIN history_vms v ON v.vm_id = s.vm_id
      ${table === 'minute' ? 'LEFT JOIN history_vm_states st ON st.state = s.state' : ''};
    CREATE VIEW v1_storage_domain_samples_${view} AS
      SELECT ${time('s')}, s.storage_domain_id, d.name AS storage_domain_name${table === 'minute' ? '' : ', s.samples'}, ${cols('s', STORAGE, table)}
      FROM history_storage_${table} s LEFT JOIN storage_domains d ON d.id = s.storage_domain_id;`).join('\n');
}

export const historyViews0015: Migration = {
  id: '0015-history-views',
  up(db) {
    db.exec(`${views()}
      CREATE VIEW v1_vm_configuration AS
        SELECT v.vm_uuid AS vm_id, strftime('%Y-%m-%dT%H:%M:%SZ', c.from_t, 'unixepoch') AS from_time, c.from_t, c.name AS vm_name, c.vcpus, c.memory_kib
        FROM history_vm_config c JOIN history_vms v ON v.vm_id = c.vm_id;
    `);
  },
};
