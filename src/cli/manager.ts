// hostdeck dc list|show|create|edit|remove|attach-domain
// hostdeck cluster list|show|create|edit|remove|cpu-types
// hostdeck manager init|leave|status
// hostdeck host show|maintenance|activate|move
// The standalone manager's objects (oVirt's data centers, clusters and this
// host as a host object), not the host's network configuration (`net`).
// Same rules and messages as the manager screen; a field error names its option.
import type { FieldError } from '../domain/errors.ts';
import { formatBytes } from '../domain/size.ts';
import type { ClusterView, DataCenterView, HostView, ManagerStatus } from '../core/manager.ts';
import { cpuFollowers, type ClusterInput, type DataCenterInput } from '../domain/manager.ts';
import { toCommandError } from './errors.ts';
import { CommandError, printTable, type Command, type CommandContext } from './registry.ts';
import type { OptionSpecs } from './args.ts';
import { confirm, positional, tooMany } from './storage-domain.ts';

/** Field -> [the words its rule starts with, the option]. */
const OPTION: Record<string, [string, string]> = {
  name: ['name', '--name'], description: ['description', '--description'], storageType: ['storage type', '--storage-type'],
  compatibilityVersion: ['compatibility version', '--compat-version'], dataCenter: ['data center', '--dc'], cpuType: ['CPU type', '--cpu-type'],
  memoryOvercommit: ['memory over-commit', '--memory-overcommit'], threadsAsCores: ['threads as cores', '--threads-as-cores'], cluster: ['cluster', '--cluster'],
};

/** A field error as the CLI says it: "--cpu-type: QEMU here has no usable CPU model ...". */
export function managerOptionMessage(e: FieldError): string {
  return optionMessageBy(OPTION, e);
}

/** A field error with its rule's leading words ("CPU type: ") replaced by the option the table names for its field. */
export function optionMessageBy(table: Readonly<Record<string, readonly [string, string]>>, e: FieldError): string {
  const o = table[e.field];
  if (!o) return e.message;
  return e.message.startsWith(`${o[0]}: `) ? `${o[1]}: ${e.message.slice(o[0].length + 2)}` : `${o[1]}: ${e.message}`;
}

/** Run a use case; its errors as the CLI says them (a field error by its option, through `message`). */
export async function guard<T>(fn: () => Promise<T>, message: (e: FieldError) => string = managerOptionMessage): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toCommandError(e, message);
  }
}

export const str = (ctx: CommandContext, k: string) => ctx.options[k] as string | undefined;
export const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export const show = (ctx: CommandContext, rows: [string, string][]) => { for (const [k, v] of rows) ctx.out(`${k.padEnd(14)} ${v}`); };

// ---- data centers ----

const DC_OPTIONS: OptionSpecs = {
  name: { type: 'string', description: 'Name: letters, digits, _ - . (at most 40)', value: 'NAME' },
  description: { type: 'string', description: 'Free text, one line, at most 200 characters', value: 'TEXT', allowEmpty: true },
  'storage-type': { type: 'string', description: 'shared (default) or local', value: 'TYPE' },
  'compat-version': { type: 'string', description: 'Compatibility version: 4.7 or 4.8 (default)', value: 'VERSION' },
};
const dcInput = (ctx: CommandContext): DataCenterInput => defined({ name: str(ctx, 'name'), description: str(ctx, 'description'), storageType: str(ctx, 'storage-type'), compatibilityVersion: str(ctx, 'compat-version') });
const DC = 'DC';
const dcHint = 'a data center name or id';

const dcRow = (d: DataCenterView) => ({ name: d.name, status: d.status, storage: d.storageType, version: d.compatibilityVersion, clusters: d.clusters.join(',') || '-', domains: d.domains.length, master: d.master ?? '-', description: d.description });

