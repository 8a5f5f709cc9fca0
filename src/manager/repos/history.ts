// The history tables (migration 0013): a sampling round written in one
// transaction, roll-ups of ended hours and days, pruning, and series reads.
// Roll-ups and pruning write in transactions of at most `maxRows` rows, so
// the service's other writers (and the next round) never wait long.
import { aggregate, bucketStart, DAY_S, HOUR_S, type Aggregate, type AggregateInput, type HistoryLevel } from '../../domain/history-aggregate.ts';
import type Database from 'better-sqlite3';
import type { Db } from '../db.ts';

export const HOST_FIGURES = ['cpu_pct', 'mem_used_kib', 'mem_total_kib', 'swap_used_kib', 'disk_read_bps', 'disk_write_bps', 'net_rx_bps', 'net_tx_bps'] as const;
export const VM_FIGURES = ['cpu_pct', 'mem_used_kib', 'mem_total_kib', 'disk_read_bps', 'disk_write_bps', 'net_rx_bps', 'net_tx_bps'] as const;
export const STORAGE_FIGURES = ['used_bytes', 'free_bytes'] as const;
export const NIC_FIGURES = ['rx_bps', 'tx_bps'] as const;

export type HostFigure = (typeof HOST_FIGURES)[number];
export type VmFigure = (typeof VM_FIGURES)[number];
export type StorageFigure = (typeof STORAGE_FIGURES)[number];
export type NicFigure = (typeof NIC_FIGURES)[number];

/** One sample's figures; null: not known at this sample. */
export type Figures<F extends string> = Record<F, number | null>;

export interface VmSampleRow { vmId: number; state: number; figures: Figures<VmFigure> }
export interface StorageSampleRow { domainId: string; figures: Figures<StorageFigure> }
export interface NicSampleRow { nicId: number; figures: Figures<NicFigure> }
export interface VmConfigRow { vmId: number; name: string; vcpus: number; memoryKiB: number }

/** One sampling round: written in one transaction. */
export interface HistoryRound {
  t: number;
  host?: Figures<HostFigure>;
  vms: readonly VmSampleRow[];
  storage: readonly StorageSampleRow[];
  /** This host's interfaces (migration 0018). */
  nics?: readonly NicSampleRow[];
  /** VMs whose name, vCPUs or memory differ from their last configuration row. */
  configs: readonly VmConfigRow[];
}

/** A point of a series: a sample (samples 1, avg = max = the value) or an aggregate. */
export interface SeriesPoint<F extends string> {
  t: number;
  samples: number;
  /** VMs: samples in which it ran. */
  upSamples?: number;
  avg: Figures<F>;
  max: Figures<F>;
}

type Kind = 'host' | 'vm' | 'storage' | 'nic';
interface KindDef { figures: readonly string[]; id?: string; up?: boolean }
const KINDS: Record<Kind, KindDef> = {
  host: { figures: HOST_FIGURES },
  vm: { figures: VM_FIGURES, id: 'vm_id', up: true },
  storage: { figures: STORAGE_FIGURES, id: 'storage_domain_id' },
  nic: { figures: NIC_FIGURES, id: 'nic_id' },
};
const SIZE: Record<Exclude<HistoryLevel, 'minute'>, number> = { hour: HOUR_S, day: DAY_S };
const SOURCE = { hour: 'minute', day: 'hour' } as const;
/** A VM is up in a sample while running or blocked (libvirt states 1 and 2). */
const UP_STATES = '(1, 2)';

/** Averages of bytes and KiB are stored whole: SQLite keeps a whole REAL in 1 to 6 bytes instead of 8, and a fraction of a byte tells nobody anything. */
const whole = (figure: string, v: number | null) => (v === null || figure.endsWith('_pct') ? v : Math.round(v));
const table = (kind: Kind, level: HistoryLevel) => `history_${kind}_${level}`;
const aggCols = (d: KindDef) => d.figures.flatMap((f) => [`${f}_avg`, `${f}_max`]);

type RawRow = Record<string, number | string | null>;

