import type { Migration } from './index.ts';

// Templates (issue #15): a template is one row per version (versions of one
// template share base_id, the first version's id); its disks are read-only
// images on a data storage domain, one template_disks row each. A row is
// 'creating' while its images are copied (creator_pid says by whom), so the
// leftovers of a process killed meanwhile can be told from a copy under way.
// vm_templates says which VM (by libvirt UUID) came from which template
// version and how: thin VMs depend on the template's images, clones do not.
// The Blank template (no disks, default hardware) has oVirt's fixed id.
export const BLANK_TEMPLATE_ID = '00000000-0000-0000-0000-000000000000';

export const templates0008: Migration = {
  id: '0008-templates',
  up(db) {
    db.exec(`
      CREATE TABLE templates (
        id TEXT PRIMARY KEY,
        base_id TEXT NOT NULL,
        name TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        version_name TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        storage_domain_id TEXT,
        source_vm TEXT,
        hardware TEXT NOT NULL,
        sealed INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('creating','ready')),
        creator_pid INTEGER,
        created_at TEXT NOT NULL,
        UNIQUE (base_id, version)
      );
      CREATE INDEX templates_name ON templates(name);
      CREATE TABLE template_disks (
        template_id TEXT NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        volume TEXT NOT NULL,
        path TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('qcow2','raw')),
        bus TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        PRIMARY KEY (template_id, idx)
      );
      CREATE TABLE vm_templates (
        vm_uuid TEXT PRIMARY KEY,
        vm_name TEXT NOT NULL,
        template_id TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('thin','clone')),
        created_at TEXT NOT NULL
      );
      CREATE INDEX vm_templates_template ON vm_templates(template_id);
    `);
    db.prepare(`INSERT INTO templates (id, base_id, name, version, description, hardware, status, created_at) VALUES (?, ?, 'Blank', 1, 'Blank template: no disks, default hardware', ?, 'ready', ?)`)
      .run(BLANK_TEMPLATE_ID, BLANK_TEMPLATE_ID, JSON.stringify({ vcpus: 1, memoryMiB: 1024, machine: 'pc', osType: 'linux', boot: 'disk', graphics: 'vnc', nics: [] }), new Date().toISOString());
  },
};
