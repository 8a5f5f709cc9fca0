// hostdeck network list|show|create|edit|remove|attach|detach|filters
// hostdeck network profile list|show|create|edit|remove
// The standalone manager's logical networks and their vNIC profiles (oVirt's
// networks, what a VM NIC picks with `vm create --nic profile=NAME`), not the
// host's network configuration: that is `hostdeck net`.
import type { FieldError } from '../domain/errors.ts';
import type { LogicalNetworkInput, VnicProfileInput } from '../domain/logical-networks.ts';
import type { LogicalNetworkView, VnicProfileView } from '../core/logical-networks.ts';
import type { OptionSpecs } from './args.ts';
import { CommandError, printTable, type Command, type CommandContext } from './registry.ts';
import { confirm, positional, tooMany } from './storage-domain.ts';
import { defined, guard, optionMessageBy, reply, resourceCommands, show, str, YES } from './manager.ts';

const NOT_NET = "(the manager's logical networks, not the host's network configuration: hostdeck net)";

/** Field -> [the words its rule starts with, the option]. */
const OPTION: Record<string, [string, string]> = {
  name: ['name', '--name'], description: ['description', '--description'], dataCenter: ['data center', '--dc'], vlan: ['VLAN tag', '--vlan'],
  mtu: ['MTU', '--mtu'], vmNetwork: ['VM network', '--vm-network'], filter: ['network filter', '--filter'], roles: ['roles', '--roles'],
  required: ['required', '--required'], cluster: ['cluster', '--cluster'], profile: ['vNIC profile', 'PROFILE'],
};
const PROFILE_NAME: [string, string] = ['profile name', '--name'];

const optionMessage = (e: FieldError) => optionMessageBy(OPTION, e);
const profileMessage = (e: FieldError) => optionMessageBy({ ...OPTION, name: PROFILE_NAME }, e);

const NET = 'NETWORK';
const netHint = 'a logical network name or id';
const PROFILE = 'PROFILE';
const profileHint = 'a vNIC profile name, or NETWORK/PROFILE';

const NET_OPTIONS: OptionSpecs = {
  name: { type: 'string', description: 'Name, as the Linux bridge that carries it: letters, digits, _ - (at most 15; no : . / or space; not lo)', value: 'NAME' },
  dc: { type: 'string', description: 'The data center it belongs to (default Default)', value: 'DC' },
  vlan: { type: 'string', description: 'VLAN tag 0-4094, or none (default none)', value: 'TAG' },
  mtu: { type: 'string', description: 'MTU 68-65535, or default (the host\'s default)', value: 'MTU' },
  'vm-network': { type: 'string', description: 'Whether VMs attach to it: yes (default) or no', value: 'yes|no' },
  description: { type: 'string', description: 'Free text, one line, at most 200 characters', value: 'TEXT', allowEmpty: true },
};
const netInput = (ctx: CommandContext): LogicalNetworkInput => defined({
  name: str(ctx, 'name'), dataCenter: str(ctx, 'dc'), vlan: str(ctx, 'vlan'), mtu: str(ctx, 'mtu'), vmNetwork: str(ctx, 'vm-network'), description: str(ctx, 'description'),
});

const netRow = (n: LogicalNetworkView) => ({
  name: n.name, dc: n.dataCenter, vlan: n.vlan ?? '-', mtu: n.mtu ?? 'default', vm: n.vmNetwork ? 'yes' : 'no',
  clusters: n.clusters.map((c) => `${c.cluster}${c.required ? '' : '(optional)'}`).join(',') || '-', profiles: n.profiles.length, vms: n.vms.length, description: n.description,
});

