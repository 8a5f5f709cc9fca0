// What the host object needs to know of the logical networks attached to
// this host, read from the state DB alone (the host's status is asked for on
// every host view): whether its cluster's required networks are all there.
//
// The management network (ovirtmgmt, the cluster's network with the
// management role) counts as attached to the management interface without a
// record, as oVirt's host deploy puts it there: here that interface already
// carries the management traffic this console and the CLI reach the host
// through, and rebuilding it into a bridge at `manager init` would risk cutting
// the operator off for nothing a standalone host needs. A fresh standalone
// host is therefore Up, not NonOperational for want of ovirtmgmt.
import type { Db } from '../manager/db.ts';
import { logicalNetworkRepo, type ClusterNetworkRow } from '../manager/repos/logical-networks.ts';
import { hostNetworkRepo } from '../manager/repos/host-networks.ts';

/** The cluster's management network: carried by the management interface (see above). */
export const isManagementNetwork = (a: Pick<ClusterNetworkRow, 'roles'>) => a.roles.includes('management');

/** Why the host is NonOperational for its networks, or undefined when it carries every required one. */
export function missingRequiredNetwork(db: Db, cluster: { id: string; name: string }): string | undefined {
  const lrepo = logicalNetworkRepo(db);
  const attached = new Set(hostNetworkRepo(db).list().map((a) => a.networkId));
  const missing = lrepo.attachments().filter((a) => a.clusterId === cluster.id && a.required && !isManagementNetwork(a) && !attached.has(a.networkId));
  if (!missing.length) return undefined;
  const names = missing.map((a) => lrepo.network(a.networkId)?.name ?? a.networkId).sort();
  return `required network${names.length > 1 ? 's' : ''} ${names.join(', ')} of cluster ${cluster.name} ${names.length > 1 ? 'are' : 'is'} not attached to the host`;
}
