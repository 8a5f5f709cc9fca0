// The standalone manager's logical networks and their vNIC profiles (not the
// host's network configuration: that is network.ts, `hostdeck net`). Rows are
// in the state DB (repos/logical-networks.ts); a profile's network filter is
// one libvirt has (`virsh nwfilter-list`); a network or profile a VM NIC uses
// (vm_nic_profiles, VMs still in libvirt) is not removed, nor a network a
// cluster requires. Every change goes through the door with its event; every
// refusal throws before the commit.
import {
  usedByText, validateAttachment, validateLogicalNetwork, validateVnicProfile,
  type ClusterAttachmentInput, type LogicalNetworkInput, type LogicalNetworkSpec, type NetworkRole, type VnicProfileInput,
} from '../domain/logical-networks.ts';
import { DEFAULT_NAME } from '../domain/manager.ts';
import { InvalidInputError, NotFoundError, WrongStateError } from '../domain/errors.ts';
import { managerRepo } from '../manager/repos/manager-model.ts';
import { logicalNetworkRepo, type LogicalNetworkRow, type VnicProfileRow } from '../manager/repos/logical-networks.ts';
import { hostNetworkRepo } from '../manager/repos/host-networks.ts';
import { parseVirshTable, virsh, virshArgs } from '../virt/virsh.ts';
import { findProfiles } from './vm-nic-profiles.ts';
import type { CoreContext } from './index.ts';

export interface VnicProfileView extends VnicProfileRow {
  network: string;
  /** The VMs whose NICs use it. */
  vms: string[];
}

export interface NetworkAttachmentView { cluster: string; roles: NetworkRole[]; required: boolean }

export interface LogicalNetworkView extends LogicalNetworkRow {
  dataCenter: string;
  profiles: VnicProfileView[];
  clusters: NetworkAttachmentView[];
  /** The VMs whose NICs use one of its profiles. */
  vms: string[];
}

export interface LogicalNetworkUseCases {
  list(): Promise<LogicalNetworkView[]>;
  get(key: string): Promise<LogicalNetworkView>;
  /** A new network with its default vNIC profile (named like it, no filter). */
  create(input: LogicalNetworkInput): Promise<LogicalNetworkView>;
  edit(key: string, input: LogicalNetworkInput): Promise<LogicalNetworkView>;
  remove(key: string): Promise<void>;
  /** Attach to a cluster (or change the roles and required flag of an attachment). */
  attach(network: string, cluster: string, input: ClusterAttachmentInput): Promise<LogicalNetworkView>;
  detach(network: string, cluster: string): Promise<LogicalNetworkView>;
  /** libvirt's network filter names (`virsh nwfilter-list`). */
  filters(): Promise<string[]>;
  /** The profiles of one network, or of all. */
  profileList(network?: string): Promise<VnicProfileView[]>;
  profileGet(ref: string): Promise<VnicProfileView>;
  profileCreate(network: string, input: VnicProfileInput): Promise<VnicProfileView>;
  profileEdit(ref: string, input: VnicProfileInput): Promise<VnicProfileView>;
  profileRemove(ref: string): Promise<void>;
}

const invalid = (field: string, message: string) => new InvalidInputError([{ field, message }]);
/** Valid values under an edit's input while the network it names is looked up. */
const NET_PLACEHOLDER: LogicalNetworkSpec = { name: 'placeholder', description: '', dataCenter: DEFAULT_NAME, vlan: null, mtu: null, vmNetwork: true };

/** Valid values under a profile edit's input while the profile it names is looked up. */
const PROFILE_PLACEHOLDER = { name: 'placeholder', description: '', filter: null };