function showDc(ctx: CommandContext, d: DataCenterView): void {
  if (ctx.json) { ctx.out(JSON.stringify(d, null, 2)); return; }
  show(ctx, [
    ['name', d.name], ['id', d.id], ['status', `${d.status} (${d.statusReason})`], ['storage type', d.storageType], ['compatibility', d.compatibilityVersion],
    ['description', d.description || '-'], ['clusters', d.clusters.join(', ') || 'none'], ['master domain', d.master ?? 'none'],
    ['domains', d.domains.map((x) => `${x.name} (${x.type}, ${x.status})`).join(', ') || 'none'], ['created', d.createdAt],
  ]);
}

// ---- clusters ----

const CLUSTER_OPTIONS: OptionSpecs = {
  name: { type: 'string', description: 'Name: letters, digits, _ - . (at most 40)', value: 'NAME' },
  dc: { type: 'string', description: 'The data center it belongs to (default Default)', value: 'DC' },
  'cpu-type': { type: 'string', description: 'CPU type from what libvirt reports for this host (hostdeck cluster cpu-types; default host-model)', value: 'CPU' },
  'memory-overcommit': { type: 'string', description: 'Memory over-commit in percent, 100-400 (default 100), enforced when its VMs start', value: 'PCT' },
  'threads-as-cores': { type: 'string', description: 'Count host threads as cores: yes or no (default no)', value: 'yes|no' },
  description: { type: 'string', description: 'Free text, one line, at most 200 characters', value: 'TEXT', allowEmpty: true },
};
const clusterInput = (ctx: CommandContext): ClusterInput => defined({
  name: str(ctx, 'name'), dataCenter: str(ctx, 'dc'), cpuType: str(ctx, 'cpu-type'), memoryOvercommit: str(ctx, 'memory-overcommit'), threadsAsCores: str(ctx, 'threads-as-cores'), description: str(ctx, 'description'),
});
const CLUSTER = 'CLUSTER';
const clusterHint = 'a cluster name or id';

const clusterRow = (c: ClusterView) => ({ name: c.name, dc: c.dataCenter, cpu: c.cpuType, overcommit: `${c.memoryOvercommit}%`, threads: c.threadsAsCores ? 'cores' : 'threads', vms: c.vms.length, host: c.host ?? '-' });

function showCluster(ctx: CommandContext, c: ClusterView): void {
  if (ctx.json) { ctx.out(JSON.stringify(c, null, 2)); return; }
  show(ctx, [
    ['name', c.name], ['id', c.id], ['data center', c.dataCenter], ['CPU type', c.cpuType], ['over-commit', `${c.memoryOvercommit}% of the host's memory`],
    ['threads', c.threadsAsCores ? 'counted as cores' : 'not counted as cores'], ['description', c.description || '-'], ['host', c.host ?? 'none'], ['VMs', c.vms.join(', ') || 'none'],
  ]);
}

function showHost(ctx: CommandContext, h: HostView): void {
  if (ctx.json) { ctx.out(JSON.stringify(h, null, 2)); return; }
  show(ctx, [
    ['name', h.name], ['address', h.address ?? '-'], ['cluster', `${h.cluster} (data center ${h.dataCenter})`], ['status', h.status + (h.reason ? `: ${h.reason}` : '')],
    ['cpu', `${h.cpu.model}: ${h.cpu.sockets} socket(s), ${h.cpu.cores} cores, ${h.cpu.threads} threads`], ['memory', formatBytes(h.memoryKiB * 1024)],
    ['vms', `${h.vms.total} (${h.vms.running} running)`],
  ]);
}

function showStatus(ctx: CommandContext, s: ManagerStatus): void {
  if (ctx.json) { ctx.out(JSON.stringify(s, null, 2)); return; }
  show(ctx, [['mode', s.mode], ['manager', s.summary], ['cluster', s.cluster ?? '-'], ['data centers', String(s.dataCenters)], ['clusters', String(s.clusters)]]);
}

/** The result: as JSON with --json, else the sentence. */
export function reply(ctx: CommandContext, value: unknown, text: string): number {
  ctx.out(ctx.json ? JSON.stringify(value, null, 2) : text);
  return 0;
}

export const YES: OptionSpecs = { yes: { type: 'boolean', description: 'Do not ask for confirmation' } };

