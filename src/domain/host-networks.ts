// "Setup host networks" as oVirt has it: a logical network attached to one of
// this host's NICs or bonds, as host network changes (NetChange) the safe
// network apply realises. A VM network becomes a bridge named like the
// network over the NIC/bond, or over its VLAN interface (bond0.100) when the
// network is tagged; the bridge takes the addresses and routes the NIC/bond
// had, so the host stays reachable where it was. A non-VM network is the
// VLAN interface itself (or, untagged, the NIC/bond as it is). Detaching
// undoes that, giving the addresses back. Pure: the core reads the host's
// configuration and limits, and records the attachment once the apply commits.
import type { FieldError, Validated } from './errors.ts';
import { findIface, type IfaceConfig, type NetChange, type NetConfig } from './net/model.ts';
import { ifaceNameRule } from './net/validate.ts';

/** What of a logical network the host's configuration depends on. */
export interface HostNetworkSpec {
  name: string;
  vlan: number | null;
  mtu: number | null;
  vmNetwork: boolean;
}

/** A logical network recorded as attached to one of the host's interfaces. */
export interface HostAttachment {
  network: string;
  /** The NIC or bond it is attached to. */
  iface: string;
  vlan: number | null;
}

export interface AttachmentPlan {
  /** The interface that carries the network: its bridge, its VLAN interface, or the NIC/bond itself. */
  device: string;
  changes: NetChange[];
}

export interface AttachFacts {
  /** The networks already attached on the host (recorded or the management network's). */
  attached: readonly HostAttachment[];
  /** The largest MTU the interface takes (for a bond: its ports' smallest), when the kernel says. */
  maxMtu(iface: string): number | undefined;
}

/** Where a network's VLAN interface goes on `iface` (the kernel's usual parent.id). */
export const vlanDevice = (iface: string, vlan: number) => `${iface}.${vlan}`;

/** The interface that carries a network attached to `iface`. */
export function carrierOf(net: HostNetworkSpec, iface: string): string {
  if (net.vmNetwork) return net.name;
  return net.vlan === null ? iface : vlanDevice(iface, net.vlan);
}

/** The changes that move `from`'s addresses and routes onto `to`. */
function moveAddresses(from: IfaceConfig, to: string): NetChange[] {
  const out: NetChange[] = [];
  for (const [family, ip] of [[4, from.ipv4], [6, from.ipv6]] as const) {
    if (ip.method === 'none') continue;
    out.push({ op: 'ip.set', iface: to, family, method: ip.method, addresses: [...ip.addresses], ...(ip.gateway ? { gateway: ip.gateway } : {}) });
  }
  for (const r of from.routes) out.push({ op: 'route.add', iface: to, to: r.to, ...(r.via ? { via: r.via } : {}), ...(r.metric !== undefined ? { metric: r.metric } : {}) });
  return out;
}

/** Why `iface` cannot take network `net`, by field, or the changes that attach it. */
export function planAttach(cfg: NetConfig, net: HostNetworkSpec, ifaceName: string, facts: AttachFacts): Validated<AttachmentPlan> {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string): Validated<AttachmentPlan> => ({ ok: false, errors: [...errors, { field, message }] });
  const held = facts.attached.find((a) => a.network === net.name);
  if (held) return fail('network', `network: ${net.name} is already attached to ${held.iface} (detach it first)`);
  const nameProblem = ifaceNameRule(ifaceName);
  if (nameProblem) return fail('iface', `interface: ${nameProblem}`);
  const iface = findIface(cfg, ifaceName);
  if (!iface) return fail('iface', `interface: this host has no NIC or bond named ${JSON.stringify(ifaceName)} (see hostdeck net list)`);
  if (iface.kind !== 'ethernet' && iface.kind !== 'bond') return fail('iface', `interface: ${ifaceName} is a ${iface.kind}; a logical network goes on a NIC or a bond`);
  const master = iface.master ? findIface(cfg, iface.master) : undefined;
  if (master?.kind === 'bond') return fail('iface', `interface: ${ifaceName} is a port of bond ${master.name}: attach the network to ${master.name}`);
  if (iface.master) return fail('iface', `interface: ${ifaceName} is a port of bridge ${iface.master}: networks go on an interface no bridge holds`);
  if (net.vlan === 0) return fail('network', `network: ${net.name}'s VLAN tag 0 (priority tagging) cannot be a VLAN interface on the host (1-4094)`);
  if (net.vlan === null) {
    const untagged = facts.attached.find((a) => a.iface === ifaceName && a.vlan === null);
    if (untagged) return fail('network', `network: ${ifaceName} already carries ${untagged.network} without a VLAN; a NIC or bond carries one untagged network (give this one a VLAN tag)`);
  } else {
    const clash = cfg.interfaces.find((i) => i.vlan?.parent === ifaceName && i.vlan.id === net.vlan) ?? findIface(cfg, vlanDevice(ifaceName, net.vlan));
    if (clash) {
      const owner = facts.attached.find((a) => a.iface === ifaceName && a.vlan === net.vlan);
      return fail('network', `network: VLAN ${net.vlan} is already on ${ifaceName} (${clash.name}${owner ? `, carrying network ${owner.network}` : ''}); a VLAN goes on an interface once`);
    }
  }
  if (net.vmNetwork && findIface(cfg, net.name)) return fail('network', `network: this host already has an interface named ${net.name}, the name the network's bridge takes`);
  const limit = facts.maxMtu(ifaceName);
  if (net.mtu !== null && limit !== undefined && net.mtu > limit) return fail('mtu', `MTU: network ${net.name}'s MTU ${net.mtu} is above ${ifaceName}'s limit of ${limit}`);

  const changes: NetChange[] = [];
  // The parent carries the largest frame of what rides on it.
  if (net.mtu !== null && (iface.mtu ?? 1500) < net.mtu) changes.push({ op: 'mtu.set', iface: ifaceName, mtu: net.mtu });
  let lower = ifaceName;
  if (net.vlan !== null) {
    lower = vlanDevice(ifaceName, net.vlan);
    changes.push({ op: 'vlan.create', parent: ifaceName, id: net.vlan, name: lower });
    if (net.mtu !== null) changes.push({ op: 'mtu.set', iface: lower, mtu: net.mtu });
  }
  if (net.vmNetwork) {
    changes.push({ op: 'bridge.create', name: net.name, ports: [lower], stp: false });
    // A new VLAN interface has no addresses; an untagged NIC or bond hands its own to the bridge.
    if (net.vlan === null) changes.push(...moveAddresses(iface, net.name));
    if (net.mtu !== null) changes.push({ op: 'mtu.set', iface: net.name, mtu: net.mtu });
  }
  return { ok: true, value: { device: carrierOf(net, ifaceName), changes } };
}

/** The changes that take an attached network off the host (what is already gone from the host is skipped). */
export function planDetach(cfg: NetConfig, net: HostNetworkSpec, att: HostAttachment): NetChange[] {
  const changes: NetChange[] = [];
  const lower = att.vlan === null ? att.iface : vlanDevice(att.iface, att.vlan);
  const bridge = net.vmNetwork ? findIface(cfg, net.name) : undefined;
  if (bridge?.kind === 'bridge') {
    changes.push({ op: 'bridge.delete', name: net.name });
    if (att.vlan === null && findIface(cfg, att.iface)) changes.push(...moveAddresses(bridge, att.iface));
  }
  if (att.vlan !== null && findIface(cfg, lower)?.kind === 'vlan') changes.push({ op: 'vlan.delete', name: lower });
  return changes;
}
