import type { Migration } from './index.ts';

// Alerts (issue #18): alert_thresholds holds only what an administrator set
// (a rule's global value, or one storage domain's or network's); a rule
// without a row uses its default (src/domain/alerts.ts). alerts holds every
// rule's state per object — pending (over, its window not yet passed), open
// (raised), clearing (back past the clear level, its window not yet passed) —
// so a restarted host service neither raises an open alert again nor loses
// one. Times are whole seconds since the epoch.
export const alerts0016: Migration = {
  id: '0016-alerts',
  up(db) {
    db.exec(`
      CREATE TABLE alert_thresholds (
        name TEXT NOT NULL,
        scope_type TEXT NOT NULL CHECK (scope_type IN ('global', 'storage-domain', 'network')),
        scope_id TEXT NOT NULL,
        value REAL,
        for_minutes INTEGER NOT NULL CHECK (for_minutes BETWEEN 1 AND 1440),
        set_at TEXT NOT NULL,
        set_by TEXT NOT NULL,
        PRIMARY KEY (name, scope_type, scope_id)
      ) WITHOUT ROWID;
      CREATE TABLE alerts (
        rule TEXT NOT NULL,
        object_type TEXT NOT NULL,
        object_id TEXT NOT NULL,
        object_name TEXT NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('warning', 'critical')),
        phase TEXT NOT NULL CHECK (phase IN ('pending', 'open', 'clearing')),
        since INTEGER NOT NULL,
        raised_at INTEGER,
        figure REAL,
        message TEXT NOT NULL,
        PRIMARY KEY (rule, object_type, object_id)
      ) WITHOUT ROWID;
    `);
  },
};
