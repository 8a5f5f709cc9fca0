// Logical networks and vNIC profiles of the standalone manager, as oVirt has
// them (not the host's network configuration: that is `net`, src/domain/net).
// A logical network is named like the Linux bridge that carries it on a host,
// lives in a data center, may carry a VLAN tag and an MTU, and is attached to
// clusters with roles. A vNIC profile on it is what a VM NIC picks: the
// network's bridge plus a libvirt network filter. Pure rules: the CLI, the
// Logical networks screen and the core say the same thing.
import type { FieldError, Validated } from './errors.ts';
import { boolValue as yesNo, descriptionRule, managerNameRule, DEFAULT_NAME } from './manager.ts';

export const NETWORK_NAME_MAX = 15;
export const VLAN_MIN = 0;
export const VLAN_MAX = 4094;
export const MTU_MIN = 68;
export const MTU_MAX = 65535;
/** The management network every data center gets, as in oVirt. */
export const MANAGEMENT_NETWORK = 'ovirtmgmt';
export const NETWORK_ROLES = ['management', 'vm', 'display', 'migration'] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];
/** Roles a cluster gives to one network at most (oVirt's rule). */
export const SINGLE_ROLES: readonly NetworkRole[] = ['management', 'display', 'migration'];
/** A profile without a network filter. */
export const NO_FILTER = 'none';

const BRIDGE_NAME_RE = /^[A-Za-z0-9_-]+$/;

/** Why a string cannot name a logical network (a Linux bridge name), or undefined. */
export function networkNameRule(label: string, s: string): string | undefined {
  if (!s) return `${label}: is required`;
  if (s.length > NETWORK_NAME_MAX) return `${label}: must be at most ${NETWORK_NAME_MAX} characters, as a Linux bridge name (got ${s.length})`;
  if (!BRIDGE_NAME_RE.test(s)) return `${label}: may contain only letters, digits, '_' and '-' (a Linux bridge name: no ':', '.', '/' or space) (got ${JSON.stringify(s)})`;
  if (s.startsWith('-')) return `${label}: must not start with '-'`;
  if (s === 'lo') return `${label}: 'lo' is the loopback interface's name`;
  return undefined;
}

/** An optional whole number in a range: '' / 'none' / 'default' clear it. */
function optionalInt(v: string | number | null | undefined, base: number | null, min: number, max: number): { value: number | null } | { problem: string } {
  if (v === undefined) return { value: base };
  if (v === null) return { value: null };
  const s = String(v).trim();
  if (s === '' || s === 'none' || s === 'default') return { value: null };
  const n = Number(s);
  if (!/^\d+$/.test(s) || n < min || n > max) return { problem: `must be a whole number from ${min} to ${max}, or none (got ${JSON.stringify(s)})` };
  return { value: n };
}

export interface LogicalNetworkInput {
  name?: string;
  description?: string;
  /** The data center's name or id. */
  dataCenter?: string;
  /** 0–4094; '', 'none' or null: no VLAN. */
  vlan?: string | number | null;
  /** 68–65535; '', 'default' or null: the host's default. */
  mtu?: string | number | null;
  vmNetwork?: boolean | string;
}

export interface LogicalNetworkSpec {
  name: string;
  description: string;
  dataCenter: string;
  vlan: number | null;
  mtu: number | null;
  vmNetwork: boolean;
}

/** A new network (every field), or an edit (only the fields given, over `base`). */
export function validateLogicalNetwork(input: LogicalNetworkInput, facts: { dataCenterExists(key: string): boolean }, base?: LogicalNetworkSpec): Validated<LogicalNetworkSpec> {
  const errors: FieldError[] = [];
  const name = (input.name ?? base?.name ?? '').trim();
  const n = networkNameRule('name', name);
  if (n) errors.push({ field: 'name', message: n });
  const description = input.description ?? base?.description ?? '';
  const d = descriptionRule(description);
  if (d) errors.push({ field: 'description', message: d });
  const dataCenter = (input.dataCenter ?? base?.dataCenter ?? DEFAULT_NAME).trim();
  if (!dataCenter) errors.push({ field: 'dataCenter', message: 'data center: is required (a data center name)' });
  else if (!facts.dataCenterExists(dataCenter)) errors.push({ field: 'dataCenter', message: `data center: no data center ${JSON.stringify(dataCenter)} (see hostdeck dc list)` });
  const vlan = optionalInt(input.vlan, base?.vlan ?? null, VLAN_MIN, VLAN_MAX);
  if ('problem' in vlan) errors.push({ field: 'vlan', message: `VLAN tag: ${vlan.problem}` });
  const mtu = optionalInt(input.mtu, base?.mtu ?? null, MTU_MIN, MTU_MAX);
  if ('problem' in mtu) errors.push({ field: 'mtu', message: `MTU: ${mtu.problem.replace(', or none', ', or default')}` });
  const vm = input.vmNetwork === undefined ? base?.vmNetwork ?? true : yesNo(input.vmNetwork);
  if (vm === undefined) errors.push({ field: 'vmNetwork', message: `VM network: must be yes or no (got ${JSON.stringify(input.vmNetwork)})` });
  if (errors.length || 'problem' in vlan || 'problem' in mtu) return { ok: false, errors };
  return { ok: true, value: { name, description, dataCenter, vlan: vlan.value, mtu: mtu.value, vmNetwork: vm! } };
}