function showNet(ctx: CommandContext, n: LogicalNetworkView): void {
  if (ctx.json) { ctx.out(JSON.stringify(n, null, 2)); return; }
  show(ctx, [
    ['name', n.name], ['id', n.id], ['data center', n.dataCenter], ['VLAN', n.vlan === null ? 'none' : String(n.vlan)], ['MTU', n.mtu === null ? 'default' : String(n.mtu)],
    ['VM network', n.vmNetwork ? 'yes' : 'no'], ['description', n.description || '-'],
    ['clusters', n.clusters.map((c) => `${c.cluster} (${c.roles.join(', ') || 'no role'}; ${c.required ? 'required' : 'optional'})`).join('; ') || 'none'],
    ['profiles', n.profiles.map((p) => `${p.name} (filter ${p.filter ?? 'none'})`).join(', ') || 'none'], ['VMs', n.vms.join(', ') || 'none'],
  ]);
}

const profileRow = (p: VnicProfileView) => ({ name: p.name, network: p.network, filter: p.filter ?? 'none', vms: p.vms.join(',') || '-', description: p.description });

function showProfile(ctx: CommandContext, p: VnicProfileView): void {
  if (ctx.json) { ctx.out(JSON.stringify(p, null, 2)); return; }
  show(ctx, [['name', p.name], ['id', p.id], ['network', p.network], ['filter', p.filter ?? 'none'], ['description', p.description || '-'], ['VMs', p.vms.join(', ') || 'none']]);
}

const PROFILE_OPTIONS: OptionSpecs = {
  name: { type: 'string', description: 'Name: letters, digits, _ - . (at most 40; unique on its network)', value: 'NAME' },
  filter: { type: 'string', description: 'A libvirt network filter (hostdeck network filters, e.g. clean-traffic) or none (default)', value: 'FILTER' },
  description: { type: 'string', description: 'Free text, one line, at most 200 characters', value: 'TEXT', allowEmpty: true },
};
const profileInput = (ctx: CommandContext): VnicProfileInput => defined({ name: str(ctx, 'name'), filter: str(ctx, 'filter'), description: str(ctx, 'description') });

const CLUSTER_OPTION: OptionSpecs = { cluster: { type: 'string', description: 'The cluster', value: 'CLUSTER' } };
const mustCluster = (ctx: CommandContext): string => {
  const c = str(ctx, 'cluster');
  if (!c) throw new CommandError('--cluster: is required (a cluster name)', 2);
  return c;
};

