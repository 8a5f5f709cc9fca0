// Logical networks attached to this host's NICs and bonds (migration 0011).
import type { Db } from '../db.ts';

export interface HostNetworkRow {
  networkId: string;
  iface: string;
  device: string;
  attachedAt: string;
  attachedBy: string;
}

interface Raw { network_id: string; iface: string; device: string; attached_at: string; attached_by: string }
const toRow = (r: Raw): HostNetworkRow => ({ networkId: r.network_id, iface: r.iface, device: r.device, attachedAt: r.attached_at, attachedBy: r.attached_by });

export function hostNetworkRepo(db: Db) {
  return {
    list: () => (db.prepare('SELECT * FROM host_network_attachments ORDER BY iface, device').all() as Raw[]).map(toRow),
    of(networkId: string): HostNetworkRow | undefined {
      const r = db.prepare('SELECT * FROM host_network_attachments WHERE network_id = ?').get(networkId) as Raw | undefined;
      return r && toRow(r);
    },
    insert(r: Omit<HostNetworkRow, 'attachedAt'>): void {
      db.prepare('INSERT INTO host_network_attachments (network_id, iface, device, attached_at, attached_by) VALUES (?, ?, ?, ?, ?)')
        .run(r.networkId, r.iface, r.device, new Date().toISOString(), r.attachedBy);
    },
    remove: (networkId: string) => { db.prepare('DELETE FROM host_network_attachments WHERE network_id = ?').run(networkId); },
  };
}
