// Logical networks, their vNIC profiles, their cluster attachments and the
// VM NICs using a profile (migration 0010).
import { randomUUID } from 'node:crypto';
import type { NetworkRole } from '../../domain/logical-networks.ts';
import type { Db } from '../db.ts';

export interface LogicalNetworkRow {
  id: string;
  name: string;
  dataCenterId: string;
  description: string;
  vlan: number | null;
  mtu: number | null;
  vmNetwork: boolean;
  createdAt: string;
}

export interface VnicProfileRow {
  id: string;
  networkId: string;
  name: string;
  description: string;
  filter: string | null;
  createdAt: string;
}

export interface ClusterNetworkRow {
  clusterId: string;
  networkId: string;
  roles: NetworkRole[];
  required: boolean;
}

interface NetRaw { id: string; name: string; data_center_id: string; description: string; vlan: number | null; mtu: number | null; vm_network: number; created_at: string }
interface ProfRaw { id: string; network_id: string; name: string; description: string; filter: string | null; created_at: string }
interface CnRaw { cluster_id: string; network_id: string; roles: string; required: number }

const toNet = (r: NetRaw): LogicalNetworkRow => ({
  id: r.id, name: r.name, dataCenterId: r.data_center_id, description: r.description, vlan: r.vlan, mtu: r.mtu, vmNetwork: r.vm_network === 1, createdAt: r.created_at,
});
const toProf = (r: ProfRaw): VnicProfileRow => ({ id: r.id, networkId: r.network_id, name: r.name, description: r.description, filter: r.filter, createdAt: r.created_at });
const toCn = (r: CnRaw): ClusterNetworkRow => ({ clusterId: r.cluster_id, networkId: r.network_id, roles: (r.roles ? r.roles.split(',') : []) as NetworkRole[], required: r.required === 1 });

export type NetworkFields = Omit<LogicalNetworkRow, 'id' | 'createdAt'>;
export type ProfileFields = Pick<VnicProfileRow, 'name' | 'description' | 'filter'>;

export function logicalNetworkRepo(db: Db) {
  const now = () => new Date().toISOString();
  return {
    networks: () => (db.prepare('SELECT * FROM logical_networks ORDER BY name').all() as NetRaw[]).map(toNet),
    network(key: string): LogicalNetworkRow | undefined {
      const r = db.prepare('SELECT * FROM logical_networks WHERE id = ? OR name = ?').get(key, key) as NetRaw | undefined;
      return r && toNet(r);
    },
    /** A network and its default profile (named like it), in one go. */
    insertNetwork(n: NetworkFields): string {
      const id = randomUUID();
      db.prepare('INSERT INTO logical_networks (id, name, data_center_id, description, vlan, mtu, vm_network, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, n.name, n.dataCenterId, n.description, n.vlan, n.mtu, n.vmNetwork ? 1 : 0, now());
      db.prepare('INSERT INTO vnic_profiles (id, network_id, name, created_at) VALUES (?, ?, ?, ?)').run(randomUUID(), id, n.name, now());
      return id;
    },
    updateNetwork(id: string, n: NetworkFields): void {
      db.prepare('UPDATE logical_networks SET name = ?, data_center_id = ?, description = ?, vlan = ?, mtu = ?, vm_network = ? WHERE id = ?')
        .run(n.name, n.dataCenterId, n.description, n.vlan, n.mtu, n.vmNetwork ? 1 : 0, id);
    },
    /** The network, its profiles and its attachments. */
    removeNetwork(id: string): void {
      db.prepare('DELETE FROM vm_nic_profiles WHERE profile_id IN (SELECT id FROM vnic_profiles WHERE network_id = ?)').run(id);
      db.prepare('DELETE FROM vnic_profiles WHERE network_id = ?').run(id);
      db.prepare('DELETE FROM cluster_networks WHERE network_id = ?').run(id);
      db.prepare('DELETE FROM logical_networks WHERE id = ?').run(id);
    },

    profiles: (networkId?: string) => (db.prepare(`SELECT * FROM vnic_profiles${networkId ? ' WHERE network_id = ?' : ''} ORDER BY name`).all(...(networkId ? [networkId] : [])) as ProfRaw[]).map(toProf),
    profile: (id: string): VnicProfileRow | undefined => {
      const r = db.prepare('SELECT * FROM vnic_profiles WHERE id = ?').get(id) as ProfRaw | undefined;
      return r && toProf(r);
    },
    insertProfile(networkId: string, p: ProfileFields): string {
      const id = randomUUID();
      db.prepare('INSERT INTO vnic_profiles (id, network_id, name, description, filter, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, networkId, p.name, p.description, p.filter, now());
      return id;
    },
    updateProfile: (id: string, p: ProfileFields) => { db.prepare('UPDATE vnic_profiles SET name = ?, description = ?, filter = ? WHERE id = ?').run(p.name, p.description, p.filter, id); },
    removeProfile(id: string): void {
      db.prepare('DELETE FROM vm_nic_profiles WHERE profile_id = ?').run(id);
      db.prepare('DELETE FROM vnic_profiles WHERE id = ?').run(id);
    },

    attachments: () => (db.prepare('SELECT * FROM cluster_networks').all() as CnRaw[]).map(toCn),
    attach(clusterId: string, networkId: string, roles: readonly NetworkRole[], required: boolean): void {
      db.prepare('INSERT INTO cluster_networks (cluster_id, network_id, roles, required) VALUES (?, ?, ?, ?) ON CONFLICT(cluster_id, network_id) DO UPDATE SET roles = excluded.roles, required = excluded.required')
        .run(clusterId, networkId, roles.join(','), required ? 1 : 0);
    },
    detach: (clusterId: string, networkId: string) => { db.prepare('DELETE FROM cluster_networks WHERE cluster_id = ? AND network_id = ?').run(clusterId, networkId); },

    /** VM uuid and MAC of every NIC using a profile of the list. */
    nicsUsing: (profileIds: readonly string[]) => (profileIds.length
      ? db.prepare(`SELECT vm_uuid AS vmUuid, mac, profile_id AS profileId FROM vm_nic_profiles WHERE profile_id IN (${profileIds.map(() => '?').join(',')})`).all(...profileIds) as { vmUuid: string; mac: string; profileId: string }[]
      : []),
    recordNic: (vmUuid: string, mac: string, profileId: string) => {
      db.prepare('INSERT INTO vm_nic_profiles (vm_uuid, mac, profile_id) VALUES (?, ?, ?) ON CONFLICT(vm_uuid, mac) DO UPDATE SET profile_id = excluded.profile_id').run(vmUuid, mac.toLowerCase(), profileId);
    },
    forgetVmNics: (vmUuid: string) => { db.prepare('DELETE FROM vm_nic_profiles WHERE vm_uuid = ?').run(vmUuid); },
    /** One NIC of a VM no longer uses its profile (it was unplugged). */
    forgetNic: (vmUuid: string, mac: string) => { db.prepare('DELETE FROM vm_nic_profiles WHERE vm_uuid = ? AND mac = ?').run(vmUuid, mac.toLowerCase()); },
    /** The profile of each recorded NIC of a VM, by MAC. */
    vmNics: (vmUuid: string) => db.prepare('SELECT mac, profile_id AS profileId FROM vm_nic_profiles WHERE vm_uuid = ?').all(vmUuid) as { mac: string; profileId: string }[],
  };
}

export type LogicalNetworkRepo = ReturnType<typeof logicalNetworkRepo>;
