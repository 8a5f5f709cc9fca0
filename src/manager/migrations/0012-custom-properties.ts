import type { Migration } from './index.ts';

// Custom VM properties (issue #20): the names each cluster allows with the
// regular expression their values must match (the engine's
// UserDefinedVMProperties, per cluster here), and each VM's values by
// libvirt's UUID, so they follow a VM through renames.
export const customProperties0012: Migration = {
  id: '0012-custom-properties',
  up(db) {
    db.exec(`
      CREATE TABLE cluster_vm_properties (
        cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        regex TEXT NOT NULL,
        PRIMARY KEY (cluster_id, name)
      );
      CREATE TABLE vm_custom_properties (
        vm_uuid TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (vm_uuid, name)
      );
    `);
  },
};
