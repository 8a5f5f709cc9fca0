import type { Migration } from './index.ts';

// The standalone manager's model (issue #15): a data center's compatibility
// version; a cluster's CPU type (a libvirt CPU mode or model), memory
// over-commit and threads-as-cores; the cluster each VM hostdeck knows of
// belongs to (a VM without a row is in Default). Storage domains already name
// their data center (0004): the ones there belong to Default.
export const managerModel0007: Migration = {
  id: '0007-manager-model',
  up(db) {
    db.exec(`
      ALTER TABLE data_centers ADD COLUMN compatibility_version TEXT NOT NULL DEFAULT '4.8';
      ALTER TABLE clusters ADD COLUMN cpu_type TEXT NOT NULL DEFAULT 'host-model';
      ALTER TABLE clusters ADD COLUMN memory_overcommit INTEGER NOT NULL DEFAULT 100 CHECK (memory_overcommit BETWEEN 100 AND 400);
      ALTER TABLE clusters ADD COLUMN threads_as_cores INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE vm_clusters (
        vm_uuid TEXT PRIMARY KEY,
        cluster_id TEXT NOT NULL REFERENCES clusters(id)
      );
      CREATE INDEX vm_clusters_cluster ON vm_clusters(cluster_id);
      CREATE INDEX storage_domains_data_center ON storage_domains(data_center_id);
    `);
  },
};