interface ResourceUseCases<R, I> {
  list(): Promise<R[]>;
  get(key: string): Promise<R>;
  create(input: I): Promise<R>;
  edit(key: string, input: I): Promise<R>;
  remove(key: string): Promise<void>;
}

/** list, show, create, edit and remove of one noun, the same way for data centers and clusters. */
export function resourceCommands<R extends { name: string }, I>(r: {
  noun: string; what: string; arg: string; hint: string; listSummary: string; removeSummary: string;
  useCases: (ctx: CommandContext) => ResourceUseCases<R, I>;
  row: (x: R) => Record<string, unknown>; columns: string[]; show: (ctx: CommandContext, x: R) => void;
  options: OptionSpecs; input: (ctx: CommandContext) => I; created: (x: R) => string;
  /** What an edit says beyond "Changed <what> <name>." */
  edited?: (x: R) => string;
  /** A field error as the CLI says it (default: the manager's options). */
  message?: (e: FieldError) => string;
}): Command[] {
  const guarded = <T>(fn: () => Promise<T>) => guard(fn, r.message);
  const key = (ctx: CommandContext) => { const k = positional(ctx, 0, r.arg, r.hint); tooMany(ctx, 1); return k; };
  return [
    { noun: r.noun, verb: 'list', summary: r.listSummary, async run(ctx) {
      tooMany(ctx, 0);
      const list = await guarded(() => r.useCases(ctx).list());
      printTable(ctx, list.map(r.row), r.columns, list);
      return 0;
    } },
    { noun: r.noun, verb: 'show', summary: `Show one ${r.what}`, usage: r.arg, async run(ctx) {
      const k = key(ctx);
      r.show(ctx, await guarded(() => r.useCases(ctx).get(k)));
      return 0;
    } },
    { noun: r.noun, verb: 'create', summary: `Create a ${r.what}`, options: r.options, async run(ctx) {
      tooMany(ctx, 0);
      const x = await guarded(() => r.useCases(ctx).create(r.input(ctx)));
      return reply(ctx, x, r.created(x));
    } },
    { noun: r.noun, verb: 'edit', summary: `Change a ${r.what} (the options given)`, usage: r.arg, options: r.options, async run(ctx) {
      const k = key(ctx);
      const x = await guarded(() => r.useCases(ctx).edit(k, r.input(ctx)));
      return reply(ctx, x, `Changed ${r.what} ${x.name}.${r.edited?.(x) ?? ''}`);
    } },
    { noun: r.noun, verb: 'remove', summary: r.removeSummary, usage: r.arg, options: YES, async run(ctx) {
      const k = key(ctx);
      if (!(await confirm(ctx, `Remove ${r.what} ${k}?`))) { ctx.err('Not removed.'); return 1; }
      await guarded(() => r.useCases(ctx).remove(k));
      return reply(ctx, { removed: k }, `Removed ${r.what} ${k}.`);
    } },
  ];
}