export interface VnicProfileInput {
  name?: string;
  description?: string;
  /** A libvirt nwfilter name, or 'none'. */
  filter?: string;
}

export interface VnicProfileSpec {
  name: string;
  description: string;
  /** null: no filter. */
  filter: string | null;
}

/** A new profile, or an edit over `base`; `filters` are libvirt's nwfilter names (`virsh nwfilter-list`). */
export function validateVnicProfile(input: VnicProfileInput, filters: readonly string[], base?: VnicProfileSpec): Validated<VnicProfileSpec> {
  const errors: FieldError[] = [];
  const name = (input.name ?? base?.name ?? '').trim();
  const n = managerNameRule('profile name', name);
  if (n) errors.push({ field: 'name', message: n });
  const description = input.description ?? base?.description ?? '';
  const d = descriptionRule(description);
  if (d) errors.push({ field: 'description', message: d });
  const given = input.filter === undefined ? base?.filter ?? NO_FILTER : input.filter.trim() || NO_FILTER;
  if (given !== NO_FILTER && !filters.includes(given)) {
    const near = filters.filter((f) => f.includes(given.slice(0, 4))).slice(0, 6);
    const offer = filters.length ? `give none or one of virsh nwfilter-list (e.g. ${(near.length ? near : filters.slice(0, 6)).join(', ')})` : 'libvirt lists no network filters here, so give none';
    errors.push({ field: 'filter', message: `network filter: libvirt has no network filter ${JSON.stringify(given)}: ${offer}` });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { name, description, filter: given === NO_FILTER ? null : given } };
}

export interface ClusterAttachmentInput {
  /** Comma-separated or a list: management, vm, display, migration. */
  roles?: string | readonly string[];
  required?: boolean | string;
}

export interface ClusterAttachment {
  roles: NetworkRole[];
  required: boolean;
}

export interface AttachFacts {
  network: { name: string; vmNetwork: boolean; dataCenterId: string };
  cluster: { name: string; dataCenterId: string };
  /** The cluster's other attached networks and their roles. */
  others: readonly { network: string; roles: readonly NetworkRole[] }[];
}

/** A network's attachment to a cluster: its roles (one network per single role in a cluster), required or not. */
export function validateAttachment(input: ClusterAttachmentInput, facts: AttachFacts): Validated<ClusterAttachment> {
  const errors: FieldError[] = [];
  const raw = typeof input.roles === 'string' ? input.roles.split(',') : input.roles ?? (facts.network.vmNetwork ? ['vm'] : []);
  const roles = [...new Set(raw.map((r) => r.trim().toLowerCase()).filter(Boolean))];
  const unknown = roles.filter((r) => !NETWORK_ROLES.includes(r as NetworkRole));
  if (unknown.length) errors.push({ field: 'roles', message: `roles: must be among ${NETWORK_ROLES.join(', ')} (got ${unknown.map((r) => JSON.stringify(r)).join(', ')})` });
  else if (roles.includes('vm') && !facts.network.vmNetwork) errors.push({ field: 'roles', message: `roles: network ${facts.network.name} is not a VM network, so it cannot have the vm role` });
  for (const role of SINGLE_ROLES.filter((r) => roles.includes(r))) {
    const holder = facts.others.find((o) => o.network !== facts.network.name && o.roles.includes(role));
    if (holder) errors.push({ field: 'roles', message: `roles: cluster ${facts.cluster.name} already has ${holder.network} as its ${role} network (at most one per cluster)` });
  }
  if (facts.network.dataCenterId !== facts.cluster.dataCenterId) errors.push({ field: 'cluster', message: `cluster: ${facts.cluster.name} is in another data center than network ${facts.network.name}` });
  const required = input.required === undefined ? true : yesNo(input.required);
  if (required === undefined) errors.push({ field: 'required', message: `required: must be yes or no (got ${JSON.stringify(input.required)})` });
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { roles: roles as NetworkRole[], required: required! } };
}

/** A VM NIC's profile reference: PROFILE, or NETWORK/PROFILE when profile names repeat across networks. */
export function splitProfileRef(ref: string): { network?: string; profile: string } {
  const i = ref.indexOf('/');
  return i < 0 ? { profile: ref } : { network: ref.slice(0, i), profile: ref.slice(i + 1) };
}

/** The names of the VMs using something, for a refusal ("in use by VM a, b"). */
export function usedByText(what: string, vms: readonly string[]): string {
  return `${what} is in use by the NICs of VM${vms.length > 1 ? 's' : ''} ${[...new Set(vms)].sort().join(', ')}: remove those NICs or pick another profile first`;
}