export const logicalNetworkCommands: Command[] = [
  ...resourceCommands({
    noun: 'network', what: 'logical network', arg: NET, hint: netHint, options: NET_OPTIONS, input: netInput, row: netRow, show: showNet, message: optionMessage,
    listSummary: `List the logical networks with their VLAN, MTU, clusters and vNIC profiles ${NOT_NET}`,
    removeSummary: 'Remove a logical network and its vNIC profiles (refused while a VM NIC uses it or a cluster requires it)',
    useCases: (ctx) => ctx.core.logicalNetworks,
    columns: ['name', 'dc', 'vlan', 'mtu', 'vm', 'clusters', 'profiles', 'vms', 'description'],
    created: (n) => `Created logical network ${n.name} in data center ${n.dataCenter}${n.vlan === null ? '' : ` (VLAN ${n.vlan})`}, with vNIC profile ${n.name}.`,
  }),
  {
    noun: 'network', verb: 'attach', usage: NET,
    summary: 'Attach a logical network to a cluster with roles (management, vm, display, migration; one management network per cluster) and the required flag; again to change them',
    options: {
      ...CLUSTER_OPTION,
      roles: { type: 'string', description: 'Comma-separated roles: management, vm, display, migration (default vm on a VM network, else none)', value: 'ROLES' },
      required: { type: 'string', description: 'Whether the cluster\'s hosts must have it: yes (default) or no', value: 'yes|no' },
    },
    async run(ctx) {
      const net = positional(ctx, 0, NET, netHint);
      tooMany(ctx, 1);
      const cluster = mustCluster(ctx);
      const n = await guard(() => ctx.core.logicalNetworks.attach(net, cluster, defined({ roles: str(ctx, 'roles'), required: str(ctx, 'required') })), optionMessage);
      const a = n.clusters.find((c) => c.cluster === cluster);
      return reply(ctx, n, `Attached logical network ${n.name} to cluster ${cluster} (${a?.roles.join(', ') || 'no role'}; ${a?.required ? 'required' : 'optional'}).`);
    },
  },
  {
    noun: 'network', verb: 'detach', usage: NET, summary: 'Detach a logical network from a cluster', options: CLUSTER_OPTION,
    async run(ctx) {
      const net = positional(ctx, 0, NET, netHint);
      tooMany(ctx, 1);
      const cluster = mustCluster(ctx);
      const n = await guard(() => ctx.core.logicalNetworks.detach(net, cluster), optionMessage);
      return reply(ctx, n, `Detached logical network ${n.name} from cluster ${cluster}.`);
    },
  },
  {
    noun: 'network', verb: 'filters', summary: "The network filters a vNIC profile may use (libvirt's, virsh nwfilter-list)",
    async run(ctx) {
      tooMany(ctx, 0);
      const list = await guard(() => ctx.core.logicalNetworks.filters(), optionMessage);
      return reply(ctx, list, list.join('\n'));
    },
  },
  {
    noun: 'network', verb: 'profile list', usage: `[${NET}]`, summary: 'List the vNIC profiles (of one logical network) with their network filter and the VMs using them',
    async run(ctx) {
      const net = ctx.positionals[0]?.trim() || undefined;
      tooMany(ctx, 1);
      const list = await guard(() => ctx.core.logicalNetworks.profileList(net), profileMessage);
      printTable(ctx, list.map(profileRow), ['name', 'network', 'filter', 'vms', 'description'], list);
      return 0;
    },
  },
  {
    noun: 'network', verb: 'profile show', usage: PROFILE, summary: 'Show one vNIC profile',
    async run(ctx) {
      const ref = positional(ctx, 0, PROFILE, profileHint);
      tooMany(ctx, 1);
      showProfile(ctx, await guard(() => ctx.core.logicalNetworks.profileGet(ref), profileMessage));
      return 0;
    },
  },
  {
    noun: 'network', verb: 'profile create', usage: NET, summary: 'Create a vNIC profile on a logical network (what a VM NIC picks: --nic profile=NAME)', options: PROFILE_OPTIONS,
    async run(ctx) {
      const net = positional(ctx, 0, NET, netHint);
      tooMany(ctx, 1);
      const p = await guard(() => ctx.core.logicalNetworks.profileCreate(net, profileInput(ctx)), profileMessage);
      return reply(ctx, p, `Created vNIC profile ${p.name} on logical network ${p.network} (filter ${p.filter ?? 'none'}).`);
    },
  },
  {
    noun: 'network', verb: 'profile edit', usage: PROFILE, summary: 'Change a vNIC profile (the options given)', options: PROFILE_OPTIONS,
    async run(ctx) {
      const ref = positional(ctx, 0, PROFILE, profileHint);
      tooMany(ctx, 1);
      const p = await guard(() => ctx.core.logicalNetworks.profileEdit(ref, profileInput(ctx)), profileMessage);
      return reply(ctx, p, `Changed vNIC profile ${p.network}/${p.name}.`);
    },
  },
  {
    noun: 'network', verb: 'profile remove', usage: PROFILE, summary: 'Remove a vNIC profile (refused while a VM NIC uses it)', options: YES,
    async run(ctx) {
      const ref = positional(ctx, 0, PROFILE, profileHint);
      tooMany(ctx, 1);
      if (!(await confirm(ctx, `Remove vNIC profile ${ref}?`))) { ctx.err('Not removed.'); return 1; }
      await guard(() => ctx.core.logicalNetworks.profileRemove(ref), profileMessage);
      return reply(ctx, { removed: ref }, `Removed vNIC profile ${ref}.`);
    },
  },
];
