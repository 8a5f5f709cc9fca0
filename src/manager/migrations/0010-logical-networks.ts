import { randomUUID } from 'node:crypto';
import type { Migration } from './index.ts';

// Logical networks (issue #15), as oVirt has them: a network in a data
// center (named like its Linux bridge, unique on the host), its vNIC profiles
// (a libvirt network filter or none), its attachments to clusters with roles
// and the required flag, and which VM NIC (by libvirt UUID and MAC) uses which
// profile, so a network or profile in use is not removed under a VM. The
// Default data center gets ovirtmgmt, the management network of Default, and
// its default profile, as a new oVirt engine has them.
export const logicalNetworks0010: Migration = {
  id: '0010-logical-networks',
  up(db) {
    db.exec(`
      CREATE TABLE logical_networks (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        data_center_id TEXT NOT NULL REFERENCES data_centers(id),
        description TEXT NOT NULL DEFAULT '',
        vlan INTEGER CHECK (vlan BETWEEN 0 AND 4094),
        mtu INTEGER CHECK (mtu BETWEEN 68 AND 65535),
        vm_network INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL
      );
      CREATE TABLE vnic_profiles (
        id TEXT PRIMARY KEY,
        network_id TEXT NOT NULL REFERENCES logical_networks(id),
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        filter TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (network_id, name)
      );
      CREATE TABLE cluster_networks (
        cluster_id TEXT NOT NULL REFERENCES clusters(id),
        network_id TEXT NOT NULL REFERENCES logical_networks(id),
        roles TEXT NOT NULL DEFAULT '',
        required INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (cluster_id, network_id)
      );
      CREATE TABLE vm_nic_profiles (
        vm_uuid TEXT NOT NULL,
        mac TEXT NOT NULL,
        profile_id TEXT NOT NULL REFERENCES vnic_profiles(id),
        PRIMARY KEY (vm_uuid, mac)
      );
      CREATE INDEX vm_nic_profiles_profile ON vm_nic_profiles(profile_id);
    `);
    const dc = db.prepare("SELECT id FROM data_centers WHERE name = 'Default'").get() as { id: string } | undefined;
    if (!dc) return;
    const now = new Date().toISOString();
    const net = randomUUID();
    db.prepare('INSERT INTO logical_networks (id, name, data_center_id, description, vm_network, created_at) VALUES (?, ?, ?, ?, 1, ?)').run(net, 'ovirtmgmt', dc.id, 'Management Network', now);
    db.prepare('INSERT INTO vnic_profiles (id, network_id, name, created_at) VALUES (?, ?, ?, ?)').run(randomUUID(), net, 'ovirtmgmt', now);
    const cluster = db.prepare("SELECT id FROM clusters WHERE name = 'Default'").get() as { id: string } | undefined;
    if (cluster) db.prepare("INSERT INTO cluster_networks (cluster_id, network_id, roles, required) VALUES (?, ?, 'management,vm,display,migration', 1)").run(cluster.id, net);
  },
};
