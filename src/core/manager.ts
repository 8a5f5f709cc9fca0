// The standalone manager's use cases: standalone mode (exclusive with an
// engine registration), data centers, clusters and this host as an oVirt host
// object. Rows are in the state DB (repos/manager-model.ts); a data center's
// status is computed from its storage domains and this host; a cluster's CPU
// type is one libvirt offers here (the VM wizard's rule). Every change goes
// through the door with its event; every refusal throws before the commit.
import {
  dataCenterStatus, validateCluster, validateDataCenter, COMPATIBILITY_VERSIONS, DEFAULT_COMPATIBILITY_VERSION,
  type ClusterInput, type DataCenterInput, type DataCenterStatus, type HostStatus,
} from '../domain/manager.ts';
import { CPU_MODES, cpuProblem, type MachineFacts } from '../domain/vm-devices.ts';
import { MACHINES_DEFAULT } from '../domain/vm-create.ts';
import { InvalidInputError, NotFoundError, WrongStateError } from '../domain/errors.ts';
import { setSetting } from '../manager/db.ts';
import { managerRepo, type ClusterRow, type DataCenterRow } from '../manager/repos/manager-model.ts';
import { engineState, MODE_KEY, type EngineMode } from '../host/engine/state.ts';
import { followClusterCpu, isRunning, vmsOfCluster, vmsWithClusters } from './manager-vms.ts';
import { missingRequiredNetwork } from './host-network-facts.ts';
import type { CoreContext } from './index.ts';

export interface DataCenterView extends DataCenterRow {
  status: DataCenterStatus;
  statusReason: string;
  master?: string;
  clusters: string[];
  domains: { name: string; type: string; status: string }[];
}

export interface ClusterView extends ClusterRow {
  dataCenter: string;
  /** The VMs in it (running or not). */
  vms: string[];
  /** This host, when it is in the cluster. */
  host?: string;
}

export interface HostView {
  name: string;
  address?: string;
  cluster: string;
  dataCenter: string;
  status: HostStatus;
  /** Why it is NonOperational. */
  reason?: string;
  cpu: { model: string; sockets: number; cores: number; threads: number };
  memoryKiB: number;
  vms: { total: number; running: number };
}

export interface ManagerStatus {
  mode: EngineMode;
  summary: string;
  /** This host's cluster (standalone). */
  cluster?: string;
  dataCenters: number;
  clusters: number;
}

export interface MaintenanceOptions {
  /** Shut the running VMs down first instead of refusing. */
  stopVms?: boolean;
  /** How long a VM gets to shut down (ACPI) before it is powered off (default 60 s). */
  stopTimeoutMs?: number;
}

export interface ManagerUseCases {
  status(): Promise<ManagerStatus>;
  /** Make this host a standalone manager in the named cluster (Default when none); refused while registered with an engine. */
  init(opts?: { cluster?: string }): Promise<ManagerStatus>;
  /** Leave standalone mode; refused while VMs recorded in a cluster remain. */
  leave(): Promise<ManagerStatus>;
  dataCenters: {
    list(): Promise<DataCenterView[]>;
    get(key: string): Promise<DataCenterView>;
    create(input: DataCenterInput): Promise<DataCenterView>;
    edit(key: string, input: DataCenterInput): Promise<DataCenterView>;
    remove(key: string): Promise<void>;
    /** Attach a storage domain in maintenance to another data center. */
    attachDomain(dc: string, domain: string): Promise<DataCenterView>;
  };
  clusters: {
    list(): Promise<ClusterView[]>;
    get(key: string): Promise<ClusterView>;
    create(input: ClusterInput): Promise<ClusterView>;
    /** cpuChangedVms: the VMs that take the new CPU type from their next start. */
    edit(key: string, input: ClusterInput): Promise<ClusterView & { cpuChangedVms?: string[] }>;
    remove(key: string): Promise<void>;
    /** The CPU types a cluster may have here: libvirt's CPU modes and models for this host. */
    cpuTypes(): Promise<string[]>;
  };
  host: {
    show(): Promise<HostView>;
    maintenance(opts?: MaintenanceOptions): Promise<HostView>;
    activate(): Promise<HostView>;
    /** Move this host to another cluster: only in maintenance. */
    move(cluster: string): Promise<HostView>;
  };
}

