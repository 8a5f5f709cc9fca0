// The history store's rules (issue #18), as the oVirt warehouse keeps its
// history: samples every minute kept a day, hourly aggregates (average and
// maximum) kept 60 days, daily ones kept 5 years. Times are whole seconds
// since the epoch; an hour or a day is a UTC bucket [start, start + size).
// An aggregate is made only from the samples present: a gap (the service was
// down) or a figure unknown after a restart (no earlier counter to take a
// rate from, stored as null) adds nothing, and each aggregate carries how
// many samples it stands for. No I/O.

export const MINUTE_S = 60;
export const HOUR_S = 3600;
export const DAY_S = 86_400;

export type HistoryLevel = 'minute' | 'hour' | 'day';

/** How long each level is kept. */
export interface HistoryRetention { minuteHours: number; hourDays: number; dayYears: number }

export const DEFAULT_RETENTION: HistoryRetention = { minuteHours: 24, hourDays: 60, dayYears: 5 };

/** The settings: environment variable, field, and the range it must be in. */
const RETENTION_VARS: readonly [string, keyof HistoryRetention, number, number][] = [
  ['HOSTDECK_HISTORY_MINUTE_HOURS', 'minuteHours', 1, 24 * 31],
  ['HOSTDECK_HISTORY_HOUR_DAYS', 'hourDays', 1, 3660],
  ['HOSTDECK_HISTORY_DAY_YEARS', 'dayYears', 1, 100],
];

/** The retention from the environment (unset: the default); a bad value throws naming the variable and its rule. */
export function resolveHistoryRetention(env: NodeJS.ProcessEnv = process.env): HistoryRetention {
  const r = { ...DEFAULT_RETENTION };
  for (const [name, field, min, max] of RETENTION_VARS) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) throw new Error(`${name}: must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
    r[field] = n;
  }
  return r;
}

/** The start of the bucket of `size` seconds that `t` falls in. */
export const bucketStart = (t: number, size: number): number => t - (((t % size) + size) % size);

/** How long each level is kept, in seconds. */
export function keepSeconds(r: HistoryRetention): Record<HistoryLevel, number> {
  return { minute: r.minuteHours * HOUR_S, hour: r.hourDays * DAY_S, day: r.dayYears * 365 * DAY_S };
}

/**
 * Rows older than these times (seconds) are pruned at `now`: what is past
 * each level's retention, but never a row not yet rolled up into the next
 * level (`done`: the end of the last hour and day aggregated).
 */
export function pruneBefore(now: number, r: HistoryRetention, done: { hour?: number; day?: number }): Record<HistoryLevel, number> {
  const keep = keepSeconds(r);
  return {
    minute: Math.min(now - keep.minute, done.hour ?? -Infinity),
    hour: Math.min(bucketStart(now - keep.hour, HOUR_S), done.day ?? -Infinity),
    day: bucketStart(now - keep.day, DAY_S),
  };
}

/**
 * The buckets to aggregate at `now`: those from `doneUntil` (the end of the
 * last one aggregated; none yet: the bucket of the first sample) that have
 * ended. A bucket still running waits: its later samples would be missed.
 */
export function completedBuckets(doneUntil: number | undefined, firstSample: number | undefined, now: number, size: number): number[] {
  const from = doneUntil ?? (firstSample === undefined ? undefined : bucketStart(firstSample, size));
  if (from === undefined) return [];
  const out: number[] = [];
  for (let b = from; b + size <= now; b += size) out.push(b);
  return out;
}

/**
 * The level a series from..to (seconds) is read from: the finest one that
 * still holds that whole range at `now`. A minute's slack: a range of exactly
 * a level's retention, asked for a second before `now` ticks on (a chart's
 * last day), stays at that level instead of flipping to the coarser one.
 */
export function levelFor(from: number, now: number, r: HistoryRetention): HistoryLevel {
  const keep = keepSeconds(r);
  if (now - from <= keep.minute + MINUTE_S) return 'minute';
  if (now - from <= keep.hour + MINUTE_S) return 'hour';
  return 'day';
}

/**
 * One row going into an aggregate: an entity's key, its time, how many
 * samples it stands for (1 for a minute sample) and its figures: `values`
 * (a sample's figures, or an aggregate's averages) and, for an aggregate
 * being rolled up, `maxes` in the same order. null: not known.
 */
export interface AggregateInput<K> {
  key: K;
  t: number;
  samples: number;
  values: readonly (number | null)[];
  maxes?: readonly (number | null)[];
}

export interface Aggregate<K> {
  key: K;
  /** The bucket's start. */
  t: number;
  /** Samples it stands for. */
  samples: number;
  /** Per figure: the average over the samples that had it (weighted by what each input stands for), or null. */
  avg: (number | null)[];
  max: (number | null)[];
}

/** Aggregates of `rows` per key and bucket of `size` seconds, in the order their first rows come. */
export function aggregate<K>(rows: Iterable<AggregateInput<K>>, size: number): Aggregate<K>[] {
  const acc = new Map<string, { a: Aggregate<K>; sum: number[]; weight: number[] }>();
  for (const r of rows) {
    const t = bucketStart(r.t, size);
    const id = `${String(r.key)}\u0000${t}`;
    let e = acc.get(id);
    if (!e) {
      const n = r.values.length;
      e = { a: { key: r.key, t, samples: 0, avg: new Array<number | null>(n).fill(null), max: new Array<number | null>(n).fill(null) }, sum: new Array<number>(n).fill(0), weight: new Array<number>(n).fill(0) };
      acc.set(id, e);
    }
    e.a.samples += r.samples;
    r.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      e.sum[i]! += v * r.samples;
      e.weight[i]! += r.samples;
      const m = r.maxes?.[i] ?? v;
      if (m !== null && (e.a.max[i] === null || m > e.a.max[i]!)) e.a.max[i] = m;
    });
  }
  return [...acc.values()].map(({ a, sum, weight }) => ({ ...a, avg: sum.map((s, i) => (weight[i] ? s / weight[i]! : null)) }));
}

/** `items` in consecutive pieces of at most `size` (the bounded transactions of aggregation and pruning). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What is wrong with a series' range (seconds since the epoch) at `now`: from a time, to a later one, not in the far future. */
export function rangeProblems(from: number, to: number, now: number): { field: string; message: string }[] {
  const errs: { field: string; message: string }[] = [];
  const time = (field: string, v: number) => {
    if (!Number.isInteger(v) || v < 0) errs.push({ field, message: `${field}: must be a time in whole seconds since 1970 (got ${String(v)})` });
  };
  time('from', from);
  time('to', to);
  if (!errs.length && from > to) errs.push({ field: 'from', message: 'from: must not be after to' });
  if (!errs.length && to > now + DAY_S) errs.push({ field: 'to', message: 'to: must not be more than a day in the future' });
  return errs;
}
