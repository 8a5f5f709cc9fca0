// The event log every mutating action writes to: who, what, on which object,
// result. Stored in the state DB; subscribers (the Events screen) are told of
// new rows as they are written.
import { randomUUID } from 'node:crypto';
import type { Db } from './db.ts';

export const SEVERITIES = ['info', 'warning', 'error', 'alert'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const CHANNELS = ['tui', 'cli', 'api', 'system'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface EventInput {
  severity?: Severity;
  source: string;
  objectType?: string;
  objectId?: string;
  message: string;
  result?: 'success' | 'failure';
  correlationId?: string;
  /** Overrides the log's default user / channel for this one event. */
  user?: string;
  channel?: Channel;
}

export interface EventRecord {
  id: number;
  time: string;
  severity: Severity;
  source: string;
  objectType: string | null;
  objectId: string | null;
  message: string;
  user: string;
  channel: Channel;
  correlationId: string | null;
  result: 'success' | 'failure' | null;
}

export interface EventQuery {
  /** Minimum severity (info < warning < error < alert). */
  minSeverity?: Severity;
  /** Case-insensitive substring over message, source and object. */
  text?: string;
  afterId?: number;
  limit?: number;
}

interface Row {
  id: number; time: string; severity: Severity; source: string; object_type: string | null; object_id: string | null;
  message: string; user: string; channel: Channel; correlation_id: string | null; result: 'success' | 'failure' | null;
}

const toRecord = (r: Row): EventRecord => ({
  id: r.id, time: r.time, severity: r.severity, source: r.source, objectType: r.object_type, objectId: r.object_id,
  message: r.message, user: r.user, channel: r.channel, correlationId: r.correlation_id, result: r.result,
});

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export class EventLog {
  private listeners = new Set<(e: EventRecord) => void>();
  private readonly insert;

  constructor(private readonly db: Db, private readonly defaults: { user: string; channel: Channel }) {
    this.insert = db.prepare(`INSERT INTO events (time, severity, source, object_type, object_id, message, user, channel, correlation_id, result)
      VALUES (@time, @severity, @source, @objectType, @objectId, @message, @user, @channel, @correlationId, @result)`);
  }

  get user(): string { return this.defaults.user; }
  get channel(): Channel { return this.defaults.channel; }

  /** A fresh correlation id to tie the events of one operation together. */
  static newCorrelationId(): string { return randomUUID(); }

  record(e: EventInput): EventRecord {
    const row = {
      time: new Date().toISOString(),
      severity: e.severity ?? (e.result === 'failure' ? 'error' : 'info'),
      source: e.source,
      objectType: e.objectType ?? null,
      objectId: e.objectId ?? null,
      message: e.message,
      user: e.user ?? this.defaults.user,
      channel: e.channel ?? this.defaults.channel,
      correlationId: e.correlationId ?? null,
      result: e.result ?? null,
    };
    const info = this.insert.run(row);
    const rec: EventRecord = { id: Number(info.lastInsertRowid), ...row, severity: row.severity as Severity };
    for (const l of this.listeners) l(rec);
    return rec;
  }

  list(q: EventQuery = {}): EventRecord[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (q.minSeverity) { where.push(`severity IN (${SEVERITIES.slice(severityRank(q.minSeverity)).map((s) => `'${s}'`).join(',')})`); }
    if (q.text) {
      where.push("(instr(lower(message), @text) > 0 OR instr(lower(source), @text) > 0 OR instr(lower(coalesce(object_id,'')), @text) > 0 OR instr(lower(coalesce(object_type,'')), @text) > 0)");
      params.text = q.text.toLowerCase();
    }
    if (q.afterId !== undefined) { where.push('id > @afterId'); params.afterId = q.afterId; }
    const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`;
    params.limit = Math.max(1, Math.min(q.limit ?? 500, 100_000));
    return (this.db.prepare(sql).all(params) as Row[]).map(toRecord);
  }

  get(id: number): EventRecord | undefined {
    const r = this.db.prepare('SELECT * FROM events WHERE id = ?').get(id) as Row | undefined;
    return r && toRecord(r);
  }

  /** Highest id in the log (to pick up rows written by other processes). */
  lastId(): number {
    return (this.db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck().get() as number) ?? 0;
  }

  subscribe(fn: (e: EventRecord) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Run a mutating action and write its event with the result. The message
   * is what was done; on failure the error text is appended.
   */
  async action<T>(meta: Omit<EventInput, 'result' | 'severity'>, fn: () => Promise<T> | T): Promise<T> {
    try {
      const v = await fn();
      this.record({ ...meta, result: 'success' });
      return v;
    } catch (err) {
      this.record({ ...meta, message: `${meta.message} failed: ${(err as Error).message}`, result: 'failure' });
      throw err;
    }
  }
}
