import type { Migration } from './index.ts';

// Events of an action with an effect outside the state DB: 'started' before
// it runs, then its success or failure with the same correlation id. SQLite
// cannot change a CHECK constraint in place, so the table is copied into a new
// one (ids kept) and the indexes made again, with one on the correlation id.
export const eventAttempts0005: Migration = {
  id: '0005-event-attempts',
  up(db) {
    db.exec(`
      CREATE TABLE events_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('info','warning','error','alert')),
        source TEXT NOT NULL,
        object_type TEXT,
        object_id TEXT,
        message TEXT NOT NULL,
        user TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('tui','cli','api','system')),
        correlation_id TEXT,
        result TEXT CHECK (result IN ('started','success','failure') OR result IS NULL)
      );
      INSERT INTO events_new (id, time, severity, source, object_type, object_id, message, user, channel, correlation_id, result)
        SELECT id, time, severity, source, object_type, object_id, message, user, channel, correlation_id, result FROM events;
      DROP TABLE events;
      ALTER TABLE events_new RENAME TO events;
      CREATE INDEX events_time ON events(time);
      CREATE INDEX events_severity ON events(severity);
      CREATE INDEX events_correlation ON events(correlation_id);
    `);
  },
};
