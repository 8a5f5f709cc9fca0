// Notification subscriptions' rows, the dispatcher's cursor in the event log
// and the deliveries waiting for an attempt.
import type { Subscription } from '../../domain/notifications.ts';
import type { Db } from '../db.ts';

export interface SubscriptionRow extends Subscription {
  id: number;
  createdAt: string;
  afterEventId: number;
  delivered: number;
  /** Failed attempts (each retry that failed counts). */
  failed: number;
  /** Deliveries given up after the last attempt. */
  deadLetter: number;
  /** The last attempt failed (a failure streak is going on). */
  failing: boolean;
  lastError: string | null;
  lastErrorAt: string | null;
  /** Deliveries waiting for their next attempt. */
  queued: number;
}

export interface MatchableEvent { id: number; severity: Subscription['minSeverity']; source: string; objectType: string | null; objectId: string | null; channel: string }

export interface QueuedDelivery { subscriptionId: number; eventId: number; attempts: number; nextAt: number }

interface Row {
  id: number; channel: Subscription['channel']; target: string; source: string; min_severity: Subscription['minSeverity']; created_at: string;
  after_event_id: number; delivered: number; failed: number; dead_letter: number; failing: number; last_error: string | null; last_error_at: string | null; queued: number;
}

const toSub = (r: Row): SubscriptionRow => ({
  id: r.id, channel: r.channel, target: r.target, source: r.source, minSeverity: r.min_severity, createdAt: r.created_at, afterEventId: r.after_event_id,
  delivered: r.delivered, failed: r.failed, deadLetter: r.dead_letter, failing: r.failing === 1, lastError: r.last_error, lastErrorAt: r.last_error_at, queued: r.queued,
});

const SELECT = `SELECT s.*, (SELECT count(*) FROM notification_queue q WHERE q.subscription_id = s.id) AS queued FROM notification_subscriptions s`;

export function notificationRepo(db: Db) {
  return {
    list: (): SubscriptionRow[] => (db.prepare(`${SELECT} ORDER BY s.id`).all() as Row[]).map(toSub),
    get: (id: number): SubscriptionRow | undefined => {
      const r = db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as Row | undefined;
      return r && toSub(r);
    },
    /** A new subscription: it gets the events written after now. */
    add: (s: Subscription): number => Number(db.prepare(`INSERT INTO notification_subscriptions (channel, target, source, min_severity, created_at, after_event_id)
      VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(id), 0) FROM events))`).run(s.channel, s.target, s.source, s.minSeverity, new Date().toISOString()).lastInsertRowid),
    remove: (id: number) => { db.prepare('DELETE FROM notification_subscriptions WHERE id = ?').run(id); },

    /**
     * The last event the dispatcher looked at. The first call starts it where
     * the oldest subscription began (each gets only what was written after it
     * was added), or at the log's end: no flood of old events.
     */
    cursor: (): number => {
      const c = db.prepare('SELECT last_event_id FROM notification_cursor WHERE one = 1').pluck().get() as number | undefined;
      if (c !== undefined) return c;
      db.prepare('INSERT OR IGNORE INTO notification_cursor (one, last_event_id) VALUES (1, coalesce((SELECT min(after_event_id) FROM notification_subscriptions), (SELECT max(id) FROM events), 0))').run();
      return db.prepare('SELECT last_event_id FROM notification_cursor WHERE one = 1').pluck().get() as number;
    },
    /** Queue the deliveries of a batch of events and move the cursor past it, in one transaction. */
    enqueue: (deliveries: readonly { subscriptionId: number; eventId: number }[], cursor: number, now: number) => {
      // A subscription removed since the batch was matched gets nothing.
      const put = db.prepare(`INSERT OR IGNORE INTO notification_queue (subscription_id, event_id, attempts, next_at)
        SELECT @s, @e, 0, @now WHERE EXISTS (SELECT 1 FROM notification_subscriptions WHERE id = @s)`);
      db.transaction(() => {
        for (const d of deliveries) put.run({ s: d.subscriptionId, e: d.eventId, now });
        db.prepare('UPDATE notification_cursor SET last_event_id = ? WHERE one = 1').run(cursor);
      }).immediate();
    },
    /** A subscription's first waiting deliveries, oldest event first. */
    pending: (subscriptionId: number, limit: number): QueuedDelivery[] =>
      (db.prepare('SELECT subscription_id AS subscriptionId, event_id AS eventId, attempts, next_at AS nextAt FROM notification_queue WHERE subscription_id = ? ORDER BY event_id LIMIT ?')
        .all(subscriptionId, limit) as QueuedDelivery[]),
    /** A delivery done (call inside a transaction); returns whether a failure streak ended with it. */
    delivered: (d: QueuedDelivery): boolean => {
      const was = db.prepare('SELECT failing FROM notification_subscriptions WHERE id = ?').pluck().get(d.subscriptionId) === 1;
      db.prepare('DELETE FROM notification_queue WHERE subscription_id = ? AND event_id = ?').run(d.subscriptionId, d.eventId);
      db.prepare('UPDATE notification_subscriptions SET delivered = delivered + 1, failing = 0 WHERE id = ?').run(d.subscriptionId);
      return was;
    },
    /**
     * A failed attempt (call inside a transaction): retried at `nextAt`, or
     * (no next attempt) counted as a dead letter. Returns whether a failure
     * streak began with it.
     */
    failed: (d: QueuedDelivery, error: string, nextAt: number | undefined): boolean => {
      const was = db.prepare('SELECT failing FROM notification_subscriptions WHERE id = ?').pluck().get(d.subscriptionId) === 1;
      if (nextAt === undefined) db.prepare('DELETE FROM notification_queue WHERE subscription_id = ? AND event_id = ?').run(d.subscriptionId, d.eventId);
      else db.prepare('UPDATE notification_queue SET attempts = attempts + 1, next_at = ? WHERE subscription_id = ? AND event_id = ?').run(nextAt, d.subscriptionId, d.eventId);
      db.prepare('UPDATE notification_subscriptions SET failed = failed + 1, dead_letter = dead_letter + ?, failing = 1, last_error = ?, last_error_at = ? WHERE id = ?')
        .run(nextAt === undefined ? 1 : 0, error.slice(0, 500), new Date().toISOString(), d.subscriptionId);
      return !was;
    },
    /** The events after `cursor`, oldest first, with what matching needs. */
    eventsAfter: (cursor: number, limit: number): MatchableEvent[] =>
      db.prepare('SELECT id, severity, source, object_type AS objectType, object_id AS objectId, channel FROM events WHERE id > ? ORDER BY id LIMIT ?').all(cursor, limit) as MatchableEvent[],
  };
}
