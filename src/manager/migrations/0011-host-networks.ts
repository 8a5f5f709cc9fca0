import type { Migration } from './index.ts';

// Logical networks attached to this host's NICs and bonds ("setup host
// networks", issue #15): which network, on which NIC or bond, through which
// interface (its bridge, its VLAN interface or the NIC/bond itself). A row is
// written only once the safe network apply that made the interface was
// confirmed, so it always names what the host carries. One host: a network
// is attached once.
export const hostNetworks0011: Migration = {
  id: '0011-host-networks',
  up(db) {
    db.exec(`
      CREATE TABLE host_network_attachments (
        network_id TEXT PRIMARY KEY REFERENCES logical_networks(id),
        iface TEXT NOT NULL,
        device TEXT NOT NULL,
        attached_at TEXT NOT NULL,
        attached_by TEXT NOT NULL
      );
    `);
  },
};
