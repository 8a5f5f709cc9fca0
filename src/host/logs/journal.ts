// The systemd journal through journalctl (run by the runner, every user value
// as an option's value: `--unit=NAME`, never a word journalctl could read as
// an option of its own), one JSON object per entry.
import { access } from 'node:fs/promises';
import { runOk, spawnStream } from '../../exec/runner.ts';

/** journald's socket: present while systemd-journald runs. */
export const JOURNAL_SOCKET = '/run/systemd/journal/socket';

export interface JournalQuery { unit?: string; priority?: number; since?: number; until?: number; grep?: RegExp; lines?: number }
export interface JournalLine { time?: number; priority?: number; text: string }

export const journaldRuns = (socket = JOURNAL_SOCKET): Promise<boolean> => access(socket).then(() => true, () => false);

const seconds = (ms: number) => `@${Math.floor(ms / 1000)}`;

export function journalArgs(q: JournalQuery, follow = false): string[] {
  const a = ['--no-pager', '--quiet', '--output=json'];
  if (q.lines !== undefined) a.push(`--lines=${q.lines}`);
  if (q.unit !== undefined) a.push(`--unit=${q.unit}`);
  if (q.priority !== undefined) a.push(`--priority=${q.priority}`);
  if (q.since !== undefined) a.push(`--since=${seconds(q.since)}`);
  if (q.until !== undefined) a.push(`--until=${seconds(q.until)}`);
  if (q.grep) a.push(`--grep=${q.grep.source}`, ...(q.grep.flags.includes('i') ? ['--case-sensitive=false'] : []));
  if (follow) a.push('--follow');
  return a;
}

const field = (v: unknown): string => (Array.isArray(v) ? Buffer.from(v as number[]).toString('utf8') : typeof v === 'string' ? v : '');

/** One entry of `journalctl -o json` as a line: "TIME IDENT[PID]: MESSAGE". */
export function journalLine(json: string): JournalLine | undefined {
  let e: Record<string, unknown>;
  try { e = JSON.parse(json) as Record<string, unknown>; } catch { return undefined; }
  const us = Number(field(e.__REALTIME_TIMESTAMP));
  const time = Number.isFinite(us) && us > 0 ? Math.floor(us / 1000) : undefined;
  const ident = field(e.SYSLOG_IDENTIFIER) || field(e._COMM) || field(e._SYSTEMD_UNIT) || 'journal';
  const pid = field(e._PID);
  const pr = Number(field(e.PRIORITY));
  const stamp = time !== undefined ? new Date(time).toISOString() : '-';
  return { time, ...(Number.isInteger(pr) ? { priority: pr } : {}), text: `${stamp} ${ident}${pid ? `[${pid}]` : ''}: ${field(e.MESSAGE)}` };
}

export async function readJournal(q: JournalQuery): Promise<JournalLine[]> {
  const r = await runOk('journalctl', journalArgs(q), { timeoutMs: 60_000 });
  return r.stdout.split('\n').flatMap((l) => { const x = l ? journalLine(l) : undefined; return x ? [x] : []; });
}

/** New entries as journald writes them (`journalctl --follow --lines=0`); returns the function that stops it. */
export function followJournal(q: JournalQuery, onLine: (l: JournalLine) => void): () => void {
  const s = spawnStream('journalctl', journalArgs({ ...q, lines: 0 }, true), (l) => { const x = journalLine(l); if (x) onLine(x); });
  s.done.catch(() => undefined);
  return s.kill;
}
