import type { Migration } from './index.ts';

// The history store (issue #18): samples of this host, every VM and every
// storage domain at three levels: *_minute (one row per sample, kept a day),
// *_hour and *_day (per bucket: `samples` it stands for, and each figure's
// _avg and _max). Times `t` are whole seconds since the epoch (a bucket's
// start, UTC). Figures unknown at a sample (a rate right after a restart) are
// NULL. Minute tables are keyed (t, id): a round appends at the end of the
// tree, which keeps the write of 1000 VMs a minute small; hour and day tables
// are keyed (id, t) for one VM's series. VMs are keyed by libvirt UUID
// through history_vms (a small integer per UUID keeps the rows small; names
// change, UUIDs do not); history_vm_config says from when each VM had which
// name, vCPUs and memory. history_progress holds where aggregation got to.
export const history0013: Migration = {
  id: '0013-history',
  up(db) {
    const figures = (names: string[]) => names.map((n) => `${n}_avg REAL, ${n}_max REAL`).join(', ');
    const host = ['cpu_pct', 'mem_used_kib', 'mem_total_kib', 'swap_used_kib', 'disk_read_bps', 'disk_write_bps', 'net_rx_bps', 'net_tx_bps'];
    const vm = ['cpu_pct', 'mem_used_kib', 'mem_total_kib', 'disk_read_bps', 'disk_write_bps', 'net_rx_bps', 'net_tx_bps'];
    const storage = ['used_bytes', 'free_bytes'];
    db.exec(`
      CREATE TABLE history_vms (
        vm_id INTEGER PRIMARY KEY,
        vm_uuid TEXT NOT NULL UNIQUE
      );
      CREATE TABLE history_vm_config (
        vm_id INTEGER NOT NULL REFERENCES history_vms(vm_id),
        from_t INTEGER NOT NULL,
        name TEXT NOT NULL,
        vcpus INTEGER NOT NULL,
        memory_kib INTEGER NOT NULL,
        PRIMARY KEY (vm_id, from_t)
      ) WITHOUT ROWID;
      -- libvirt's domain states (virDomainState), the codes in history_vm_minute.state.
      CREATE TABLE history_vm_states (state INTEGER PRIMARY KEY, name TEXT NOT NULL);
      INSERT INTO history_vm_states VALUES (0, 'nostate'), (1, 'running'), (2, 'blocked'), (3, 'paused'), (4, 'shutdown'), (5, 'shutoff'), (6, 'crashed'), (7, 'pmsuspended');

      CREATE TABLE history_host_minute (t INTEGER PRIMARY KEY, ${host.map((n) => `${n} REAL`).join(', ')});
      CREATE TABLE history_host_hour (t INTEGER PRIMARY KEY, samples INTEGER NOT NULL, ${figures(host)});
      CREATE TABLE history_host_day (t INTEGER PRIMARY KEY, samples INTEGER NOT NULL, ${figures(host)});

      CREATE TABLE history_vm_minute (t INTEGER NOT NULL, vm_id INTEGER NOT NULL, state INTEGER NOT NULL, ${vm.map((n) => `${n} REAL`).join(', ')}, PRIMARY KEY (t, vm_id)) WITHOUT ROWID;
      CREATE TABLE history_vm_hour (vm_id INTEGER NOT NULL, t INTEGER NOT NULL, samples INTEGER NOT NULL, up_samples INTEGER NOT NULL, ${figures(vm)}, PRIMARY KEY (vm_id, t)) WITHOUT ROWID;
      CREATE TABLE history_vm_day (vm_id INTEGER NOT NULL, t INTEGER NOT NULL, samples INTEGER NOT NULL, up_samples INTEGER NOT NULL, ${figures(vm)}, PRIMARY KEY (vm_id, t)) WITHOUT ROWID;

      CREATE TABLE history_storage_minute (t INTEGER NOT NULL, storage_domain_id TEXT NOT NULL, ${storage.map((n) => `${n} REAL`).join(', ')}, PRIMARY KEY (t, storage_domain_id)) WITHOUT ROWID;
      CREATE TABLE history_storage_hour (storage_domain_id TEXT NOT NULL, t INTEGER NOT NULL, samples INTEGER NOT NULL, ${figures(storage)}, PRIMARY KEY (storage_domain_id, t)) WITHOUT ROWID;
      CREATE TABLE history_storage_day (storage_domain_id TEXT NOT NULL, t INTEGER NOT NULL, samples INTEGER NOT NULL, ${figures(storage)}, PRIMARY KEY (storage_domain_id, t)) WITHOUT ROWID;

      CREATE TABLE history_progress (level TEXT PRIMARY KEY CHECK (level IN ('hour','day')), done_until INTEGER NOT NULL);
    `);
  },
};