export function historyRepo(db: Db) {
  const stmts = new Map<string, Database.Statement<unknown[]>>();
  const stmt = (sql: string): Database.Statement<unknown[]> => {
    let s = stmts.get(sql);
    if (!s) { s = db.prepare<unknown[]>(sql); stmts.set(sql, s); }
    return s;
  };
  const insertHost = stmt(`INSERT OR REPLACE INTO history_host_minute (t, ${HOST_FIGURES.join(', ')}) VALUES (?${', ?'.repeat(HOST_FIGURES.length)})`);
  const insertVm = stmt(`INSERT OR REPLACE INTO history_vm_minute (t, vm_id, state, ${VM_FIGURES.join(', ')}) VALUES (?, ?, ?${', ?'.repeat(VM_FIGURES.length)})`);
  const insertStorage = stmt(`INSERT OR REPLACE INTO history_storage_minute (t, storage_domain_id, ${STORAGE_FIGURES.join(', ')}) VALUES (?, ?${', ?'.repeat(STORAGE_FIGURES.length)})`);
  const insertNic = stmt(`INSERT OR REPLACE INTO history_nic_minute (t, nic_id, ${NIC_FIGURES.join(', ')}) VALUES (?, ?${', ?'.repeat(NIC_FIGURES.length)})`);
  const insertConfig = stmt('INSERT OR REPLACE INTO history_vm_config (vm_id, from_t, name, vcpus, memory_kib) VALUES (?, ?, ?, ?, ?)');

  const writeRound = db.transaction((r: HistoryRound) => {
    if (r.host) insertHost.run(r.t, ...HOST_FIGURES.map((f) => r.host![f]));
    for (const v of r.vms) insertVm.run(r.t, v.vmId, v.state, ...VM_FIGURES.map((f) => v.figures[f]));
    for (const s of r.storage) insertStorage.run(r.t, s.domainId, ...STORAGE_FIGURES.map((f) => s.figures[f]));
    for (const n of r.nics ?? []) insertNic.run(r.t, n.nicId, ...NIC_FIGURES.map((f) => n.figures[f]));
    for (const c of r.configs) insertConfig.run(c.vmId, r.t, c.name, c.vcpus, c.memoryKiB);
  });

  /** The rows of `kind` in the bucket [t, t + size) of the level below `level`, as aggregation inputs. */
  function* inputs(kind: Kind, level: 'hour' | 'day', t: number): Generator<AggregateInput<string | number>> {
    const d = KINDS[kind];
    const src = SOURCE[level];
    const id = d.id ?? '0';
    if (src === 'minute') {
      const cols = [...d.figures, ...(d.up ? [`(state IN ${UP_STATES})`] : [])];
      const rows = stmt(`SELECT ${id} AS id, t, ${cols.join(', ')} FROM ${table(kind, 'minute')} WHERE t >= ? AND t < ?`).raw().iterate(t, t + SIZE[level]) as Iterable<(number | string | null)[]>;
      for (const [key, at, ...values] of rows) yield { key: key!, t: at as number, samples: 1, values: values as (number | null)[] };
      return;
    }
    const cols = [...d.figures.map((f) => `${f}_avg`), ...(d.up ? ['1.0 * up_samples / samples'] : []), ...d.figures.map((f) => `${f}_max`)];
    const rows = stmt(`SELECT ${id} AS id, t, samples, ${cols.join(', ')} FROM ${table(kind, 'hour')} WHERE t >= ? AND t < ?`).raw().iterate(t, t + SIZE[level]) as Iterable<(number | string | null)[]>;
    const n = d.figures.length + (d.up ? 1 : 0);
    for (const [key, at, samples, ...rest] of rows) {
      yield { key: key!, t: at as number, samples: samples as number, values: rest.slice(0, n) as (number | null)[], maxes: rest.slice(n) as (number | null)[] };
    }
  }

  function writeAggregates(kind: Kind, level: 'hour' | 'day', aggs: readonly Aggregate<string | number>[], maxRows: number): void {
    const d = KINDS[kind];
    const cols = [...(d.id ? [d.id] : []), 't', 'samples', ...(d.up ? ['up_samples'] : []), ...aggCols(d)];
    const ins = stmt(`INSERT OR REPLACE INTO ${table(kind, level)} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    const n = d.figures.length;
    const write = db.transaction((part: readonly Aggregate<string | number>[]) => {
      for (const a of part) {
        const up = d.up ? [Math.round((a.avg[n] ?? 0) * a.samples)] : [];
        ins.run(...(d.id ? [a.key] : []), a.t, a.samples, ...up, ...d.figures.flatMap((f, i) => [whole(f, a.avg[i]!), a.max[i]]));
      }
    });
    for (let i = 0; i < aggs.length; i += maxRows) write(aggs.slice(i, i + maxRows));
  }

  /** Delete rows of one table older than `before`, at most about `maxRows` a transaction; returns how many went. */
  function pruneTable(kind: Kind, level: HistoryLevel, before: number, maxRows: number): number {
    const d = KINDS[kind];
    const name = table(kind, level);
    let gone = 0;
    if (level === 'minute' || !d.id) {
      // Keyed by time first: delete up to the time of the maxRows-th oldest row, one range at a time.
      for (;;) {
        const first = stmt(`SELECT t FROM ${name} WHERE t < ? ORDER BY t LIMIT 1`).pluck().get(before) as number | undefined;
        if (first === undefined) return gone;
        const edge = stmt(`SELECT t FROM ${name} WHERE t < ? ORDER BY t LIMIT 1 OFFSET ?`).pluck().get(before, maxRows) as number | undefined;
        const upTo = edge === undefined ? before : Math.max(edge, first + 1);
        gone += stmt(`DELETE FROM ${name} WHERE t < ?`).run(Math.min(upTo, before)).changes;
      }
    }
    // Keyed by entity first: a few entities a transaction, each a range of its own key.
    const ids = stmt(kind === 'vm' ? 'SELECT vm_id FROM history_vms' : `SELECT DISTINCT ${d.id} FROM ${name}`).pluck().all() as (string | number)[];
    const del = stmt(`DELETE FROM ${name} WHERE ${d.id} = ? AND t < ?`);
    const perTx = Math.max(1, Math.floor(maxRows / 24));
    const run = db.transaction((part: readonly (string | number)[]) => part.reduce((n: number, id) => n + del.run(id, before).changes, 0));
    for (let i = 0; i < ids.length; i += perTx) gone += run(ids.slice(i, i + perTx));
    return gone;
  }

  /** The small integer each key (a VM's UUID, an interface's name) is stored under; new keys get one. */
  const smallIds = (tableName: string, id: string, key: string, keys: readonly string[]): Map<string, number> => {
    const get = stmt(`SELECT ${id} FROM ${tableName} WHERE ${key} = ?`).pluck();
    const add = stmt(`INSERT INTO ${tableName} (${key}) VALUES (?)`);
    return db.transaction(() => new Map(keys.map((k) => [k, (get.get(k) as number | undefined) ?? Number(add.run(k).lastInsertRowid)])))();
  };

  const toPoint = <F extends string>(d: KindDef, level: HistoryLevel, r: RawRow): SeriesPoint<F> => {
    const avg = {} as Figures<F>;
    const max = {} as Figures<F>;
    for (const f of d.figures as readonly F[]) {
      avg[f] = (level === 'minute' ? r[f] : r[`${f}_avg`]) as number | null;
      max[f] = (level === 'minute' ? r[f] : r[`${f}_max`]) as number | null;
    }
    const p: SeriesPoint<F> = { t: r.t as number, samples: level === 'minute' ? 1 : (r.samples as number), avg, max };
    if (d.up) p.upSamples = level === 'minute' ? Number(r.up) : (r.up_samples as number);
    return p;
  };
  const series = <F extends string>(kind: Kind, level: HistoryLevel, from: number, to: number, id?: string | number): SeriesPoint<F>[] => {
    const d = KINDS[kind];
    const extra = kind === 'vm' && level === 'minute' ? `, (state IN ${UP_STATES}) AS up` : '';
    const where = d.id ? `${d.id} = ? AND t >= ? AND t <= ?` : 't >= ? AND t <= ?';
    const rows = stmt(`SELECT *${extra} FROM ${table(kind, level)} WHERE ${where} ORDER BY t`).all(...(d.id ? [id] : []), from, to) as RawRow[];
    return rows.map((r) => toPoint<F>(d, level, r));
  };

  return {
    writeRound: (r: HistoryRound) => { writeRound(r); },
    /** The small id of each UUID (new UUIDs get one). */
    vmIds: (uuids: readonly string[]) => smallIds('history_vms', 'vm_id', 'vm_uuid', uuids),
    /** The small id of each interface name (new names get one). */
    nicIds: (names: readonly string[]) => smallIds('history_nics', 'nic_id', 'name', names),
    nicId: (name: string) => stmt('SELECT nic_id FROM history_nics WHERE name = ?').pluck().get(name) as number | undefined,
    vmId: (uuid: string) => stmt('SELECT vm_id FROM history_vms WHERE vm_uuid = ?').pluck().get(uuid) as number | undefined,
    /** Each VM's configuration now (its latest row). */
    latestConfigs(): Map<number, VmConfigRow> {
      const rows = stmt(`SELECT c.vm_id AS vmId, c.name, c.vcpus, c.memory_kib AS memoryKiB FROM history_vm_config c
        WHERE c.from_t = (SELECT max(from_t) FROM history_vm_config WHERE vm_id = c.vm_id)`).all() as VmConfigRow[];
      return new Map(rows.map((r) => [r.vmId, r]));
    },
    /** A VM's configuration history, oldest first. */
    configHistory: (vmId: number) => stmt('SELECT from_t AS fromT, name, vcpus, memory_kib AS memoryKiB FROM history_vm_config WHERE vm_id = ? ORDER BY from_t').all(vmId) as { fromT: number; name: string; vcpus: number; memoryKiB: number }[],
    /** The UUID of the VM that has (or last had) this name. */
    uuidByName: (name: string) => stmt(`SELECT v.vm_uuid FROM history_vm_config c JOIN history_vms v USING (vm_id) WHERE c.name = ? ORDER BY c.from_t DESC LIMIT 1`).pluck().get(name) as string | undefined,
    /** The end of the last bucket aggregated at `level`. */
    doneUntil: (level: 'hour' | 'day') => stmt('SELECT done_until FROM history_progress WHERE level = ?').pluck().get(level) as number | undefined,
    /** The oldest sample (the first hour to aggregate when none was yet). */
    firstMinute(): number | undefined {
      const ts = (Object.keys(KINDS) as Kind[]).map((k) => stmt(`SELECT min(t) FROM ${table(k, 'minute')}`).pluck().get() as number | null);
      const present = ts.filter((t): t is number => t !== null);
      return present.length ? Math.min(...present) : undefined;
    },
    /** Aggregate the bucket starting at `t` into `level` for the host, every VM and every storage domain; then mark it done. */
    rollUp(level: 'hour' | 'day', t: number, maxRows: number): number {
      let rows = 0;
      for (const kind of Object.keys(KINDS) as Kind[]) {
        const aggs = aggregate(inputs(kind, level, t), SIZE[level]);
        writeAggregates(kind, level, aggs, maxRows);
        rows += aggs.length;
      }
      stmt('INSERT INTO history_progress (level, done_until) VALUES (?, ?) ON CONFLICT (level) DO UPDATE SET done_until = excluded.done_until')
        .run(level, t + SIZE[level]);
      // The days start from the day of the first hour.
      if (level === 'hour') stmt("INSERT OR IGNORE INTO history_progress (level, done_until) VALUES ('day', ?)").run(bucketStart(t, DAY_S));
      return rows;
    },
    /** Delete what is older than each level's time; returns how many rows went. */
    prune(before: Record<HistoryLevel, number>, maxRows: number): number {
      let gone = 0;
      for (const kind of Object.keys(KINDS) as Kind[]) {
        for (const level of ['minute', 'hour', 'day'] as const) gone += pruneTable(kind, level, before[level], maxRows);
      }
      return gone;
    },
    hostSeries: (level: HistoryLevel, from: number, to: number) => series<HostFigure>('host', level, from, to),
    vmSeries: (level: HistoryLevel, vmId: number, from: number, to: number) => series<VmFigure>('vm', level, from, to, vmId),
    storageSeries: (level: HistoryLevel, domainId: string, from: number, to: number) => series<StorageFigure>('storage', level, from, to, domainId),
    nicSeries: (level: HistoryLevel, nicId: number, from: number, to: number) => series<NicFigure>('nic', level, from, to, nicId),
  };
}

export type HistoryRepo = ReturnType<typeof historyRepo>;