export function createLogicalNetworkUseCases(ctx: CoreContext): LogicalNetworkUseCases {
  const { door } = ctx;
  const repo = logicalNetworkRepo(ctx.infra.db);
  const mrepo = managerRepo(ctx.infra.db);
  const dcExists = { dataCenterExists: (k: string) => mrepo.dataCenter(k) !== undefined };

  const mustNet = (key: string) => repo.network(key) ?? (() => { throw new NotFoundError(`logical network: no logical network ${JSON.stringify(key)} (see hostdeck network list)`); })();
  function mustProfile(ref: string) {
    const found = findProfiles(repo, ref);
    if (!found.length) throw new NotFoundError(`vNIC profile: no vNIC profile ${JSON.stringify(ref)} (see hostdeck network profile list)`);
    if (found.length > 1) throw invalid('profile', `vNIC profile: ${found.length} networks have a profile named ${JSON.stringify(ref)}: give NETWORK/PROFILE (${found.map((m) => `${m.network.name}/${m.profile.name}`).join(', ')})`);
    return found[0]!;
  }
  // The cluster is a value given with the network (--cluster, a form field): an unknown one is invalid input naming it.
  const mustCluster = (key: string) => mrepo.cluster(key) ?? (() => { throw invalid('cluster', `cluster: no cluster ${JSON.stringify(key)} (see hostdeck cluster list)`); })();

  /** VM names by profile id; rows of VMs gone from libvirt are forgotten on the way. */
  async function usersByProfile(profileIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = repo.nicsUsing(profileIds);
    const out = new Map<string, string[]>();
    if (!rows.length) return out;
    const names = new Map((await ctx.infra.virt.domainList()).map((d) => [d.uuid, d.name]));
    for (const r of rows) {
      const name = names.get(r.vmUuid);
      if (name === undefined) { repo.forgetVmNics(r.vmUuid); continue; }
      out.set(r.profileId, [...new Set([...(out.get(r.profileId) ?? []), name])].sort());
    }
    return out;
  }

  async function views(nets: readonly LogicalNetworkRow[]): Promise<LogicalNetworkView[]> {
    const dcs = new Map(mrepo.dataCenters().map((d) => [d.id, d.name]));
    const clusters = new Map(mrepo.clusters().map((c) => [c.id, c.name]));
    const atts = repo.attachments();
    const profiles = repo.profiles();
    const users = await usersByProfile(profiles.map((p) => p.id));
    return nets.map((n) => {
      const mine = profiles.filter((p) => p.networkId === n.id).map((p) => ({ ...p, network: n.name, vms: users.get(p.id) ?? [] }));
      return {
        ...n, dataCenter: dcs.get(n.dataCenterId) ?? n.dataCenterId, profiles: mine,
        clusters: atts.filter((a) => a.networkId === n.id).map((a) => ({ cluster: clusters.get(a.clusterId) ?? a.clusterId, roles: a.roles, required: a.required })).sort((a, b) => a.cluster.localeCompare(b.cluster)),
        vms: [...new Set(mine.flatMap((p) => p.vms))].sort(),
      };
    });
  }
  const view = async (n: LogicalNetworkRow) => (await views([n]))[0]!;
  const profileView = async (p: VnicProfileRow) => (await view(mustNet(p.networkId))).profiles.find((x) => x.id === p.id)!;

  function sameName(name: string, exceptId?: string): void {
    const other = repo.network(name);
    if (other && other.id !== exceptId) throw invalid('name', `name: a logical network named ${JSON.stringify(name)} exists (a bridge name is unique on the host)`);
  }
  function sameProfileName(networkId: string, name: string, exceptId?: string): void {
    const other = repo.profiles(networkId).find((p) => p.name === name);
    if (other && other.id !== exceptId) throw invalid('name', `profile name: the network already has a profile named ${JSON.stringify(name)}`);
  }

  async function filters(): Promise<string[]> {
    const text = await virsh(ctx.infra.config.uri, virshArgs('nwfilter-list'), { readOnly: true });
    return parseVirshTable(text).map((r) => r.name ?? '').filter(Boolean).sort();
  }
  /** The filters, or none when libvirt cannot list them (only "none" is then valid, and the message says why). */
  const filtersOrNone = () => filters().catch(() => [] as string[]);

  const specOf = (n: LogicalNetworkRow): LogicalNetworkSpec => ({ name: n.name, description: n.description, dataCenter: n.dataCenterId, vlan: n.vlan, mtu: n.mtu, vmNetwork: n.vmNetwork });

  return {
    list: () => door.act('logical-network.list', { id: '*' }, { message: 'List the logical networks' }, () => views(repo.networks())),
    get: async (key) => view(mustNet(key)),

    create: (input) => door.act('logical-network.create', { id: input.name ?? '' }, { message: `Create logical network ${input.name ?? ''}` }, async ({ commit }) => {
      const v = validateLogicalNetwork(input, dcExists);
      if (!v.ok) throw new InvalidInputError(v.errors);
      sameName(v.value.name);
      const dc = mrepo.dataCenter(v.value.dataCenter)!;
      const id = commit(() => repo.insertNetwork({ ...v.value, dataCenterId: dc.id }));
      return view(mustNet(id));
    }),

    edit: (key, input) => door.act('logical-network.edit', { id: key }, { message: `Change logical network ${key}` }, async ({ commit }) => {
      // The values given are checked first, whether or not the network exists.
      const found = repo.network(key);
      const v = validateLogicalNetwork(input, dcExists, found ? specOf(found) : NET_PLACEHOLDER);
      if (!v.ok) throw new InvalidInputError(v.errors);
      const n = mustNet(key);
      sameName(v.value.name, n.id);
      const dc = mrepo.dataCenter(v.value.dataCenter)!;
      const current = await view(n);
      // A VM's domain XML names the bridge: a renamed or no longer VM network would leave its NICs nowhere.
      if (current.vms.length && (v.value.name !== n.name || !v.value.vmNetwork)) {
        throw new WrongStateError(`logical network ${n.name}: ${usedByText('it', current.vms).replace(': remove', ', whose domain XML names its bridge: remove')}`);
      }
      if (dc.id !== n.dataCenterId && current.clusters.length) throw new WrongStateError(`logical network ${n.name} is attached to clusters ${current.clusters.map((c) => c.cluster).join(', ')}: detach it before moving it to another data center`);
      if (!v.value.vmNetwork && current.clusters.some((c) => c.roles.includes('vm'))) throw invalid('vmNetwork', `VM network: ${n.name} has the vm role in clusters ${current.clusters.filter((c) => c.roles.includes('vm')).map((c) => c.cluster).join(', ')}`);
      commit(() => repo.updateNetwork(n.id, { ...v.value, dataCenterId: dc.id }));
      return view(mustNet(n.id));
    }),

    remove: (key) => door.act('logical-network.remove', { id: key }, { message: `Remove logical network ${key}` }, async ({ commit }) => {
      const n = mustNet(key);
      const current = await view(n);
      if (current.vms.length) throw new WrongStateError(`logical network ${n.name}: ${usedByText('it', current.vms)}`);
      const onHost = hostNetworkRepo(ctx.infra.db).of(n.id);
      if (onHost) throw new WrongStateError(`logical network ${n.name} is attached to this host's interface ${onHost.iface}: detach it first (hostdeck host network detach ${n.name})`);
      const required = current.clusters.filter((c) => c.required).map((c) => c.cluster);
      if (required.length) throw new WrongStateError(`logical network ${n.name} is required by cluster${required.length > 1 ? 's' : ''} ${required.join(', ')}: detach it first (hostdeck network detach ${n.name} --cluster ${required[0]})`);
      commit(() => repo.removeNetwork(n.id));
    }),

    attach: (netKey, clusterKey, input) => door.act('logical-network.attach', { id: netKey }, { message: `Attach logical network ${netKey} to cluster ${clusterKey}` }, async ({ commit }) => {
      const n = mustNet(netKey);
      const c = mustCluster(clusterKey);
      const names = new Map(repo.networks().map((x) => [x.id, x.name]));
      const others = repo.attachments().filter((a) => a.clusterId === c.id).map((a) => ({ network: names.get(a.networkId) ?? a.networkId, roles: a.roles }));
      const v = validateAttachment(input, { network: n, cluster: c, others });
      if (!v.ok) throw new InvalidInputError(v.errors);
      commit(() => repo.attach(c.id, n.id, v.value.roles, v.value.required));
      return view(mustNet(n.id));
    }),

    detach: (netKey, clusterKey) => door.act('logical-network.detach', { id: netKey }, { message: `Detach logical network ${netKey} from cluster ${clusterKey}` }, async ({ commit }) => {
      const n = mustNet(netKey);
      const c = mustCluster(clusterKey);
      if (!repo.attachments().some((a) => a.clusterId === c.id && a.networkId === n.id)) throw new WrongStateError(`logical network ${n.name} is not attached to cluster ${c.name}`);
      commit(() => repo.detach(c.id, n.id));
      return view(mustNet(n.id));
    }),

    filters,

    profileList: async (network) => {
      const nets = network ? [mustNet(network)] : repo.networks();
      return (await views(nets)).flatMap((n) => n.profiles);
    },
    profileGet: async (ref) => profileView(mustProfile(ref).profile),

    profileCreate: (network, input) => door.act('vnic-profile.create', { id: `${network}/${input.name ?? ''}` }, { message: `Create vNIC profile ${input.name ?? ''} on logical network ${network}` }, async ({ commit }) => {
      const v = validateVnicProfile(input, await filtersOrNone());
      if (!v.ok) throw new InvalidInputError(v.errors);
      const n = mustNet(network);
      sameProfileName(n.id, v.value.name);
      const id = commit(() => repo.insertProfile(n.id, v.value));
      return profileView(repo.profile(id)!);
    }),

    profileEdit: (ref, input) => door.act('vnic-profile.edit', { id: ref }, { message: `Change vNIC profile ${ref}` }, async ({ commit }) => {
      const found = findProfiles(repo, ref);
      const v = validateVnicProfile(input, await filtersOrNone(), found.length === 1 ? found[0]!.profile : PROFILE_PLACEHOLDER);
      if (!v.ok) throw new InvalidInputError(v.errors);
      const { profile } = mustProfile(ref);
      sameProfileName(profile.networkId, v.value.name, profile.id);
      commit(() => repo.updateProfile(profile.id, v.value));
      return profileView(repo.profile(profile.id)!);
    }),

    profileRemove: (ref) => door.act('vnic-profile.remove', { id: ref }, { message: `Remove vNIC profile ${ref}` }, async ({ commit }) => {
      const { profile, network } = mustProfile(ref);
      const users = (await usersByProfile([profile.id])).get(profile.id) ?? [];
      if (users.length) throw new WrongStateError(`vNIC profile ${network.name}/${profile.name}: ${usedByText('it', users)}`);
      commit(() => repo.removeProfile(profile.id));
    }),
  };
}
