// Pure rules of the System screen's time settings: time zone names from the
// tz database, NTP server names, a manual time, chrony's configuration and
// what `chronyc -c` prints (sources, tracking).
import type { FieldError } from '../errors.ts';
import { targetError } from '../net/test-targets.ts';

export const TIMEZONE_RULE = 'a tz database name such as Europe/Paris or UTC (letters, digits, _ + - in parts separated by /)';
export const NTP_SERVERS_RULE = 'one to 8 NTP servers, each an IP address or a host name, no repeats';
export const MANUAL_TIME_RULE = 'YYYY-MM-DD HH:MM[:SS] in UTC, a real date between 2000 and 2099';
export const MAX_NTP_SERVERS = 8;

const TZ_RE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,3}$/;

/** Syntax of a zone name; whether the zone exists is asked of the tz database's list (zoneNames). */
export function timezoneSyntaxProblem(name: string): FieldError | undefined {
  if (!name) return { field: 'timezone', message: `timezone: is required (${TIMEZONE_RULE})` };
  if (name.length > 64 || !TZ_RE.test(name)) return { field: 'timezone', message: `timezone: ${JSON.stringify(name.slice(0, 64))} is not ${TIMEZONE_RULE}` };
  return undefined;
}

/** The zones and links of tzdata.zi ("Z name ..." and "L target name" lines), sorted. */
export function zoneNames(tzdataZi: string): string[] {
  const names = new Set<string>();
  for (const line of tzdataZi.split('\n')) {
    const f = line.split(/\s+/);
    if (f[0] === 'Z' && f[1]) names.add(f[1]);
    else if (f[0] === 'L' && f[2]) names.add(f[2]);
  }
  return [...names].filter((n) => TZ_RE.test(n)).sort();
}

/** The zone a /etc/localtime link points at (…/zoneinfo/Europe/Paris), or undefined. */
export function zoneOfLink(target: string): string | undefined {
  const m = /zoneinfo\/(.+)$/.exec(target.trim());
  return m ? m[1]!.replace(/^(posix|right)\//, '') : undefined;
}

/** The servers as typed (comma or space separated), checked. */
export function ntpServersInput(raw: readonly string[]): { servers: string[]; errors: FieldError[] } {
  const servers = raw.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  const errors: FieldError[] = [];
  if (!servers.length) errors.push({ field: 'servers', message: `servers: give ${NTP_SERVERS_RULE}` });
  if (servers.length > MAX_NTP_SERVERS) errors.push({ field: 'servers', message: `servers: ${servers.length} given; ${NTP_SERVERS_RULE}` });
  const seen = new Set<string>();
  for (const s of servers) {
    const e = targetError('servers', s);
    if (e) errors.push({ field: 'servers', message: `servers: ${s.slice(0, 40)} ${e.message}` });
    else if (seen.has(s.toLowerCase())) errors.push({ field: 'servers', message: `servers: ${s} is given twice (${NTP_SERVERS_RULE})` });
    seen.add(s.toLowerCase());
  }
  return { servers, errors };
}

/** A manual time as `date -u --set` takes it, or the rule it breaks. */
export function manualTimeInput(raw: string): { value?: string; error?: FieldError } {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(raw.trim());
  const bad = { error: { field: 'time', message: `time: ${JSON.stringify(raw.slice(0, 40))} is not ${MANUAL_TIME_RULE}` } };
  if (!m) return bad;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '00'].map(Number) as [number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (y < 2000 || y > 2099 || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return bad;
  return { value: t.toISOString().slice(0, 19).replace('T', ' ') };
}

const SOURCE_LINE = /^\s*(server|pool|peer)\s+(\S+)/;
export const CHRONY_MARK = '# NTP servers set by hostdeck (hostdeck system ntp-set); other server and pool lines were removed';

/** The server, pool and peer names chrony.conf names. */
export function chronyServers(conf: string): string[] {
  return conf.split('\n').map((l) => SOURCE_LINE.exec(l)?.[2]).filter((s): s is string => !!s);
}

/** chrony.conf with its sources replaced by `servers` (everything else kept as it was). */
export function withChronyServers(conf: string, servers: readonly string[]): string {
  const kept = conf.split('\n').filter((l) => !SOURCE_LINE.test(l) && l !== CHRONY_MARK);
  while (kept.length && kept[kept.length - 1] === '') kept.pop();
  return `${[...kept, '', CHRONY_MARK, ...servers.map((s) => `server ${s} iburst`)].join('\n')}\n`;
}

export interface NtpSource {
  name: string;
  /** server, peer or a local reference clock. */
  mode: 'server' | 'peer' | 'refclock';
  /** selected (synchronised to it), combined, not combined, unreachable, false ticker, too variable, or unusable. */
  state: 'selected' | 'combined' | 'not-combined' | 'unreachable' | 'falseticker' | 'too-variable' | 'unusable';
  stratum: number;
  reach: number;
  /** The last sample's offset, seconds (positive: the local clock is behind). */
  offsetS: number;
  errorS: number;
}

const STATE: Record<string, NtpSource['state']> = { '*': 'selected', '+': 'combined', '-': 'not-combined', '?': 'unreachable', x: 'falseticker', '~': 'too-variable' };

/** `chronyc -c -N sources`: one CSV line per source. */
export function parseChronySources(csv: string): NtpSource[] {
  return csv.split('\n').filter((l) => l.includes(',')).map((l) => {
    const f = l.split(',');
    return {
      name: f[2] ?? '',
      mode: f[0] === '=' ? 'peer' : f[0] === '#' ? 'refclock' : 'server',
      state: STATE[f[1] ?? ''] ?? 'unusable',
      stratum: Number(f[3]),
      reach: parseInt(f[5] ?? '0', 8) || 0,
      offsetS: Number(f[7]),
      errorS: Number(f[9]),
    };
  });
}

export interface NtpTracking {
  /** The source the clock follows (empty when none). */
  reference: string;
  stratum: number;
  /** How far the system clock is from true time now, seconds (positive: ahead). */
  offsetS: number;
  synchronised: boolean;
  leap: string;
}

/** `chronyc -c tracking`: one CSV line. */
export function parseChronyTracking(csv: string): NtpTracking | undefined {
  const f = csv.trim().split(',');
  if (f.length < 14) return undefined;
  const leap = f[13] ?? '';
  return { reference: f[1] ?? '', stratum: Number(f[2]), offsetS: Number(f[4]), leap, synchronised: f[0] !== '00000000' && !/not synchronised/i.test(leap) };
}

/** An offset for people: µs, ms or s. */
export function formatOffset(s: number): string {
  const a = Math.abs(s);
  const sign = s < 0 ? '-' : '+';
  if (a < 1e-3) return `${sign}${Math.round(a * 1e6)} µs`;
  if (a < 1) return `${sign}${(a * 1e3).toFixed(1)} ms`;
  return `${sign}${a.toFixed(2)} s`;
}
