// The event log every mutating action writes to: who, what, on which object,
// result. Stored in the state DB; subscribers (the Events screen) are told of
// new rows as they are written.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { DatabaseLockedError, explainLocked, type Db } from './db.ts';

export const SEVERITIES = ['info', 'warning', 'error', 'alert'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const CHANNELS = ['tui', 'cli', 'api', 'system'] as const;
export type Channel = (typeof CHANNELS)[number];
/** started: an action with an effect outside the state DB began; its success or failure follows with the same correlation id. */
export const RESULTS = ['started', 'success', 'failure'] as const;
export type EventResult = (typeof RESULTS)[number];

export interface EventInput {
  severity?: Severity;
  source: string;
  objectType?: string;
  objectId?: string;
  message: string;
  result?: EventResult;
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
  result: EventResult | null;
}

export interface EventQuery {
  /** Minimum severity (info < warning < error < alert). */
  minSeverity?: Severity;
  /** Case-insensitive substring over message, source and object. */
  text?: string;
  afterId?: number;
  /** Only events at or after this time (ISO 8601, UTC as the log writes it). */
  since?: string;
  /** Only events of this source ('alert': the alerts raised and cleared). */
  source?: string;
  limit?: number;
}

interface Row {
  id: number; time: string; severity: Severity; source: string; object_type: string | null; object_id: string | null;
  message: string; user: string; channel: Channel; correlation_id: string | null; result: EventResult | null;
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
    const rec = this.write(e);
    this.notify(rec);
    return rec;
  }

  /** Insert without telling subscribers (inside a transaction they hear of it after the commit). */
  private write(e: EventInput): EventRecord {
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
    let info: Database.RunResult;
    try {
      info = this.insert.run(row);
    } catch (err) {
      throw explainLocked(err, this.db);
    }
    return { id: Number(info.lastInsertRowid), ...row, severity: row.severity as Severity };
  }

  private notify(rec: EventRecord): void {
    for (const l of this.listeners) l(rec);
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
    if (q.since !== undefined) { where.push('time >= @since'); params.since = q.since; }
    if (q.source !== undefined) { where.push('source = @source'); params.source = q.source; }
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
   * An action whose effect is outside the state DB (libvirt, the network,
   * iscsiadm, files on storage): a 'started' event is written before it runs,
   * so an action killed half-way still shows; its success or failure follows
   * with the same correlation id. A state-DB change that records the outcome
   * goes through scope.commit, which writes it together with the success event.
   */
  action<T>(meta: ActionMeta, fn: (scope: ActionScope) => Promise<T> | T): Promise<T> {
    return this.run(meta, fn, true);
  }

  /**
   * An action whose effect is in the state DB only: fn's scope.commit writes
   * the change and its success event in one transaction (a change never
   * commits without its event). Checks before the commit that refuse the
   * action are recorded as its failure.
   */
  change<T>(meta: ActionMeta, fn: (scope: ActionScope) => Promise<T> | T): Promise<T> {
    return this.run(meta, fn, false);
  }

  /**
   * A state-DB change and the event it calls for, in one IMMEDIATE
   * transaction: write runs, then eventOf(its result) is inserted unless it
   * says there is nothing to tell. Subscribers hear of the event after the commit.
   */
  recordChange<R>(write: () => R, eventOf: (r: R) => EventInput | undefined): R {
    let rec: EventRecord | undefined;
    let value: R;
    try {
      value = this.db.transaction(() => {
        const r = write();
        const e = eventOf(r);
        if (e) rec = this.write(e);
        return r;
      }).immediate();
    } catch (err) {
      throw explainLocked(err, this.db);
    }
    if (rec) this.notify(rec);
    return value;
  }

  private async run<T>(meta: ActionMeta, fn: (scope: ActionScope) => Promise<T> | T, attempt: boolean): Promise<T> {
    const m: EventInput = { ...meta, correlationId: meta.correlationId ?? EventLog.newCorrelationId() };
    if (attempt) this.record({ ...m, severity: undefined, message: `${meta.message}: started`, result: 'started' });
    let committed = false;
    const scope: ActionScope = {
      correlationId: m.correlationId!,
      commit: (write) => {
        if (committed) throw new Error(`${meta.message}: an action commits once`);
        const value = this.recordChange(write, () => ({ ...m, result: 'success' }));
        committed = true;
        return value;
      },
    };
    try {
      const v = await fn(scope);
      // Nothing to change in the state DB (the effect was elsewhere, or there was nothing to do).
      if (!committed) this.record({ ...m, result: 'success' });
      return v;
    } catch (err) {
      // A locked database would refuse the failure event too (after another wait).
      if (!(err instanceof DatabaseLockedError)) this.record({ ...m, severity: undefined, message: `${meta.message} failed: ${(err as Error).message}`, result: 'failure' });
      throw err;
    }
  }
}

/** severity: the success event's (the started event is info, a failure an error). */
export type ActionMeta = Omit<EventInput, 'result'>;

export interface ActionScope {
  /** Shared by the action's events (the caller's, else a new one). */
  readonly correlationId: string;
  /** Run write (synchronous state-DB statements) and insert the success event in one IMMEDIATE transaction; once per action. */
  commit<R>(write: () => R): R;
}
