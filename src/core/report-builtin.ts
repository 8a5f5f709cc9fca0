// The built-in reports (README "Reports: built-in reports"): each reads the
// history at the level that holds its range (minute samples for the last day,
// hour aggregates for 60 days, day aggregates beyond: the retention), narrowed
// to its scope, and returns tables and charts (src/domain/reports.ts).
import { InvalidInputError } from '../domain/errors.ts';
import { DEFAULT_RETENTION, levelFor, type HistoryLevel } from '../domain/history-aggregate.ts';
import {
  availabilityPct, BUILTIN_REPORTS, fillForecast, isoTime, overcommit, round, summarise, topBy,
  type ReportChart, type ReportRequest, type ReportResult, type ReportTable,
} from '../domain/reports.ts';
import { reportData, type VmTotals } from '../manager/report-data.ts';
import { historyRepo, type VmFigure } from '../manager/repos/history.ts';
import { managerRepo } from '../manager/repos/manager-model.ts';
import { storageDomainRepo } from '../manager/repos/storage-domains.ts';
import type { CoreContext } from './index.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MIB = 1024;
const GIB = 2 ** 30;
const TOP_N = 10;

/** The VMs a scope covers (undefined: all), with the names and ids events name them by. */
interface ScopeVms { uuids?: Set<string>; vmIds?: number[]; objects?: { type: string; id: string }[] }

