import type { Migration } from './index.ts';

/**
 * Read-only SQL views over the inventory and the events, for `hostdeck report sql`
 * and any SQL tool (README "Reports: read-only SQL"). The names and columns are a
 * contract: the `v1_` prefix is the version of that contract, as oVirt's warehouse
 * names its views `v4_x_…`. A later change to a view's columns adds `v2_…` views and
 * keeps these, so a saved query keeps working; the tables under them may change freely.
 * Secrets (storage connections' CHAP secrets, settings) are left out of every view.
 * VMs themselves live in libvirt: v1_vms holds what the state DB knows of each VM
 * hostdeck placed (its cluster, template, pool).
 */
export const reportViews0014: Migration = {
  id: '0014-report-views',
  up(db) {
    db.exec(`
      CREATE VIEW v1_datacenters AS
        SELECT id AS datacenter_id, name AS datacenter_name, description, storage_type, compatibility_version, created_at
        FROM data_centers;
      CREATE VIEW v1_clusters AS
        SELECT c.id AS cluster_id, c.name AS cluster_name, c.description, c.data_center_id AS datacenter_id, d.name AS datacenter_name,
               c.cpu_type, c.memory_overcommit, c.threads_as_cores, c.created_at
        FROM clusters c LEFT JOIN data_centers d ON d.id = c.data_center_id;
      CREATE VIEW v1_host AS
        SELECT c.id AS cluster_id, c.name AS cluster_name, c.data_center_id AS datacenter_id,
               CASE WHEN m.value = '1' THEN 'maintenance' ELSE 'up' END AS status
        FROM settings s JOIN clusters c ON c.id = s.value
        LEFT JOIN settings m ON m.key = 'host.maintenance'
        WHERE s.key = 'host.cluster';
      CREATE VIEW v1_vms AS
        WITH ids(vm_id) AS (
          SELECT vm_uuid FROM vm_clusters UNION SELECT vm_uuid FROM vm_templates
          UNION SELECT vm_uuid FROM pool_vms UNION SELECT vm_uuid FROM vm_custom_properties
        )
        SELECT ids.vm_id, COALESCE(vt.vm_name, pv.vm_name) AS vm_name,
               vc.cluster_id, c.name AS cluster_name,
               vt.template_id, t.name AS template_name, t.version AS template_version, vt.mode AS template_mode,
               pv.pool_id, p.name AS pool_name, pv.user AS pool_user, pv.assigned_at AS pool_assigned_at,
               vt.created_at
        FROM ids
        LEFT JOIN vm_clusters vc ON vc.vm_uuid = ids.vm_id LEFT JOIN clusters c ON c.id = vc.cluster_id
        LEFT JOIN vm_templates vt ON vt.vm_uuid = ids.vm_id LEFT JOIN templates t ON t.id = vt.template_id
        LEFT JOIN pool_vms pv ON pv.vm_uuid = ids.vm_id LEFT JOIN vm_pools p ON p.id = pv.pool_id;
      CREATE VIEW v1_vm_custom_properties AS
        SELECT vm_uuid AS vm_id, name AS property_name, value AS property_value FROM vm_custom_properties;
      CREATE VIEW v1_storage_domains AS
        SELECT s.id AS storage_domain_id, s.name AS storage_domain_name, s.description, s.type AS storage_domain_type, s.kind AS storage_kind,
               s.data_center_id AS datacenter_id, d.name AS datacenter_name, s.status, s.format_version, s.pool_type,
               s.capacity_bytes, s.used_bytes, s.free_bytes, s.checked_at, s.last_error, s.created_at, s.attached_at
        FROM storage_domains s LEFT JOIN data_centers d ON d.id = s.data_center_id;
      CREATE VIEW v1_logical_networks AS
        SELECT n.id AS network_id, n.name AS network_name, n.description, n.data_center_id AS datacenter_id, d.name AS datacenter_name,
               n.vlan, n.mtu, n.vm_network, h.iface AS host_iface, n.created_at
        FROM logical_networks n LEFT JOIN data_centers d ON d.id = n.data_center_id
        LEFT JOIN host_network_attachments h ON h.network_id = n.id;
      CREATE VIEW v1_cluster_networks AS
        SELECT cn.cluster_id, c.name AS cluster_name, cn.network_id, n.name AS network_name, cn.roles, cn.required
        FROM cluster_networks cn JOIN clusters c ON c.id = cn.cluster_id JOIN logical_networks n ON n.id = cn.network_id;
      CREATE VIEW v1_vnic_profiles AS
        SELECT p.id AS profile_id, p.name AS profile_name, p.network_id, n.name AS network_name, p.description, p.filter, p.created_at
        FROM vnic_profiles p JOIN logical_networks n ON n.id = p.network_id;
      CREATE VIEW v1_templates AS
        SELECT t.id AS template_id, t.base_id, t.name AS template_name, t.version, t.version_name, t.description,
               t.storage_domain_id, t.sealed, t.status, t.created_at,
               (SELECT COUNT(*) FROM template_disks k WHERE k.template_id = t.id) AS disk_count,
               (SELECT COALESCE(SUM(k.size_bytes), 0) FROM template_disks k WHERE k.template_id = t.id) AS disk_size_bytes
        FROM templates t;
      CREATE VIEW v1_pools AS
        SELECT p.id AS pool_id, p.name AS pool_name, p.description, p.template_id, t.name AS template_name, p.template_version,
               p.cluster_id, c.name AS cluster_name, p.size, p.prestarted, p.max_per_user, p.type AS pool_type, p.status, p.created_at,
               (SELECT COUNT(*) FROM pool_vms v WHERE v.pool_id = p.id) AS vm_count,
               (SELECT COUNT(*) FROM pool_vms v WHERE v.pool_id = p.id AND v.user IS NOT NULL) AS assigned_count
        FROM vm_pools p LEFT JOIN templates t ON t.id = p.template_id LEFT JOIN clusters c ON c.id = p.cluster_id;
      CREATE VIEW v1_events AS
        SELECT id AS event_id, time, severity, source, object_type, object_id, message, user AS user_name, channel, correlation_id, result
        FROM events;
    `);
  },
};
