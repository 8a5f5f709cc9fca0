// Custom VM properties: the names a cluster allows with the rule for their
// values, and each VM's values, checked against its cluster's rules before
// anything is written. A VM's hooks get its values as variables
// (core/hooks.ts reads them by the VM's UUID), as VDSM hands a VM's custom
// properties to its hooks.
import { compileRule, ruleProblems, valueProblems, propertyNameProblem, type PropertyRule } from '../domain/custom-properties.ts';
import { InvalidInputError, NotFoundError, WrongStateError } from '../domain/errors.ts';
import { customPropertyRepo } from '../manager/repos/custom-properties.ts';
import { managerRepo, type ClusterRow } from '../manager/repos/manager-model.ts';
import { vmsWithClusters } from './manager-vms.ts';
import type { CoreContext } from './index.ts';

export type { PropertyRule };

export interface VmProperties {
  vm: string;
  cluster: string;
  values: Record<string, string>;
  /** The names its cluster allows, with their rules. */
  rules: PropertyRule[];
}

export interface PropertyChange {
  set?: Record<string, string>;
  unset?: string[];
}

export interface CustomPropertyUseCases {
  rules(cluster: string): Promise<PropertyRule[]>;
  /** Allow a name in a cluster, or change its rule; values VMs already have must match a changed rule. */
  setRule(cluster: string, rule: PropertyRule): Promise<PropertyRule[]>;
  /** Refused while a VM of the cluster has a value for it (named). */
  removeRule(cluster: string, name: string): Promise<PropertyRule[]>;
  ofVm(vm: string): Promise<VmProperties>;
  setOnVm(vm: string, change: PropertyChange): Promise<VmProperties>;
}

export function createCustomPropertyUseCases(ctx: CoreContext): CustomPropertyUseCases {
  const { door } = ctx;
  const props = customPropertyRepo(ctx.infra.db);
  const manager = managerRepo(ctx.infra.db);
  const mustCluster = (key: string): ClusterRow => {
    const c = manager.cluster(key);
    if (!c) throw new NotFoundError(`cluster: no cluster ${JSON.stringify(key)} (see hostdeck cluster list)`);
    return c;
  };
  /** The VM (libvirt's name) with its UUID and cluster (Default for one hostdeck did not create). */
  const mustVm = async (name: string) => {
    const x = (await vmsWithClusters(ctx)).find((v) => v.vm.name === name);
    if (!x) throw new NotFoundError(`vm: no VM ${JSON.stringify(name)} (see hostdeck vm list)`);
    const cluster = x.clusterId ? manager.cluster(x.clusterId) : undefined;
    if (!cluster) throw new WrongStateError(`VM ${name} is in no cluster, so no custom property is allowed for it`);
    return { uuid: x.vm.uuid, cluster };
  };
  /** The VMs of a cluster with a value for this name, and their values (rows of VMs gone from libvirt are dropped). */
  const holders = async (clusterId: string, name: string) => {
    const uuids = new Set(props.vmsWith(name));
    const all = await vmsWithClusters(ctx);
    const live = new Set(all.map((x) => x.vm.uuid));
    for (const u of uuids) if (!live.has(u)) props.forgetVm(u);
    return all.filter((x) => x.clusterId === clusterId && uuids.has(x.vm.uuid)).map((x) => ({ name: x.vm.name, value: props.values(x.vm.uuid)[name]! }));
  };
  const view = (vm: string, uuid: string, cluster: ClusterRow): VmProperties => ({ vm, cluster: cluster.name, values: props.values(uuid), rules: props.rules(cluster.id) });

  return {
    rules: (cluster) => door.act('cluster.property-list', { id: cluster }, { message: `List the custom properties of cluster ${cluster}` }, () => props.rules(mustCluster(cluster).id)),

    setRule: (cluster, rule) => door.act('cluster.property-set', { id: cluster }, { message: `Allow custom property ${rule.name} in cluster ${cluster} (${rule.regex})` }, async ({ commit }) => {
      const errors = ruleProblems(rule);
      if (errors.length) throw new InvalidInputError(errors);
      const c = mustCluster(cluster);
      const re = compileRule(rule.regex) as RegExp;
      const misfits = (await holders(c.id, rule.name)).filter((h) => !re.test(h.value));
      if (misfits.length) throw new WrongStateError(`regex: ${misfits.map((m) => `VM ${m.name}'s ${rule.name} ${JSON.stringify(m.value.slice(0, 40))}`).join(', ')} would not match ${rule.regex}: change ${misfits.length === 1 ? 'it' : 'them'} first (hostdeck vm property set)`);
      commit(() => props.setRule(c.id, rule));
      return props.rules(c.id);
    }),

    removeRule: (cluster, name) => door.act('cluster.property-remove', { id: cluster }, { message: `Stop allowing custom property ${name} in cluster ${cluster}` }, async ({ commit }) => {
      const c = mustCluster(cluster);
      if (!props.rules(c.id).some((r) => r.name === name)) throw new NotFoundError(`name: cluster ${c.name} does not allow a custom property ${JSON.stringify(name)}`);
      const using = (await holders(c.id, name)).map((h) => h.name).sort();
      if (using.length) throw new WrongStateError(`VMs of cluster ${c.name} still have ${name}: ${using.join(', ')}; unset it first (hostdeck vm property unset)`);
      commit(() => props.removeRule(c.id, name));
      return props.rules(c.id);
    }),

    ofVm: (vm) => door.act('vm.property-list', { id: vm }, { message: `List the custom properties of VM ${vm}` }, async () => {
      const v = await mustVm(vm);
      return view(vm, v.uuid, v.cluster);
    }),

    setOnVm: (vm, change) => door.act('vm.property-set', { id: vm }, { message: `Set custom properties of VM ${vm}: ${describe(change)}` }, async ({ commit }) => {
      const set = change.set ?? {};
      const unset = change.unset ?? [];
      if (!Object.keys(set).length && !unset.length) throw new InvalidInputError([{ field: 'property', message: 'property: give NAME=VALUE to set or a name to unset' }]);
      const named = [...Object.keys(set), ...unset].map((n) => [n, propertyNameProblem(n)] as const).filter(([, p]) => p);
      if (named.length) throw new InvalidInputError(named.map(([n, p]) => ({ field: `property ${n}`, message: `property ${JSON.stringify(n)}: ${p}` })));
      const twice = unset.filter((n) => n in set);
      if (twice.length) throw new InvalidInputError(twice.map((n) => ({ field: `property ${n}`, message: `property ${n}: both set and unset` })));
      const v = await mustVm(vm);
      const errors = valueProblems(set, props.rules(v.cluster.id), v.cluster.name);
      const current = props.values(v.uuid);
      for (const n of unset) if (!(n in current)) errors.push({ field: `property ${n}`, message: `property ${n}: VM ${vm} has no value for it` });
      if (errors.length) throw new InvalidInputError(errors);
      commit(() => props.setValues(v.uuid, set, unset));
      return view(vm, v.uuid, v.cluster);
    }),
  };
}

function describe(c: PropertyChange): string {
  return [...Object.entries(c.set ?? {}).map(([k, v]) => `${k}=${v.length > 40 ? `${v.slice(0, 40)}…` : v}`), ...(c.unset ?? []).map((k) => `unset ${k}`)].join(', ');
}
