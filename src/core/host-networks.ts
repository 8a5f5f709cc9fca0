// "Setup host networks": attaching the manager's logical networks to this
// host's NICs and bonds. The host configuration the attachment needs (a bridge
// over the NIC/bond or its VLAN, see src/domain/host-networks.ts) is staged
// and applied through the host network's own safe apply (network.ts:
// checkpoint, verify, probes, confirm or roll back); the attachment is
// recorded only once that apply is confirmed. A rolled-back apply records
// nothing, takes its changes off the staged list again, and the action's
// failure event says why.
import { diffConfig, type DiffLine } from '../domain/net/diff.ts';
import { applyChanges, type NetChange, type NetConfig } from '../domain/net/model.ts';
import { carrierOf, planAttach, planDetach, type HostAttachment, type HostNetworkSpec } from '../domain/host-networks.ts';
import { InvalidInputError, WrongStateError, type FieldError } from '../domain/errors.ts';
import { ifaceNameRule } from '../domain/net/validate.ts';
import { managerRepo } from '../manager/repos/manager-model.ts';
import { logicalNetworkRepo, type LogicalNetworkRow } from '../manager/repos/logical-networks.ts';
import { hostNetworkRepo } from '../manager/repos/host-networks.ts';
import { isManagementNetwork } from './host-network-facts.ts';
import { managementOf, NetError, type ApplyOptions, type ApplyResult, type NetInventory, type NetworkUseCases } from './network.ts';
import type { CoreContext } from './index.ts';

export interface HostNetworkView {
  network: string;
  /** The NIC or bond it is attached to ('-' when the management interface is not known). */
  iface: string;
  /** The interface that carries it: its bridge, its VLAN interface, or the NIC/bond itself. */
  device: string;
  vlan: number | null;
  mtu: number | null;
  vmNetwork: boolean;
  /** The management network, carried by the management interface without a record (host-network-facts.ts says why). */
  management: boolean;
  attachedAt?: string;
  attachedBy?: string;
}

export interface HostNetworkInput {
  /** The logical network's name or id. */
  network?: string;
  /** The NIC or bond. */
  iface?: string;
}

export interface HostNetworkApplyOptions extends ApplyOptions {
  /** Called when the change is applied and verified and waits for confirmation (network.confirm keeps it). */
  onApplied?: (r: ApplyResult) => void;
}

export interface HostNetworkPlan {
  network: string;
  iface: string;
  device: string;
  changes: NetChange[];
  current: NetConfig;
  diff: DiffLine[];
}

export interface HostNetworkOutcome {
  attachment?: HostNetworkView;
  /** The apply, when the host's configuration had to change. */
  apply?: ApplyResult;
}

export interface HostNetworkUseCases {
  list(): Promise<HostNetworkView[]>;
  /** What attaching would change on the host (validated; nothing changes). */
  planAttach(input: HostNetworkInput): Promise<HostNetworkPlan>;
  /** What detaching would change on the host (validated; nothing changes). */
  planDetach(network: string): Promise<HostNetworkPlan>;
  /** Attach through the safe apply; recorded once the apply is confirmed (opts.yes, or network.confirm from any session). */
  attach(input: HostNetworkInput, opts?: HostNetworkApplyOptions): Promise<HostNetworkOutcome>;
  detach(network: string, opts?: HostNetworkApplyOptions): Promise<HostNetworkOutcome>;
}

const invalid = (field: string, message: string) => new InvalidInputError([{ field, message }]);
const specOf = (n: LogicalNetworkRow): HostNetworkSpec => ({ name: n.name, vlan: n.vlan, mtu: n.mtu, vmNetwork: n.vmNetwork });

/** The largest MTU each interface takes: a bond's is its ports' smallest (the kernel's max_mtu). */
function mtuLimits(inv: NetInventory): (iface: string) => number | undefined {
  return (iface) => {
    const own = [...inv.nics, ...inv.bonds].find((l) => l.name === iface)?.maxMtu;
    const ports = inv.nics.filter((n) => n.memberOf === iface).map((n) => n.maxMtu).filter((m): m is number => m !== undefined);
    const all = [...(own === undefined ? [] : [own]), ...ports];
    return all.length ? Math.min(...all) : undefined;
  };
}