export const managerCommands: Command[] = [
  ...resourceCommands({
    noun: 'dc', what: 'data center', arg: DC, hint: dcHint, options: DC_OPTIONS, input: dcInput, row: dcRow, show: showDc,
    listSummary: 'List the data centers with their status (computed from their storage domains and host)',
    removeSummary: 'Remove a data center (refused while it holds clusters or storage domains)',
    useCases: (ctx) => ctx.core.manager.dataCenters,
    columns: ['name', 'status', 'storage', 'version', 'clusters', 'domains', 'master', 'description'],
    created: (d) => `Created data center ${d.name} (${d.storageType}, ${d.compatibilityVersion}): ${d.status}.`,
  }),
  {
    noun: 'dc', verb: 'attach-domain', summary: 'Attach a storage domain in maintenance to a data center', usage: `${DC} DOMAIN`,
    async run(ctx) {
      const key = positional(ctx, 0, DC, dcHint);
      const domain = positional(ctx, 1, 'DOMAIN', 'a storage domain name or UUID');
      tooMany(ctx, 2);
      const d = await guard(() => ctx.core.manager.dataCenters.attachDomain(key, domain));
      return reply(ctx, d, `Attached storage domain ${domain} to data center ${d.name}: ${d.status}.`);
    },
  },
  ...resourceCommands({
    noun: 'cluster', what: 'cluster', arg: CLUSTER, hint: clusterHint, options: CLUSTER_OPTIONS, input: clusterInput, row: clusterRow, show: showCluster,
    listSummary: 'List the clusters with their CPU type, memory over-commit and VMs',
    removeSummary: 'Remove a cluster (refused while it has VMs or this host)',
    useCases: (ctx) => ctx.core.manager.clusters,
    columns: ['name', 'dc', 'cpu', 'overcommit', 'threads', 'vms', 'host'],
    created: (c) => `Created cluster ${c.name} in data center ${c.dataCenter} (CPU ${c.cpuType}, over-commit ${c.memoryOvercommit}%).`,
    edited: (c) => cpuFollowers(c),
  }),
  {
    noun: 'cluster', verb: 'cpu-types', summary: 'The CPU types a cluster may have here (what libvirt reports for this host)',
    async run(ctx) {
      tooMany(ctx, 0);
      const types = await guard(() => ctx.core.manager.clusters.cpuTypes());
      return reply(ctx, types, types.join('\n'));
    },
  },
  {
    noun: 'manager', verb: 'init', summary: 'Make this host a standalone manager: it joins the Default cluster (or --cluster); refused while registered with an engine',
    options: { cluster: { type: 'string', description: 'The cluster this host joins (default Default)', value: 'CLUSTER' } },
    async run(ctx) {
      tooMany(ctx, 0);
      const cluster = str(ctx, 'cluster');
      const s = await guard(() => ctx.core.manager.init(cluster !== undefined ? { cluster } : {}));
      return reply(ctx, s, `This host is a standalone manager, in cluster ${s.cluster ?? '-'}.`);
    },
  },
  {
    noun: 'manager', verb: 'leave', summary: 'Leave standalone mode (refused while it manages VMs an engine would not know)',
    async run(ctx) {
      tooMany(ctx, 0);
      const s = await guard(() => ctx.core.manager.leave());
      return reply(ctx, s, 'This host is no longer a standalone manager.');
    },
  },
  {
    noun: 'manager', verb: 'status', summary: 'Standalone, registered with an engine, or neither; the data centers and clusters',
    async run(ctx) {
      tooMany(ctx, 0);
      showStatus(ctx, await guard(() => ctx.core.manager.status()));
      return 0;
    },
  },
  {
    noun: 'host', verb: 'show', summary: 'This host as a host object: cluster, status, CPU, memory, VMs',
    async run(ctx) {
      tooMany(ctx, 0);
      showHost(ctx, await guard(() => ctx.core.manager.host.show()));
      return 0;
    },
  },
  {
    noun: 'host', verb: 'maintenance', summary: 'Put this host into maintenance (refused while VMs run, unless --stop-vms)',
    options: { 'stop-vms': { type: 'boolean', description: 'Shut the running VMs down first (powered off when they ignore ACPI)' } },
    async run(ctx) {
      tooMany(ctx, 0);
      const h = await guard(() => ctx.core.manager.host.maintenance({ stopVms: Boolean(ctx.options['stop-vms']) }));
      return reply(ctx, h, 'This host is in maintenance.');
    },
  },
  {
    noun: 'host', verb: 'activate', summary: 'Bring this host out of maintenance',
    async run(ctx) {
      tooMany(ctx, 0);
      const h = await guard(() => ctx.core.manager.host.activate());
      return reply(ctx, h, `This host is ${h.status}${h.reason ? `: ${h.reason}` : ''}.`);
    },
  },
  {
    noun: 'host', verb: 'move', summary: 'Move this host to another cluster (only in maintenance)',
    options: { cluster: { type: 'string', description: 'The cluster to move to', value: 'CLUSTER' } },
    async run(ctx) {
      tooMany(ctx, 0);
      const cluster = str(ctx, 'cluster');
      if (!cluster) throw new CommandError('--cluster: is required (a cluster name)', 2);
      const h = await guard(() => ctx.core.manager.host.move(cluster));
      return reply(ctx, h, `This host is in cluster ${h.cluster}.`);
    },
  },
];