/** Valid values under an edit's input while the data center it names is looked up. */
const DC_PLACEHOLDER = { name: 'placeholder', description: '', storageType: 'shared', compatibilityVersion: DEFAULT_COMPATIBILITY_VERSION } as const;

const notFound = (what: string, key: string, hint: string) => new NotFoundError(`${what}: no ${what} ${JSON.stringify(key)} (see ${hint})`);
const invalid = (field: string, message: string) => new InvalidInputError([{ field, message }]);

/** What this host's libvirt and QEMU run, for a cluster's CPU type (the checks of cluster forms, host status, diagnostics). */
export async function hostCpuFacts(ctx: CoreContext): Promise<MachineFacts> {
  // VM creation's module is loaded when first needed (the console's first frame does not).
  const { capabilities, machineFacts, plainMachines } = await import('./vm-create.ts');
  const caps = await capabilities(ctx);
  const machines = plainMachines(caps.machines.length ? caps.machines : [...MACHINES_DEFAULT]);
  return machineFacts(ctx, machines.includes('pc') ? 'pc' : machines[0] ?? 'pc');
}

/** The cluster this host is in (Default until it joins another). */
export function hostClusterOf(repo: ReturnType<typeof managerRepo>): ClusterRow | undefined {
  const id = repo.hostClusterId();
  return (id ? repo.cluster(id) : undefined) ?? repo.defaultCluster();
}

