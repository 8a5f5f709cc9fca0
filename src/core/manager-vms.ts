// The VMs of a cluster: the cluster each VM belongs to (its vm_clusters row,
// else Default, as a VM defined outside hostdeck), a cluster's memory
// over-commit checked before a VM starts, and a new VM's cluster. Loaded on
// first use by the VM start and create, so the console's first frame does
// not pay for it.
import { overcommitProblem } from '../domain/manager.ts';
import { InvalidInputError, WrongStateError } from '../domain/errors.ts';
import { managerRepo, type ClusterRow } from '../manager/repos/manager-model.ts';
import type { DomainInfo, DomainSummary } from '../virt/types.ts';
import { parseDomainXml } from '../virt/xml/parse.ts';
import { updateDomainXml } from '../virt/xml/update.ts';
import type { CoreContext } from './index.ts';

const RUNNING = new Set(['running', 'paused', 'blocked', 'shutdown', 'pmsuspended']);

export const isRunning = (d: Pick<DomainSummary, 'state'>): boolean => RUNNING.has(d.state);

/** Every VM with the id of its cluster (unrecorded ones: Default's). */
export async function vmsWithClusters(ctx: CoreContext): Promise<{ vm: DomainSummary; clusterId: string | undefined }[]> {
  const repo = managerRepo(ctx.infra.db);
  const recorded = repo.vmClusters();
  const fallback = repo.defaultCluster()?.id;
  return (await ctx.infra.virt.domainList()).map((vm) => ({ vm, clusterId: recorded.get(vm.uuid) ?? fallback }));
}

/** The VMs of a cluster. */
export async function vmsOfCluster(ctx: CoreContext, clusterId: string): Promise<DomainSummary[]> {
  return (await vmsWithClusters(ctx)).filter((x) => x.clusterId === clusterId).map((x) => x.vm);
}

/** Refuse starting a VM on a host in maintenance, or whose memory would pass its cluster's over-commit (nothing is started). */
export async function checkVmStart(ctx: CoreContext, vm: Pick<DomainInfo, 'name' | 'uuid' | 'memoryKiB'>): Promise<void> {
  const repo = managerRepo(ctx.infra.db);
  if (repo.hostInMaintenance()) throw new WrongStateError(`cannot start ${vm.name}: this host is in maintenance (hostdeck host activate)`);
  const all = await vmsWithClusters(ctx);
  const clusterId = all.find((x) => x.vm.uuid === vm.uuid)?.clusterId;
  const cluster = clusterId ? repo.cluster(clusterId) : undefined;
  if (!cluster) return;
  const runningKiB = all.filter((x) => x.clusterId === cluster.id && x.vm.uuid !== vm.uuid && isRunning(x.vm)).reduce((n, x) => n + x.vm.memoryKiB, 0);
  const node = await ctx.infra.virt.nodeInfo();
  const problem = overcommitProblem({
    cluster: cluster.name, overcommitPct: cluster.memoryOvercommit, hostMemoryKiB: node.memoryKiB, runningKiB, vm: vm.name, vmKiB: vm.memoryKiB,
  });
  if (problem) throw new WrongStateError(`cannot start ${vm.name}: ${problem}`);
}

/**
 * A cluster's CPU type changes: its VMs defined with the old type take the
 * new one from their next start (a running VM keeps its CPU until then, as in
 * oVirt: libvirt's persistent definition changes, not the live one). A VM
 * given another CPU on purpose keeps it. Returns the VMs changed and how to
 * put their definitions back when the change fails later.
 */
export async function followClusterCpu(ctx: CoreContext, clusterId: string, from: string, to: string): Promise<{ vms: string[]; undo: () => Promise<void> }> {
  const virt = ctx.infra.virt;
  const changed: { name: string; xml: string }[] = [];
  const undo = async () => { for (const c of changed.reverse()) await virt.domainDefine(c.xml); };
  try {
    for (const vm of await vmsOfCluster(ctx, clusterId)) {
      const xml = await virt.domainGetXml(vm.name, { inactive: true });
      if (parseDomainXml(xml).cpu !== from) continue;
      await virt.domainDefine(updateDomainXml(xml, { cpu: to }));
      changed.push({ name: vm.name, xml });
    }
  } catch (e) {
    await undo();
    throw e;
  }
  return { vms: changed.map((c) => c.name).sort(), undo };
}

/** The cluster a new VM joins (`vm create --cluster`), or an invalid-input error naming the field. */
export function clusterForCreate(ctx: CoreContext, key: string): ClusterRow {
  const c = managerRepo(ctx.infra.db).cluster(key);
  if (!c) throw new InvalidInputError([{ field: 'cluster', message: `cluster: no cluster ${JSON.stringify(key)} (see hostdeck cluster list)` }]);
  return c;
}

/**
 * A new VM is defined: record it in its cluster (by libvirt's UUID) and, when
 * it is to start, check what every start checks. Returns how to take the
 * record back (the create failed later); a refused start takes it back itself.
 */
export async function placeNewVm(ctx: CoreContext, name: string, clusterId: string | undefined, starting: boolean): Promise<() => void> {
  // From libvirt's own list: a detail read goes through virsh too, which on the test driver sees none of this connection's domains.
  const d = (await ctx.infra.virt.domainList()).find((x) => x.name === name);
  if (!d) throw new WrongStateError(`VM ${name} was defined but libvirt does not list it`);
  const repo = managerRepo(ctx.infra.db);
  if (clusterId) repo.setVmCluster(d.uuid, clusterId);
  const undo = () => repo.forgetVm(d.uuid);
  if (starting) {
    try { await checkVmStart(ctx, d); } catch (e) { undo(); throw e; }
  }
  return undo;
}
