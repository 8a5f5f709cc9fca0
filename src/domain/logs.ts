// The log viewer's inputs and the rules that read a log line: which source
// (the journal, hostdeck's own log, a VM's libvirt log, a file under
// /var/log), and the filters by unit, priority, time and text. Rules only;
// whether a source exists on this host is the core's to check.
import type { FieldError, Validated } from './errors.ts';
import { SINCE_RULE, parseSince } from './duration.ts';
import { objectNameProblem } from './names.ts';

/** syslog's priorities, most severe first: the index is the number journalctl takes. */
export const PRIORITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;
export type PriorityName = (typeof PRIORITIES)[number];

export const DEFAULT_LOG_LINES = 50;
export const MAX_LOG_LINES = 100_000;
/** Where log files are read from: nothing outside it (and hostdeck's own log) is ever opened. */
export const LOG_DIR = '/var/log';
export const VM_LOG_DIR = '/var/log/libvirt/qemu';

export const SOURCE_RULE = "must be journal, hostdeck (hostdeck's own log), vm:NAME (a VM's libvirt log) or a log file named relative to /var/log (syslog, libvirt/libvirtd.log) without '..'; hostdeck logs --sources lists them";
export const UNIT_RULE = "must be a systemd unit name: letters, digits and : _ . @ \\ - only, not starting with '-', at most 256 characters (libvirtd.service, ssh)";
export const PRIORITY_RULE = `must be a syslog priority: a name (${PRIORITIES.join(', ')}) or its number 0-7; lines at it and more severe are shown`;
export const GREP_RULE = 'must be a valid regular expression (JavaScript syntax) of at most 512 characters';
export const LINES_RULE = `must be a whole number from 1 to ${MAX_LOG_LINES}`;

export type LogSourceRef =
  | { kind: 'journal' }
  | { kind: 'hostdeck' }
  | { kind: 'vm'; name: string }
  | { kind: 'file'; name: string };

export interface LogQueryInput {
  source?: string;
  unit?: string;
  priority?: string;
  since?: string;
  grep?: string;
  lines?: number | string;
}

export interface LogQuery {
  /** Undefined: the host's main log (the journal where journald runs, else the system log file). */
  source?: LogSourceRef;
  unit?: string;
  /** Lines at this priority (0-7) and more severe. */
  priority?: number;
  /** Milliseconds since the epoch. */
  since?: number;
  grep?: RegExp;
  lines: number;
}

export function sourceId(s: LogSourceRef): string {
  return s.kind === 'vm' ? `vm:${s.name}` : s.kind === 'file' ? s.name : s.kind;
}

/** A file name under /var/log as the user gives it: relative, plain segments, no way out of the directory. */
function fileNameOk(name: string): boolean {
  if (name.length > 255 || name.startsWith('/') || name.startsWith('-')) return false;
  return name.split('/').every((seg) => /^[A-Za-z0-9_][A-Za-z0-9._@+-]*$/.test(seg) && seg !== '..' && seg !== '.');
}

export function parseSource(v: string): LogSourceRef | undefined {
  if (v === 'journal' || v === 'hostdeck') return { kind: v };
  if (v.startsWith('vm:')) {
    const name = v.slice(3);
    return name && !objectNameProblem(name) && !name.includes('/') && name.length <= 200 ? { kind: 'vm', name } : undefined;
  }
  return fileNameOk(v) ? { kind: 'file', name: v } : undefined;
}

export function parsePriority(v: string): number | undefined {
  if (/^[0-7]$/.test(v)) return Number(v);
  const i = PRIORITIES.indexOf(v.toLowerCase() as PriorityName);
  return i >= 0 ? i : undefined;
}

export const unitOk = (v: string): boolean => v.length <= 256 && /^[A-Za-z0-9:_.@\\][A-Za-z0-9:_.@\\-]*$/.test(v);

export function parseGrep(v: string): RegExp | undefined {
  if (v.length > 512) return undefined;
  try {
    return new RegExp(v);
  } catch {
    return undefined;
  }
}

const got = (v: unknown) => `(got ${JSON.stringify(String(v).slice(0, 60))})`;