export function createHostNetworkUseCases(ctx: CoreContext, net: NetworkUseCases): HostNetworkUseCases {
  const { door } = ctx;
  const db = ctx.infra.db;
  const lrepo = logicalNetworkRepo(db);
  const mrepo = managerRepo(db);
  const hrepo = hostNetworkRepo(db);

  const hostCluster = () => {
    const id = mrepo.hostClusterId();
    return (id ? mrepo.cluster(id) : undefined) ?? mrepo.defaultCluster();
  };
  /** The host cluster's management network, when it has one. */
  const managementNetwork = (): LogicalNetworkRow | undefined => {
    const c = hostCluster();
    const a = c && lrepo.attachments().find((x) => x.clusterId === c.id && isManagementNetwork(x));
    return a && lrepo.network(a.networkId);
  };

  function views(inv: NetInventory | undefined): HostNetworkView[] {
    const out: HostNetworkView[] = [];
    const mgmt = managementNetwork();
    if (mgmt) {
      const iface = managementOf(inv) ?? '-';
      out.push({ network: mgmt.name, iface, device: iface, vlan: mgmt.vlan, mtu: mgmt.mtu, vmNetwork: mgmt.vmNetwork, management: true });
    }
    for (const r of hrepo.list()) {
      const n = lrepo.network(r.networkId);
      if (!n || n.id === mgmt?.id) continue;
      out.push({ network: n.name, iface: r.iface, device: r.device, vlan: n.vlan, mtu: n.mtu, vmNetwork: n.vmNetwork, management: false, attachedAt: r.attachedAt, attachedBy: r.attachedBy });
    }
    return out;
  }
  const attachments = (inv: NetInventory): HostAttachment[] => views(inv).map((v) => ({ network: v.network, iface: v.iface, vlan: v.vlan }));

  const mustNetwork = (key: string) => lrepo.network(key) ?? (() => { throw invalid('network', `network: no logical network ${JSON.stringify(key)} (see hostdeck network list)`); })();

  async function hostFacts() {
    const [current, inv] = await Promise.all([net.current(), net.inventory()]);
    return { current, inv };
  }
  const planOf = (n: LogicalNetworkRow, iface: string, device: string, changes: NetChange[], current: NetConfig): HostNetworkPlan =>
    ({ network: n.name, iface, device, changes, current, diff: diffConfig(current, applyChanges(current, changes)) });

  async function attachPlan(input: HostNetworkInput): Promise<HostNetworkPlan> {
    // Both values are checked before anything is read, so one refusal names every field that breaks a rule.
    const key = (input.network ?? '').trim();
    const iface = (input.iface ?? '').trim();
    const found = key ? lrepo.network(key) : undefined;
    const ifaceRule = iface ? ifaceNameRule(iface) : 'is required';
    const errors: FieldError[] = [
      ...(key ? [] : [{ field: 'network', message: 'network: is required' }]),
      ...(key && !found ? [{ field: 'network', message: `network: no logical network ${JSON.stringify(key)} (see hostdeck network list)` }] : []),
      ...(ifaceRule ? [{ field: 'iface', message: `interface: ${ifaceRule}` }] : []),
    ];
    if (errors.length || !found) throw new InvalidInputError(errors);
    const n = found;
    const c = hostCluster();
    if (!c) throw new WrongStateError('this host is in no cluster: a logical network is attached to a host of its data center (hostdeck manager init)');
    if (n.dataCenterId !== c.dataCenterId) {
      const dcName = (id: string) => mrepo.dataCenter(id)?.name ?? id;
      throw invalid('network', `network: ${n.name} is in data center ${dcName(n.dataCenterId)}, this host (cluster ${c.name}) in ${dcName(c.dataCenterId)}`);
    }
    const { current, inv } = await hostFacts();
    const v = planAttach(current, specOf(n), iface, { attached: attachments(inv), maxMtu: mtuLimits(inv) });
    if (!v.ok) throw new InvalidInputError(v.errors);
    return planOf(n, iface, v.value.device, v.value.changes, current);
  }

  async function detachPlan(key: string): Promise<HostNetworkPlan> {
    if (!key.trim()) throw invalid('network', 'network: is required');
    const n = mustNetwork(key.trim());
    if (n.id === managementNetwork()?.id) throw new WrongStateError(`${n.name} is the management network, carried by the management interface: it is not detached from the host`);
    const row = hrepo.of(n.id);
    if (!row) throw new WrongStateError(`logical network ${n.name} is not attached to this host (hostdeck host network list)`);
    const current = await net.current();
    const att = { network: n.name, iface: row.iface, vlan: n.vlan };
    return planOf(n, row.iface, row.device, planDetach(current, specOf(n), att), current);
  }

  /** The changes staged when the apply ended without keeping them (a rollback stages them again): they go. */
  async function dropStaged(changes: readonly NetChange[]): Promise<void> {
    if (JSON.stringify(net.staged()) === JSON.stringify(changes)) await net.discard().catch(() => undefined);
  }

  /** Stages exactly the plan's changes and applies them safely; resolves once the apply is confirmed, else throws why. */
  async function applyPlan(p: HostNetworkPlan, what: string, opts: HostNetworkApplyOptions): Promise<ApplyResult> {
    if (net.staged().length) throw new WrongStateError(`other host network changes are staged: apply or discard them first (hostdeck net diff shows them); ${what} applies only its own`);
    await net.stageAll(p.changes, { current: p.current, event: { message: `Staged to ${what}: ${p.changes.length} change${p.changes.length === 1 ? '' : 's'}`, objectType: 'logical-network', objectId: p.network } });
    let r: ApplyResult;
    try {
      r = await net.apply(opts);
      if (r.status === 'waiting') {
        opts.onApplied?.(r);
        r = await net.waitForOutcome(r.id);
      }
    } catch (e) {
      await dropStaged(p.changes);
      throw e;
    }
    if (r.status !== 'confirmed') {
      await dropStaged(p.changes);
      throw new NetError(`${r.reason ?? `the apply ended ${r.status}`}; the previous configuration is back and nothing was recorded`, 'rolled-back');
    }
    return r;
  }

  const viewOf = async (name: string) => views(await net.inventory().catch(() => undefined)).find((v) => v.network === name);

  return {
    list: () => door.act('host-network.list', { id: 'host' }, { message: "List the logical networks on this host's interfaces" }, async () => views(await net.inventory().catch(() => undefined))),
    planAttach: attachPlan,
    planDetach: detachPlan,

    attach: (input, opts = {}) => door.act('host-network.attach', { id: input.network ?? '' }, { message: `Attach logical network ${input.network ?? ''} to host interface ${input.iface ?? ''}` }, async ({ commit }) => {
      const p = await attachPlan(input);
      const n = mustNetwork(p.network);
      // A non-VM network without a VLAN is the NIC or bond as it is: nothing to change on the host.
      const apply = p.changes.length ? await applyPlan(p, `attach ${p.network} to ${p.iface}`, opts) : undefined;
      commit(() => hrepo.insert({ networkId: n.id, iface: p.iface, device: carrierOf(specOf(n), p.iface), attachedBy: door.principal.user }));
      return { attachment: await viewOf(n.name), ...(apply ? { apply } : {}) };
    }),

    detach: (network, opts = {}) => door.act('host-network.detach', { id: network }, { message: `Detach logical network ${network} from this host` }, async ({ commit }) => {
      const p = await detachPlan(network);
      const apply = p.changes.length ? await applyPlan(p, `detach ${p.network} from ${p.iface}`, opts) : undefined;
      commit(() => hrepo.remove(mustNetwork(p.network).id));
      return apply ? { apply } : {};
    }),
  };
}
