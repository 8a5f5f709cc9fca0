// The built-in reports (issue #18): their names and scopes, the rules of a
// report's time range and scope, the computations on the history rows a
// report reads (averages weighted by the samples each row stands for, peaks,
// over-commit, availability, a least-squares forecast of a storage domain
// filling up) and the result's shape: tables and charts, rendered as a
// console table, CSV, JSON or HTML by the front ends. No I/O.
import type { FieldError, Validated } from './errors.ts';
import { DAY_S, HOUR_S, MINUTE_S, rangeProblems } from './history-aggregate.ts';

export const SCOPE_KINDS = ['host', 'cluster', 'vm', 'storage'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export const BUILTIN_REPORTS = [
  { name: 'host-utilisation', title: 'Host resource utilisation', scopes: ['host', 'cluster'], description: 'CPU and memory averages and peaks of this host, and the vCPUs and memory given to its VMs beside the host\'s (over-commit)' },
  { name: 'top-vms', title: 'Top VMs', scopes: ['host', 'cluster', 'vm'], description: 'The VMs using the most CPU, memory, disk and network (averages and peaks over the range)' },
  { name: 'vm-availability', title: 'VM uptime and availability', scopes: ['host', 'cluster', 'vm'], description: 'For each VM: the time it ran and the share of the sampled time it was up' },
  { name: 'storage-usage', title: 'Storage domain usage and forecast', scopes: ['host', 'storage'], description: 'Used and free space of each storage domain, and when it fills at the rate of the range (a least-squares line)' },
  { name: 'inventory', title: 'Inventory', scopes: ['host', 'cluster', 'vm'], description: 'VMs with their template, cluster, disks (of their template), owner (a pool\'s user) and vCPUs and memory' },
  { name: 'events', title: 'Events summary', scopes: ['host', 'cluster', 'vm', 'storage'], description: 'Events of the range counted by severity and by object' },
] as const satisfies readonly { name: string; title: string; scopes: readonly ScopeKind[]; description: string }[];
export type ReportName = (typeof BUILTIN_REPORTS)[number]['name'];

export const REPORT_OUTPUT_FORMATS = ['table', 'csv', 'json', 'html'] as const;
export type ReportOutputFormat = (typeof REPORT_OUTPUT_FORMATS)[number];

export const TIME_RULE = 'must be an ISO date or time (2026-01-31, 2026-01-31T12:00:00Z), `now`, or a time before now like 7d, 12h, 30m, 2w';
export const SCOPE_RULE = `must be host, or KIND:NAME with KIND one of ${SCOPE_KINDS.filter((k) => k !== 'host').join(', ')}`;
export const OUTPUT_RULE = 'must be the absolute path of a new file (an existing file is not replaced)';
/** A report reads at most this far back (the day aggregates are kept 5 years by default). */
export const RANGE_MAX_DAYS = 366 * 10;

export interface Scope { kind: ScopeKind; name?: string }
export interface ReportRequest { name: ReportName; from: number; to: number; scope: Scope }
export interface ReportRequestInput { name: string; from?: string; to?: string; scope?: string }

const UNIT_S: Record<string, number> = { m: MINUTE_S, h: HOUR_S, d: DAY_S, w: 7 * DAY_S };
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A time as given on the command line or in the form, in seconds since the epoch; undefined when it is none of the forms of TIME_RULE. */
export function parseReportTime(text: string, now: number): number | undefined {
  const s = text.trim();
  if (s === 'now') return now;
  const rel = /^(\d{1,6})([mhdw])$/.exec(s);
  if (rel) return now - Number(rel[1]) * UNIT_S[rel[2]!]!;
  if (!ISO.test(s)) return undefined;
  // A date or a time without a zone is UTC, as the history's buckets are.
  const withZone = /[T ]\d{2}:\d{2}/.test(s) && !/(Z|[+-]\d{2}:?\d{2})$/.test(s) ? `${s.replace(' ', 'T')}Z` : s.replace(' ', 'T');
  const ms = Date.parse(withZone);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** The scope text (host, or KIND:NAME) as a scope; undefined when it breaks SCOPE_RULE. */
export function parseScope(text: string | undefined): Scope | undefined {
  if (text === undefined || text === '' || text === 'host') return { kind: 'host' };
  const i = text.indexOf(':');
  if (i < 1) return undefined;
  const kind = text.slice(0, i) as ScopeKind;
  const name = text.slice(i + 1);
  if (!SCOPE_KINDS.includes(kind) || kind === 'host' || !name || name.length > 255 || /\p{Cc}/u.test(name)) return undefined;
  return { kind, name };
}

export const reportByName = (name: string) => BUILTIN_REPORTS.find((r) => r.name === name);

/** A report request checked: its name, range (default: the last 7 days) and scope, each broken rule named by its field. */
export function validateReportRequest(input: ReportRequestInput, now: number): Validated<ReportRequest> {
  const errors: FieldError[] = [];
  const def = reportByName(input.name);
  if (!def) errors.push({ field: 'name', message: `name: the report must be one of ${BUILTIN_REPORTS.map((r) => r.name).join(', ')} (got ${JSON.stringify(String(input.name).slice(0, 80))})` });
  const time = (field: 'from' | 'to', text: string | undefined, fallback: number) => {
    if (text === undefined || text === '') return fallback;
    const t = parseReportTime(text, now);
    if (t === undefined) errors.push({ field, message: `${field}: ${TIME_RULE} (got ${JSON.stringify(text.slice(0, 80))})` });
    return t;
  };
  const from = time('from', input.from, now - 7 * DAY_S);
  const to = time('to', input.to, now);
  if (from !== undefined && to !== undefined) {
    errors.push(...rangeProblems(from, to, now));
    if (!errors.length && to - from > RANGE_MAX_DAYS * DAY_S) errors.push({ field: 'from', message: `from: the range must be at most ${RANGE_MAX_DAYS} days` });
  } else if (to !== undefined) {
    // from was not understood: to's own rule (not in the far future) is still said.
    errors.push(...rangeProblems(to, to, now).filter((e) => e.field === 'to'));
  }
  const scope = parseScope(input.scope);
  if (!scope) errors.push({ field: 'scope', message: `scope: ${SCOPE_RULE} (got ${JSON.stringify(String(input.scope).slice(0, 80))})` });
  else if (def && !(def.scopes as readonly ScopeKind[]).includes(scope.kind)) {
    errors.push({ field: 'scope', message: `scope: report ${def.name} takes a scope of ${def.scopes.join(', ')} (got ${scope.kind})` });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { name: def!.name, from: from!, to: to!, scope: scope! } };
}

// ---- the result -----------------------------------------------------------

export type Cell = string | number | null;
export interface ReportColumn { id: string; title: string; unit?: string }
export interface ReportTable { title: string; columns: ReportColumn[]; rows: Record<string, Cell>[] }
export interface ReportChart { title: string; unit: string; series: { label: string; points: { t: number; v: number }[] }[] }
export interface ReportResult {
  name: ReportName;
  title: string;
  from: number;
  to: number;
  /** The history level read: minute samples, hour or day aggregates. */
  level: string;
  scope: Scope;
  tables: ReportTable[];
  charts: ReportChart[];
  notes: string[];
}

export const scopeText = (s: Scope) => (s.kind === 'host' ? 'this host' : `${s.kind} ${s.name}`);

// ---- computations -----------------------------------------------------------

/** A history row's figure: the samples it stands for, its average and its peak (null: not known). */
export interface Weighted { samples: number; avg: number | null; max: number | null }

/** The average over the rows weighted by the samples each stands for, and the peak; null when no row knows the figure. */
export function summarise(rows: readonly Weighted[]): { avg: number | null; max: number | null } {
  let sum = 0;
  let weight = 0;
  let max: number | null = null;
  for (const r of rows) {
    if (r.avg !== null && Number.isFinite(r.avg)) { sum += r.avg * r.samples; weight += r.samples; }
    if (r.max !== null && Number.isFinite(r.max) && (max === null || r.max > max)) max = r.max;
  }
  return { avg: weight ? sum / weight : null, max };
}

/** Given over had: the ratio (1.5: half as much again as the host has); null when the host's figure is not known. */
export const overcommit = (given: number, had: number | null | undefined): number | null => (had ? given / had : null);

/** The share of samples in which a VM was up, in percent; null without samples. */
export const availabilityPct = (samples: number, upSamples: number): number | null => (samples > 0 ? (100 * upSamples) / samples : null);

/** The least-squares line through the points (t in seconds): slope per second and the value at t = 0; undefined for fewer than two distinct times. */
export function leastSquares(points: readonly { t: number; v: number }[]): { slope: number; intercept: number } | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  // Centred on the first time: epoch seconds squared lose precision.
  const t0 = points[0]!.t;
  let st = 0; let sv = 0; let stt = 0; let stv = 0;
  for (const p of points) { const t = p.t - t0; st += t; sv += p.v; stt += t * t; stv += t * p.v; }
  const den = n * stt - st * st;
  if (den === 0) return undefined;
  const slope = (n * stv - st * sv) / den;
  return { slope, intercept: (sv - slope * st) / n - slope * t0 };
}

/** When a domain of `capacity` bytes fills at the used bytes' least-squares rate: a time, or 'not filling' when flat or shrinking, or undefined with too few points. */
export function fillForecast(used: readonly { t: number; v: number }[], capacity: number): number | 'not filling' | undefined {
  const fit = leastSquares(used);
  if (!fit) return undefined;
  // A slope under a byte a day is flat (rounding of stored averages).
  if (fit.slope * DAY_S < 1) return 'not filling';
  return Math.ceil((capacity - fit.intercept) / fit.slope);
}

/** The first `n` rows by `key` (largest first; unknown last), ties by name. */
export function topBy<T extends { name: string }>(rows: readonly T[], key: (r: T) => number | null, n: number): T[] {
  return [...rows].sort((a, b) => (key(b) ?? -Infinity) - (key(a) ?? -Infinity) || a.name.localeCompare(b.name)).slice(0, n);
}

/** A number rounded to `digits` decimals for a report's cell; null stays null. */
export const round = (v: number | null | undefined, digits = 1): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v * 10 ** digits) / 10 ** digits);

/** Seconds since the epoch as UTC ISO text without milliseconds. */
export const isoTime = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