export function validateLogQuery(input: LogQueryInput, now: number): Validated<LogQuery> {
  const errors: FieldError[] = [];
  const bad = (field: string, rule: string, v: unknown) => errors.push({ field, message: `${field}: ${rule} ${got(v)}` });
  const source = input.source === undefined ? undefined : parseSource(input.source);
  if (input.source !== undefined && !source) bad('source', SOURCE_RULE, input.source);
  if (input.unit !== undefined && !unitOk(input.unit)) bad('unit', UNIT_RULE, input.unit);
  if (input.unit !== undefined && source && source.kind !== 'journal') bad('unit', 'applies to the journal only (a file source is chosen with source)', input.unit);
  const priority = input.priority === undefined ? undefined : parsePriority(input.priority);
  if (input.priority !== undefined && priority === undefined) bad('priority', PRIORITY_RULE, input.priority);
  const since = input.since === undefined ? undefined : parseSince(input.since, now);
  if (input.since !== undefined && since === undefined) bad('since', SINCE_RULE, input.since);
  const grep = input.grep === undefined ? undefined : parseGrep(input.grep);
  if (input.grep !== undefined && !grep) bad('grep', GREP_RULE, input.grep);
  const lines = input.lines === undefined ? DEFAULT_LOG_LINES : Number(input.lines);
  if (!Number.isInteger(lines) || lines < 1 || lines > MAX_LOG_LINES || (typeof input.lines === 'string' && !/^\d+$/.test(input.lines))) bad('lines', LINES_RULE, input.lines);
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { ...(source ? { source } : {}), ...(input.unit !== undefined ? { unit: input.unit } : {}), priority, since, grep, lines } };
}

const STAMP = /^\[?(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(Z|[+-]\d{2}:?\d{2})?/;

/**
 * The time a log line starts with (ms since the epoch): ISO 8601 as hostdeck,
 * libvirt, QEMU and rsyslog's high-precision format write it; local time when
 * it has no zone. Undefined for a line without one (a continued message).
 */
export function lineTime(text: string): number | undefined {
  const m = STAMP.exec(text);
  if (!m) return undefined;
  const frac = m[2]!.replace(/(\.\d{3})\d+$/, '$1');
  const zone = m[3] === undefined ? '' : m[3] === 'Z' ? 'Z' : m[3].length === 5 ? `${m[3].slice(0, 3)}:${m[3].slice(3)}` : m[3];
  const t = Date.parse(`${m[1]}T${frac}${zone}`);
  return Number.isFinite(t) ? t : undefined;
}

const LEVEL = /\b(emerg|emergency|alert|crit|critical|fatal|err|error|warn|warning|notice|info|debug)\b/i;
const LEVEL_PRIORITY: Record<string, number> = { emerg: 0, emergency: 0, alert: 1, crit: 2, critical: 2, fatal: 2, err: 3, error: 3, warn: 4, warning: 4, notice: 5, info: 6, debug: 7 };

/**
 * A file line's priority, from the first level word near its start (libvirt's
 * "error :", "warning :"); a line that names none counts as info, as syslog
 * files carry no priority of their own.
 */
export function linePriority(text: string): number {
  const m = LEVEL.exec(text.slice(0, 120));
  return m ? LEVEL_PRIORITY[m[1]!.toLowerCase()]! : 6;
}

/** Whether a file line passes the query's priority, time and text filters (the time only where the line has one). */
export function fileLineFilter(q: Pick<LogQuery, 'priority' | 'since' | 'grep'>): ((text: string) => boolean) | undefined {
  const { priority, since, grep } = q;
  if (priority === undefined && since === undefined && !grep) return undefined;
  const re = grep ? new RegExp(grep.source, grep.flags.replace(/[gy]/g, '')) : undefined;
  return (text) => {
    if (priority !== undefined && linePriority(text) > priority) return false;
    if (since !== undefined) { const t = lineTime(text); if (t !== undefined && t < since) return false; }
    return !re || re.test(text);
  };
}

export { SINCE_RULE, parseSince };
