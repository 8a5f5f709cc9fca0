// Durations and moments for people (an uptime, an event's time), written one way by every front end.

/** "3d 4h 5m", "4h 5m", "0m 59s": the two or three largest units that matter. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h ${m}m`;
  if (h) return `${h}h ${m}m`;
  return `${m}m ${s % 60}s`;
}

const AGE_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** What a time given as a starting point (`events list --since`) may be. */
export const SINCE_RULE = 'must be a time: an ISO date or date and time (2026-12-07, 2026-12-07T14:30, 2026-12-07 14:30:00Z; local time unless it ends in Z or an offset) or an age: a number and s, m, h, d or w (10m, 2h, 1d)';

/**
 * A point in time as people type it (as journalctl --since takes it): an ISO
 * date (its local midnight), a date and time (a space may stand for the T),
 * or an age before `now` ("10m", "2h", "1d"). Milliseconds since the epoch,
 * or undefined when `v` is none of these (SINCE_RULE says what is).
 */
export function parseSince(v: string, now: number): number | undefined {
  const age = /^(\d{1,9})([smhdw])$/.exec(v);
  if (age) return now - Number(age[1]) * AGE_SECONDS[age[2]!]! * 1000;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/.exec(v);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > days || h > 23 || mi > 59 || s > 59) return undefined;
  const t = Date.parse(m[4] === undefined ? `${v}T00:00` : v.replace(' ', 'T'));
  return Number.isFinite(t) ? t : undefined;
}

/** For a fixed-width column: a duration in at most 8 characters (59s, 12m05s, 3h07m, 12d03h). */
export function compactDuration(sec: number | undefined): string {
  if (sec === undefined || !Number.isFinite(sec)) return '-';
  const s = Math.max(0, Math.floor(sec));
  const p = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${p(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${p(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d${p(Math.floor((s % 86400) / 3600))}h`;
}

/** A moment (ISO 8601) in local time as the console lists it: "2026-12-07 13:05:09". */
export function eventTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