export function createManagerUseCases(ctx: CoreContext): ManagerUseCases {
  const { door } = ctx;
  const db = ctx.infra.db;
  const repo = managerRepo(db);

  const cpuFacts = () => hostCpuFacts(ctx);

  const mustDc = (key: string) => repo.dataCenter(key) ?? (() => { throw notFound('data center', key, 'hostdeck dc list'); })();
  const mustCluster = (key: string) => repo.cluster(key) ?? (() => { throw notFound('cluster', key, 'hostdeck cluster list'); })();
  const hostCluster = () => hostClusterOf(repo);

  async function hostState(): Promise<{ status: HostStatus; reason?: string }> {
    if (repo.hostInMaintenance()) return { status: 'Maintenance' };
    const c = hostCluster();
    if (!c) return { status: 'NonOperational', reason: 'it is in no cluster' };
    const problem = cpuProblem(c.cpuType, await cpuFacts());
    if (problem) return { status: 'NonOperational', reason: `cluster ${c.name}'s CPU type ${c.cpuType}: ${problem}` };
    const network = missingRequiredNetwork(db, c);
    return network ? { status: 'NonOperational', reason: network } : { status: 'Up' };
  }

  async function dcView(d: DataCenterRow, host?: { status: HostStatus }): Promise<DataCenterView> {
    const domains = repo.domainsOf(d.id);
    const clusters = repo.clusters().filter((c) => c.dataCenterId === d.id);
    const hc = hostCluster();
    const hostHere = hc && hc.dataCenterId === d.id ? host ?? (await hostState()) : undefined;
    const st = dataCenterStatus(domains, hostHere);
    return {
      ...d, status: st.status, statusReason: st.reason, ...(st.master ? { master: st.master } : {}),
      clusters: clusters.map((c) => c.name), domains: domains.map((x) => ({ name: x.name, type: x.type, status: x.status })),
    };
  }

  async function clusterViews(only?: ClusterRow): Promise<ClusterView[]> {
    const vms = await vmsWithClusters(ctx);
    const hc = hostCluster();
    const dcs = new Map(repo.dataCenters().map((d) => [d.id, d.name]));
    return (only ? [only] : repo.clusters()).map((c) => ({
      ...c, dataCenter: dcs.get(c.dataCenterId) ?? c.dataCenterId,
      vms: vms.filter((x) => x.clusterId === c.id).map((x) => x.vm.name).sort(),
      ...(hc?.id === c.id ? { host: 'this host' } : {}),
    }));
  }

  function clusterFacts(facts: MachineFacts) {
    return { cpuProblem: (cpu: string) => cpuProblem(cpu, facts), dataCenterExists: (k: string) => repo.dataCenter(k) !== undefined };
  }

  function sameName(kind: 'data center' | 'cluster', name: string, exceptId?: string): void {
    const other = kind === 'data center' ? repo.dataCenter(name) : repo.cluster(name);
    if (other && other.id !== exceptId) throw invalid('name', `name: a ${kind} named ${JSON.stringify(name)} exists`);
  }

  async function statusView(): Promise<ManagerStatus> {
    const s = engineState({ db });
    const c = s.mode === 'standalone' ? hostCluster() : undefined;
    return { mode: s.mode, summary: s.summary, ...(c ? { cluster: c.name } : {}), dataCenters: repo.dataCenters().length, clusters: repo.clusters().length };
  }

  async function hostView(): Promise<HostView> {
    const { hostOverview, managementIp } = await import('../host/system.ts');
    const [h, st, vms] = await Promise.all([hostOverview(), hostState(), ctx.infra.virt.domainList()]);
    const c = hostCluster();
    return {
      name: h.hostname, ...(managementIp(h) ? { address: managementIp(h) } : {}),
      cluster: c?.name ?? '-', dataCenter: (c && repo.dataCenter(c.dataCenterId)?.name) ?? '-',
      status: st.status, ...(st.reason ? { reason: st.reason } : {}),
      cpu: { model: h.cpu.model, sockets: h.cpu.sockets, cores: h.cpu.cores, threads: h.cpu.threads },
      memoryKiB: Math.round(h.memory.totalKiB), vms: { total: vms.length, running: vms.filter(isRunning).length },
    };
  }

  async function stopVm(name: string, timeoutMs: number): Promise<void> {
    const virt = ctx.infra.virt;
    await virt.domainShutdown(name).catch(() => undefined);
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (!isRunning(await virt.domainGet(name))) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    // With one host there is nowhere to migrate: a VM that ignores ACPI is powered off.
    await virt.domainDestroy(name);
  }

  return {
    status: () => door.act('manager.status', { id: 'manager' }, { message: 'Show the standalone manager' }, statusView),

    init: (opts = {}) => door.act('manager.init', { id: 'manager' }, { message: `Make this host a standalone manager${opts.cluster ? ` in cluster ${opts.cluster}` : ''}` }, async ({ commit }) => {
      const s = engineState({ db });
      if (s.mode === 'registered') throw new WrongStateError(`this host is registered with the oVirt engine ${s.engine}: a host has one manager; unregister it first (hostdeck engine unregister)`);
      if (s.mode === 'standalone') throw new WrongStateError(`this host is already a standalone manager (cluster ${hostCluster()?.name ?? '-'})`);
      const c = opts.cluster ? repo.cluster(opts.cluster) : repo.defaultCluster();
      if (!c) throw opts.cluster ? invalid('cluster', `cluster: no cluster ${JSON.stringify(opts.cluster)} (see hostdeck cluster list)`) : new WrongStateError('there is no cluster to join: create one first');
      commit(() => { setSetting(db, MODE_KEY, 'standalone'); repo.setHostCluster(c.id); });
      return statusView();
    }),

    leave: () => door.act('manager.leave', { id: 'manager' }, { message: 'Leave standalone mode' }, async ({ commit }) => {
      if (engineState({ db }).mode !== 'standalone') throw new WrongStateError('this host is not a standalone manager');
      const recorded = repo.vmClusters();
      const managed = (await ctx.infra.virt.domainList()).filter((d) => recorded.has(d.uuid)).map((d) => d.name).sort();
      if (managed.length) {
        throw new WrongStateError(`this host still manages VMs an engine would not know (recorded in its clusters): ${managed.join(', ')}; remove them or move them off first`);
      }
      commit(() => setSetting(db, MODE_KEY, null));
      return statusView();
    }),

    dataCenters: {
      list: () => door.act('data-center.list', { id: '*' }, { message: 'List the data centers' }, async () => {
        const host = await hostState();
        return Promise.all(repo.dataCenters().map((d) => dcView(d, host)));
      }),
      get: async (key) => dcView(mustDc(key)),
      create: (input) => door.act('data-center.create', { id: input.name ?? '' }, { message: `Create data center ${input.name ?? ''}` }, async ({ commit }) => {
        const v = validateDataCenter(input);
        if (!v.ok) throw new InvalidInputError(v.errors);
        sameName('data center', v.value.name);
        const id = commit(() => repo.insertDataCenter(v.value));
        return dcView(mustDc(id));
      }),
      edit: (key, input) => door.act('data-center.edit', { id: key }, { message: `Change data center ${key}` }, async ({ commit }) => {
        // The values given are checked first, whether or not the data center exists.
        const v = validateDataCenter(input, repo.dataCenter(key) ?? DC_PLACEHOLDER);
        if (!v.ok) throw new InvalidInputError(v.errors);
        const d = mustDc(key);
        sameName('data center', v.value.name, d.id);
        if (COMPATIBILITY_VERSIONS.indexOf(v.value.compatibilityVersion) < COMPATIBILITY_VERSIONS.indexOf(d.compatibilityVersion)) {
          throw invalid('compatibilityVersion', `compatibility version: cannot be lowered (from ${d.compatibilityVersion} to ${v.value.compatibilityVersion})`);
        }
        commit(() => repo.updateDataCenter(d.id, v.value));
        return dcView(mustDc(d.id));
      }),
      remove: (key) => door.act('data-center.remove', { id: key }, { message: `Remove data center ${key}` }, ({ commit }) => {
        const d = mustDc(key);
        const clusters = repo.clusters().filter((c) => c.dataCenterId === d.id).map((c) => c.name);
        const domains = repo.domainsOf(d.id).map((x) => x.name);
        const held = [clusters.length ? `clusters ${clusters.join(', ')}` : '', domains.length ? `storage domains ${domains.join(', ')}` : ''].filter(Boolean);
        if (held.length) throw new WrongStateError(`data center ${d.name} still holds ${held.join(' and ')}: remove or move them first`);
        commit(() => repo.removeDataCenter(d.id));
      }),
      attachDomain: (dcKey, domainKey) => door.act('data-center.attach-domain', { id: domainKey }, { message: `Attach storage domain ${domainKey} to data center ${dcKey}` }, async ({ commit }) => {
        const dom = repo.domainsOf().find((x) => x.id === domainKey || x.name === domainKey);
        const missing = [repo.dataCenter(dcKey) ? undefined : notFound('data center', dcKey, 'hostdeck dc list'), dom ? undefined : notFound('storage domain', domainKey, 'hostdeck storage domain list')].filter((e) => e !== undefined);
        if (missing.length || !dom) throw new NotFoundError(missing.map((e) => e.message).join('; '));
        const d = mustDc(dcKey);
        if (dom.dataCenterId === d.id) throw new WrongStateError(`storage domain ${dom.name} is already attached to data center ${d.name}`);
        if (dom.status !== 'maintenance') throw new WrongStateError(`storage domain ${dom.name} is ${dom.status}: put it into maintenance before moving it to another data center`);
        commit(() => repo.moveDomain(dom.id, d.id));
        return dcView(mustDc(d.id));
      }),
    },

    clusters: {
      list: () => door.act('cluster.list', { id: '*' }, { message: 'List the clusters' }, () => clusterViews()),
      get: async (key) => (await clusterViews(mustCluster(key)))[0]!,
      create: (input) => door.act('cluster.create', { id: input.name ?? '' }, { message: `Create cluster ${input.name ?? ''}` }, async ({ commit }) => {
        const v = validateCluster(input, clusterFacts(await cpuFacts()));
        if (!v.ok) throw new InvalidInputError(v.errors);
        sameName('cluster', v.value.name);
        const dc = mustDc(v.value.dataCenter);
        const id = commit(() => repo.insertCluster({ ...v.value, dataCenterId: dc.id }));
        return (await clusterViews(mustCluster(id)))[0]!;
      }),
      edit: (key, input) => door.act('cluster.edit', { id: key }, { message: `Change cluster ${key}` }, async ({ commit }) => {
        // The values given are checked first, whether or not the cluster exists (over a real cluster's values).
        const row = repo.cluster(key) ?? repo.defaultCluster() ?? repo.clusters()[0];
        const base = row && { ...row, dataCenter: repo.dataCenter(row.dataCenterId)?.name ?? row.dataCenterId };
        const v = validateCluster(input, clusterFacts(await cpuFacts()), base);
        if (!v.ok) throw new InvalidInputError(v.errors);
        const c = mustCluster(key);
        sameName('cluster', v.value.name, c.id);
        const dc = mustDc(v.value.dataCenter);
        const cpu = v.value.cpuType === c.cpuType ? undefined : await followClusterCpu(ctx, c.id, c.cpuType, v.value.cpuType);
        try {
          commit(() => repo.updateCluster(c.id, { ...v.value, dataCenterId: dc.id }));
        } catch (e) {
          await cpu?.undo();
          throw e;
        }
        return { ...(await clusterViews(mustCluster(c.id)))[0]!, ...(cpu ? { cpuChangedVms: cpu.vms } : {}) };
      }),
      remove: (key) => door.act('cluster.remove', { id: key }, { message: `Remove cluster ${key}` }, async ({ commit }) => {
        const c = mustCluster(key);
        const vms = (await vmsOfCluster(ctx, c.id)).map((v) => v.name).sort();
        if (vms.length) throw new WrongStateError(`cluster ${c.name} still has VMs: ${vms.join(', ')}; remove them or move them to another cluster first`);
        if (hostCluster()?.id === c.id) throw new WrongStateError(`this host is in cluster ${c.name}: move it to another cluster first (hostdeck host move, in maintenance)`);
        commit(() => { repo.forgetClusterVms(c.id); repo.removeCluster(c.id); });
      }),
      async cpuTypes() {
        const f = await cpuFacts();
        if ('missing' in f) return [...CPU_MODES];
        return [...(f.caps.hostModel ? ['host-model'] : []), ...(f.caps.hostPassthrough ? ['host-passthrough'] : []), ...f.caps.cpuModels];
      },
    },

    host: {
      show: () => door.act('host.status', { id: 'host' }, { message: 'Show this host as a host object' }, hostView),
      maintenance: (opts = {}) => door.act('host.maintenance', { id: 'host' }, { message: `Put this host into maintenance${opts.stopVms ? ', shutting its VMs down' : ''}` }, async ({ commit }) => {
        if (repo.hostInMaintenance()) throw new WrongStateError('this host is already in maintenance');
        const running = (await ctx.infra.virt.domainList()).filter(isRunning).map((d) => d.name).sort();
        if (running.length && !opts.stopVms) {
          throw new WrongStateError(`VMs run on this host: ${running.join(', ')}; with one host there is nowhere to migrate them: shut them down first (or --stop-vms)`);
        }
        for (const name of running) await stopVm(name, opts.stopTimeoutMs ?? 60_000);
        commit(() => repo.setHostMaintenance(true));
        return hostView();
      }),
      activate: () => door.act('host.activate', { id: 'host' }, { message: 'Activate this host' }, async ({ commit }) => {
        if (!repo.hostInMaintenance()) throw new WrongStateError('this host is not in maintenance');
        commit(() => repo.setHostMaintenance(false));
        return hostView();
      }),
      move: (key) => door.act('host.move', { id: 'host' }, { message: `Move this host to cluster ${key}` }, async ({ commit }) => {
        const c = repo.cluster(key);
        if (!c) throw invalid('cluster', `cluster: no cluster ${JSON.stringify(key)} (see hostdeck cluster list)`);
        if (!repo.hostInMaintenance()) throw new WrongStateError('this host can move to another cluster only in maintenance (hostdeck host maintenance)');
        if (hostCluster()?.id === c.id) throw new WrongStateError(`this host is already in cluster ${c.name}`);
        commit(() => repo.setHostCluster(c.id));
        return hostView();
      }),
    },
  };
}
