import type { Migration } from './index.ts';

// Notifications (issue #18): subscriptions (events by source and least
// severity to a syslog, mail or webhook channel) with their delivery counts;
// the dispatcher's cursor in the event log (one row: the last event it
// looked at, so events written by any process are sent once, across service
// restarts); and the deliveries waiting for their next attempt.
export const notifications0017: Migration = {
  id: '0017-notifications',
  up(db) {
    db.exec(`
      CREATE TABLE notification_subscriptions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel TEXT NOT NULL CHECK (channel IN ('syslog', 'mail', 'webhook')),
        target TEXT NOT NULL,
        source TEXT NOT NULL,
        min_severity TEXT NOT NULL CHECK (min_severity IN ('info', 'warning', 'error', 'alert')),
        created_at TEXT NOT NULL,
        -- Events up to this id were written before the subscription: not sent.
        after_event_id INTEGER NOT NULL,
        delivered INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        dead_letter INTEGER NOT NULL DEFAULT 0,
        failing INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        last_error_at TEXT
      );
      CREATE TABLE notification_cursor (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        last_event_id INTEGER NOT NULL
      );
      CREATE TABLE notification_queue (
        subscription_id INTEGER NOT NULL REFERENCES notification_subscriptions(id) ON DELETE CASCADE,
        event_id INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL,
        PRIMARY KEY (subscription_id, event_id)
      );
    `);
  },
};