export async function runBuiltinReport(ctx: CoreContext, req: ReportRequest, now: number): Promise<ReportResult> {
  const db = ctx.infra.db;
  const data = reportData(db);
  const history = historyRepo(db);
  const level: HistoryLevel = levelFor(req.from, now, ctx.infra.config.history ?? DEFAULT_RETENTION);
  const { from, to, scope } = req;
  const def = BUILTIN_REPORTS.find((r) => r.name === req.name)!;
  const scopeError = (rule: string) => new InvalidInputError([{ field: 'scope', message: `scope: ${rule}` }]);

  // The scope checked against what exists before anything is read.
  const inventory = data.inventory();
  let vms: ScopeVms = {};
  let domainIds: string[] | undefined;
  if (scope.kind === 'cluster') {
    const m = managerRepo(db);
    const cl = m.cluster(scope.name!);
    if (!cl) throw scopeError(`no cluster ${scope.name} (hostdeck cluster list)`);
    const placed = m.vmClusters();
    // A VM without a cluster row is in the default cluster.
    const inDefault = m.defaultCluster()?.id === cl.id;
    const uuids = new Set(inventory.map((r) => r.uuid).filter((u) => placed.get(u) === cl.id || (inDefault && !placed.has(u))));
    vms = { uuids, objects: [{ type: 'cluster', id: cl.name }, { type: 'cluster', id: cl.id }] };
  } else if (scope.kind === 'vm') {
    const row = inventory.find((r) => r.uuid.toLowerCase() === scope.name!.toLowerCase() || r.name === scope.name);
    const uuid = row?.uuid ?? (UUID.test(scope.name!) ? undefined : history.uuidByName(scope.name!));
    if (!uuid) throw scopeError(`no VM ${scope.name} in the inventory or the history`);
    vms = { uuids: new Set([uuid]) };
  } else if (scope.kind === 'storage') {
    const d = storageDomainRepo(db).byKey(scope.name!);
    if (!d) throw scopeError(`no storage domain ${scope.name} (hostdeck storage-domain list)`);
    domainIds = [d.id];
    vms = { objects: [{ type: 'storage-domain', id: d.name }, { type: 'storage-domain', id: d.id }] };
  }
  if (vms.uuids) {
    vms.vmIds = [...vms.uuids].map((u) => history.vmId(u)).filter((id): id is number => id !== undefined);
    const names = inventory.filter((r) => vms.uuids!.has(r.uuid));
    vms.objects = [...(vms.objects ?? []), ...names.flatMap((r) => [{ type: 'vm', id: r.uuid }, ...(r.name ? [{ type: 'vm', id: r.name }] : [])])];
  }

  const result: ReportResult = { name: def.name, title: def.title, from, to, level, scope, tables: [], charts: [], notes: [] };
  const configs = data.vmConfigsAt(to);
  const nameOf = (t: VmTotals) => configs.get(t.vmId)?.name ?? t.uuid;
  const avgOf = (t: VmTotals, f: VmFigure) => (t.figures[f].weight ? t.figures[f].sum / t.figures[f].weight : null);
  const totals = () => data.vmTotals(level, from, to, vms.vmIds);

  switch (def.name) {
    case 'host-utilisation': {
      const points = history.hostSeries(level, from, to - 1);
      const fig = (f: 'cpu_pct' | 'mem_used_kib' | 'swap_used_kib' | 'mem_total_kib') => summarise(points.map((p) => ({ samples: p.samples, avg: p.avg[f], max: p.max[f] })));
      const cpu = fig('cpu_pct');
      const mem = fig('mem_used_kib');
      const swap = fig('swap_used_kib');
      const node = await ctx.infra.virt.nodeInfo().catch(() => undefined);
      const hostMemKiB = fig('mem_total_kib').max ?? node?.memoryKiB ?? null;
      const memPct = (v: number | null) => (v !== null && hostMemKiB ? (100 * v) / hostMemKiB : null);
      result.tables.push({
        title: 'Utilisation', columns: [{ id: 'figure', title: 'Figure' }, { id: 'avg', title: 'Average' }, { id: 'peak', title: 'Peak' }, { id: 'unit', title: 'Unit' }],
        rows: [
          { figure: 'CPU', avg: round(cpu.avg), peak: round(cpu.max), unit: '%' },
          { figure: 'Memory used', avg: round(memPct(mem.avg)), peak: round(memPct(mem.max)), unit: '%' },
          { figure: 'Memory used', avg: round(mem.avg === null ? null : mem.avg / MIB), peak: round(mem.max === null ? null : mem.max / MIB), unit: 'MiB' },
          { figure: 'Swap used', avg: round(swap.avg === null ? null : swap.avg / MIB), peak: round(swap.max === null ? null : swap.max / MIB), unit: 'MiB' },
        ],
      });
      // Over-commit: what the VMs that ran in the range were given (their configuration at the range's end) beside the host's.
      const ran = totals().filter((t) => t.upSamples > 0);
      const vcpus = ran.reduce((n, t) => n + (configs.get(t.vmId)?.vcpus ?? 0), 0);
      const memKiB = ran.reduce((n, t) => n + (configs.get(t.vmId)?.memoryKiB ?? 0), 0);
      result.tables.push({
        title: `Over-commit (${ran.length} VM(s) that ran)`, columns: [{ id: 'resource', title: 'Resource' }, { id: 'given', title: 'Given to VMs' }, { id: 'host', title: 'Host has' }, { id: 'ratio', title: 'Ratio' }],
        rows: [
          { resource: 'vCPUs', given: vcpus, host: node?.cpus ?? null, ratio: round(overcommit(vcpus, node?.cpus), 2) },
          { resource: 'Memory (MiB)', given: round(memKiB / MIB), host: round(hostMemKiB === null ? null : hostMemKiB / MIB), ratio: round(overcommit(memKiB, hostMemKiB), 2) },
        ],
      });
      result.charts.push({ title: 'Host CPU', unit: '%', series: [
        { label: 'average', points: points.filter((p) => p.avg.cpu_pct !== null).map((p) => ({ t: p.t, v: p.avg.cpu_pct! })) },
        { label: 'peak', points: points.filter((p) => p.max.cpu_pct !== null).map((p) => ({ t: p.t, v: p.max.cpu_pct! })) },
      ] });
      result.charts.push({ title: 'Host memory used', unit: 'MiB', series: [{ label: 'average', points: points.filter((p) => p.avg.mem_used_kib !== null).map((p) => ({ t: p.t, v: p.avg.mem_used_kib! / MIB })) }] });
      if (!points.length) result.notes.push('No host history in this range (is hostdeck serve running?).');
      break;
    }
    case 'top-vms': {
      const all = totals().map((t) => ({ t, name: nameOf(t) }));
      const pair = (a: VmFigure, b: VmFigure) => (r: { t: VmTotals }) => { const x = avgOf(r.t, a); const y = avgOf(r.t, b); return x === null && y === null ? null : (x ?? 0) + (y ?? 0); };
      const table = (title: string, key: (r: { t: VmTotals }) => number | null, figures: [VmFigure, string, number][]): ReportTable => ({
        title, columns: [{ id: 'vm', title: 'VM' }, ...figures.flatMap(([f, label]) => [{ id: `${f}_avg`, title: `${label} avg` }, { id: `${f}_max`, title: `${label} peak` }])],
        rows: topBy(all, key, TOP_N).map((r) => ({ vm: r.name, ...Object.fromEntries(figures.flatMap(([f, , div]) => [[`${f}_avg`, round((avgOf(r.t, f) ?? NaN) / div)], [`${f}_max`, round((r.t.figures[f].max ?? NaN) / div)]])) })),
      });
      result.tables.push(
        table('By CPU (%)', (r) => avgOf(r.t, 'cpu_pct'), [['cpu_pct', 'CPU %', 1]]),
        table('By memory used (MiB)', (r) => avgOf(r.t, 'mem_used_kib'), [['mem_used_kib', 'memory', MIB]]),
        table('By disk throughput (KiB/s)', pair('disk_read_bps', 'disk_write_bps'), [['disk_read_bps', 'read', 1024], ['disk_write_bps', 'write', 1024]]),
        table('By network throughput (KiB/s)', pair('net_rx_bps', 'net_tx_bps'), [['net_rx_bps', 'rx', 1024], ['net_tx_bps', 'tx', 1024]]),
      );
      const top = topBy(all, (r) => avgOf(r.t, 'cpu_pct'), 5);
      result.charts.push({ title: 'CPU of the top VMs', unit: '%', series: top.map((r) => ({ label: r.name, points: history.vmSeries(level, r.t.vmId, from, to - 1).filter((p) => p.avg.cpu_pct !== null).map((p) => ({ t: p.t, v: p.avg.cpu_pct! })) })) });
      break;
    }
    case 'vm-availability': {
      const rows = totals().map((t) => ({ t, name: nameOf(t) })).sort((a, b) => (availabilityPct(a.t.samples, a.t.upSamples) ?? 0) - (availabilityPct(b.t.samples, b.t.upSamples) ?? 0) || a.name.localeCompare(b.name));
      result.tables.push({
        title: 'Availability (least available first)',
        columns: [{ id: 'vm', title: 'VM' }, { id: 'sampled_h', title: 'Sampled (h)' }, { id: 'up_h', title: 'Up (h)' }, { id: 'availability', title: 'Availability (%)' }],
        rows: rows.map((r) => ({ vm: r.name, sampled_h: round(r.t.samples / 60, 2), up_h: round(r.t.upSamples / 60, 2), availability: round(availabilityPct(r.t.samples, r.t.upSamples), 2) })),
      });
      result.notes.push('A VM is up in a sample while running or blocked; the time not sampled (the service down) counts neither way.');
      break;
    }
    case 'storage-usage': {
      const domains = storageDomainRepo(db).all().filter((d) => !domainIds || domainIds.includes(d.id));
      const chart: ReportChart = { title: 'Storage used', unit: 'GiB', series: [] };
      const rows = domains.map((d) => {
        const points = history.storageSeries(level, d.id, from, to - 1).filter((p) => p.avg.used_bytes !== null);
        const last = points.at(-1);
        const capacity = last ? (last.avg.used_bytes ?? 0) + (last.avg.free_bytes ?? 0) : null;
        const used = points.map((p) => ({ t: p.t, v: p.avg.used_bytes! }));
        const fill = capacity === null ? undefined : fillForecast(used, capacity);
        chart.series.push({ label: d.name, points: used.map((p) => ({ t: p.t, v: p.v / GIB })) });
        const fit = used.length >= 2 ? (used.at(-1)!.v - used[0]!.v) / Math.max(1, used.at(-1)!.t - used[0]!.t) : null;
        return {
          domain: d.name, capacity_gib: round(capacity === null ? null : capacity / GIB, 2), used_gib: round(last ? last.avg.used_bytes! / GIB : null, 2),
          free_gib: round(last?.avg.free_bytes == null ? null : last.avg.free_bytes / GIB, 2), used_pct: round(capacity ? (100 * last!.avg.used_bytes!) / capacity : null),
          growth_gib_day: round(fit === null ? null : (fit * 86_400) / GIB, 3),
          fills: fill === undefined ? 'not enough history' : fill === 'not filling' ? fill : isoTime(fill),
        };
      });
      result.tables.push({ title: 'Storage domains', columns: [
        { id: 'domain', title: 'Domain' }, { id: 'capacity_gib', title: 'Capacity', unit: 'GiB' }, { id: 'used_gib', title: 'Used', unit: 'GiB' }, { id: 'free_gib', title: 'Free', unit: 'GiB' },
        { id: 'used_pct', title: 'Used', unit: '%' }, { id: 'growth_gib_day', title: 'Growth (first to last)', unit: 'GiB/day' }, { id: 'fills', title: 'Full at (least-squares)' },
      ], rows });
      result.charts.push(chart);
      result.notes.push('Full at: where the least-squares line through the used space of the range meets the capacity; "not filling" when it is flat or falls.');
      break;
    }
    case 'inventory': {
      const rows = inventory.filter((r) => !vms.uuids || vms.uuids.has(r.uuid));
      const byUuid = new Map([...configs.values()].map((c) => [c.uuid, c]));
      const defaultCluster = managerRepo(db).defaultCluster()?.name ?? null;
      result.tables.push({ title: `VMs (${rows.length})`, columns: [
        { id: 'vm', title: 'VM' }, { id: 'uuid', title: 'UUID' }, { id: 'cluster', title: 'Cluster' }, { id: 'template', title: 'Template' }, { id: 'disks', title: 'Disks' },
        { id: 'disk_gib', title: 'Disk size', unit: 'GiB' }, { id: 'vcpus', title: 'vCPUs' }, { id: 'memory_mib', title: 'Memory', unit: 'MiB' }, { id: 'pool', title: 'Pool' }, { id: 'owner', title: 'Owner' },
      ], rows: rows.map((r) => {
        const c = byUuid.get(r.uuid);
        return {
          vm: r.name, uuid: r.uuid, cluster: r.clusterName ?? defaultCluster, template: r.templateName === null ? null : `${r.templateName} v${r.templateVersion ?? '?'}`,
          disks: r.templateName === null ? null : r.diskCount, disk_gib: r.diskBytes === null ? null : round(r.diskBytes / GIB, 2),
          vcpus: c?.vcpus ?? null, memory_mib: c ? round(c.memoryKiB / MIB) : null, pool: r.poolName, owner: r.owner,
        };
      }) });
      result.notes.push('Disks are those of the VM\'s template; vCPUs and memory are its configuration in the history at the range\'s end; the owner is a pool VM\'s user.');
      break;
    }
    case 'events': {
      const counts = data.eventCounts(from, to, vms.objects);
      const bySeverity = new Map<string, number>();
      for (const c of counts) bySeverity.set(c.severity, (bySeverity.get(c.severity) ?? 0) + c.count);
      result.tables.push({ title: 'By severity', columns: [{ id: 'severity', title: 'Severity' }, { id: 'events', title: 'Events' }],
        rows: ['alert', 'error', 'warning', 'info'].map((s) => ({ severity: s, events: bySeverity.get(s) ?? 0 })) });
      result.tables.push({ title: 'By object', columns: [{ id: 'severity', title: 'Severity' }, { id: 'object_type', title: 'Object type' }, { id: 'object', title: 'Object' }, { id: 'events', title: 'Events' }, { id: 'last', title: 'Last' }],
        rows: counts.map((c) => ({ severity: c.severity, object_type: c.objectType, object: c.objectId, events: c.count, last: c.last })) });
      break;
    }
  }
  return result;
}
