// VM NICs on a vNIC profile (`vm create --nic profile=NAME`): the profile is
// looked up (PROFILE, or NETWORK/PROFILE), checked (a VM network attached to
// the VM's cluster), turned into a NIC on the network's bridge with the
// profile's network filter, and recorded against the VM so the profile and
// its network are not removed under it. Loaded by VM creation only when a NIC
// names a profile.
import { randomBytes } from 'node:crypto';
import { splitProfileRef } from '../domain/logical-networks.ts';
import type { NicInput } from '../domain/vm-devices.ts';
import { managerRepo } from '../manager/repos/manager-model.ts';
import { logicalNetworkRepo, type LogicalNetworkRepo, type LogicalNetworkRow, type VnicProfileRow } from '../manager/repos/logical-networks.ts';
import type { CoreContext } from './index.ts';

export interface ProfileMatch { profile: VnicProfileRow; network: LogicalNetworkRow }

/** The profiles a reference names (PROFILE or NETWORK/PROFILE): none, one, or several when names repeat across networks. */
export function findProfiles(repo: LogicalNetworkRepo, ref: string): ProfileMatch[] {
  const { network, profile } = splitProfileRef(ref);
  const nets = new Map(repo.networks().map((n) => [n.id, n]));
  return repo.profiles()
    .filter((p) => p.name === profile || p.id === ref)
    .map((p) => ({ profile: p, network: nets.get(p.networkId)! }))
    .filter((m) => m.network && (network === undefined || m.network.name === network));
}

/** Why a NIC of a VM in the cluster (Default when none) cannot use the profile, or undefined. */
export function profileChecker(ctx: CoreContext, clusterKey: string | undefined): (ref: string) => string | undefined {
  const repo = logicalNetworkRepo(ctx.infra.db);
  const mrepo = managerRepo(ctx.infra.db);
  const cluster = clusterKey ? mrepo.cluster(clusterKey) : mrepo.defaultCluster();
  return (ref) => {
    const found = findProfiles(repo, ref);
    if (!found.length) return `no vNIC profile ${JSON.stringify(ref)} (see hostdeck network profile list)`;
    if (found.length > 1) return `${found.length} networks have a profile named ${JSON.stringify(ref)}: give NETWORK/PROFILE (${found.map((m) => `${m.network.name}/${m.profile.name}`).join(', ')})`;
    const { network } = found[0]!;
    if (!network.vmNetwork) return `network ${network.name} is not a VM network`;
    // The cluster itself is checked as the cluster field.
    if (cluster && !repo.attachments().some((a) => a.clusterId === cluster.id && a.networkId === network.id)) {
      return `network ${network.name} is not attached to cluster ${cluster.name} (hostdeck network attach ${network.name} --cluster ${cluster.name})`;
    }
    return undefined;
  };
}

/** A locally administered-looking libvirt MAC (52:54:00, QEMU's prefix), so the NIC can be recorded before libvirt sees it. */
export function newMac(taken: ReadonlySet<string>): string {
  for (;;) {
    const mac = `52:54:00:${[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
    if (!taken.has(mac)) return mac;
  }
}

export interface ResolvedNics {
  nics: NicInput[];
  /** The profile of each profile NIC, by its MAC. */
  uses: { mac: string; profileId: string }[];
}

/** The NICs with every profile NIC on its network's bridge, with the profile's filter and a MAC (validated input). */
export function resolveProfileNics(ctx: CoreContext, nics: readonly NicInput[]): ResolvedNics {
  const repo = logicalNetworkRepo(ctx.infra.db);
  const taken = new Set(nics.flatMap((n) => (n.mac ? [n.mac.toLowerCase()] : [])));
  const uses: ResolvedNics['uses'] = [];
  const out = nics.map((n): NicInput => {
    if (n.kind !== 'profile') return n;
    const m = findProfiles(repo, n.source)[0];
    if (!m) throw new Error(`vNIC profile ${n.source} is gone`);
    const mac = n.mac?.toLowerCase() ?? newMac(taken);
    taken.add(mac);
    uses.push({ mac, profileId: m.profile.id });
    // The bridge is the network itself (named like it); a VLAN is on the host side, under the bridge.
    return { kind: 'bridge', source: m.network.name, mac, ...(n.model ? { model: n.model } : {}), ...(m.profile.filter ? { filter: m.profile.filter } : {}) };
  });
  return { nics: out, uses };
}

/** Record the profile NICs of a defined VM; returns how to take the records back. */
export async function recordProfileNics(ctx: CoreContext, vm: string, uses: ResolvedNics['uses']): Promise<() => void> {
  if (!uses.length) return () => undefined;
  const d = (await ctx.infra.virt.domainList()).find((x) => x.name === vm);
  if (!d) throw new Error(`VM ${vm} was defined but libvirt does not list it`);
  const repo = logicalNetworkRepo(ctx.infra.db);
  for (const u of uses) repo.recordNic(d.uuid, u.mac, u.profileId);
  return () => repo.forgetVmNics(d.uuid);
}
