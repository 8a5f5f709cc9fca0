// The history use cases: the series of this host, a VM (by UUID or its name)
// and a storage domain over a range, read from the level that holds that
// range (minute samples for the last day, hourly aggregates for 60 days,
// daily ones beyond: the retention settings), a VM's configuration history,
// and the sampler the host service's history duty runs (history-sampling.ts).
import { InvalidInputError, NotFoundError } from '../domain/errors.ts';
import { DEFAULT_RETENTION, levelFor, rangeProblems, type HistoryLevel } from '../domain/history-aggregate.ts';
import { historyRepo, type HostFigure, type SeriesPoint, type StorageFigure, type VmFigure } from '../manager/repos/history.ts';
import { storageDomainRepo } from '../manager/repos/storage-domains.ts';
import { createHistoryDuty, type HistoryDutyOptions } from './history-sampling.ts';
import { createMonitorUseCases } from './monitor.ts';
import type { CoreContext } from './index.ts';

export type { HostFigure, SeriesPoint, StorageFigure, VmFigure } from '../manager/repos/history.ts';

export interface Series<F extends string> { level: HistoryLevel; from: number; to: number; points: SeriesPoint<F>[] }

export interface HistoryUseCases {
  /** This host's series from..to (seconds since the epoch). */
  hostSeries(from: number, to: number): Promise<Series<HostFigure>>;
  /** A VM's series by UUID (or the name it has or last had); its samples follow it across renames. */
  vmSeries(vm: string, from: number, to: number): Promise<Series<VmFigure> & { uuid: string }>;
  /** A storage domain's used and free bytes (by id or name). */
  storageSeries(domain: string, from: number, to: number): Promise<Series<StorageFigure>>;
  /** From when a VM had which name, vCPUs and memory (oldest first). */
  vmConfigHistory(vm: string): Promise<{ uuid: string; changes: { fromT: number; name: string; vcpus: number; memoryKiB: number }[] }>;
  /** The history duty of one service run (service-duties.ts). */
  newSampler(opts?: HistoryDutyOptions): { run: () => Promise<string>; close: () => void };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createHistoryUseCases(ctx: CoreContext): HistoryUseCases {
  const db = ctx.infra.db;
  const repo = historyRepo(db);
  const retention = ctx.infra.config.history ?? DEFAULT_RETENTION;
  const nowS = () => Math.floor(Date.now() / 1000);

  const range = (from: number, to: number) => {
    const errs = rangeProblems(from, to, nowS());
    if (errs.length) throw new InvalidInputError(errs);
    return levelFor(from, nowS(), retention);
  };
  const vmOf = (vm: string) => {
    if (!vm) throw new InvalidInputError([{ field: 'vm', message: 'vm: must be a VM UUID or name' }]);
    const uuid = UUID.test(vm) ? vm.toLowerCase() : repo.uuidByName(vm);
    const id = uuid ? repo.vmId(uuid) : undefined;
    if (!uuid || id === undefined) throw new NotFoundError(`no history of VM ${vm}`);
    return { uuid, id };
  };
  const read = <T>(what: string, fn: () => T) => ctx.door.act('history.read', { id: '*' }, { message: `Read the history of ${what}` }, fn);

  return {
    hostSeries: async (from, to) => {
      const level = range(from, to);
      return read('this host', () => ({ level, from, to, points: repo.hostSeries(level, from, to) }));
    },
    vmSeries: async (vm, from, to) => {
      const level = range(from, to);
      const { uuid, id } = vmOf(vm);
      return read(`VM ${vm}`, () => ({ uuid, level, from, to, points: repo.vmSeries(level, id, from, to) }));
    },
    storageSeries: async (domain, from, to) => {
      const level = range(from, to);
      const d = storageDomainRepo(db).byKey(domain);
      if (!d) throw new NotFoundError(`no storage domain ${domain}`);
      return read(`storage domain ${d.name}`, () => ({ level, from, to, points: repo.storageSeries(level, d.id, from, to) }));
    },
    vmConfigHistory: async (vm) => {
      const { uuid, id } = vmOf(vm);
      return read(`VM ${vm}'s configuration`, () => ({ uuid, changes: repo.configHistory(id) }));
    },
    newSampler: (opts) => createHistoryDuty({ monitor: createMonitorUseCases(ctx), config: ctx.infra.config }, db, opts),
  };
}
