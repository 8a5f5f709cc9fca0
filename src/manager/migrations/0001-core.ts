import { randomUUID } from 'node:crypto';
import type { Migration } from './index.ts';

export const core0001: Migration = {
  id: '0001-core',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE events (
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
        result TEXT CHECK (result IN ('success','failure') OR result IS NULL)
      );
      CREATE INDEX events_time ON events(time);
      CREATE INDEX events_severity ON events(severity);
      CREATE TABLE data_centers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        storage_type TEXT NOT NULL DEFAULT 'shared' CHECK (storage_type IN ('shared','local')),
        created_at TEXT NOT NULL
      );
      CREATE TABLE clusters (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        data_center_id TEXT NOT NULL REFERENCES data_centers(id),
        description TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
      );
    `);
    // As in oVirt, a "Default" data center and cluster exist from the first start.
    const now = new Date().toISOString();
    const dc = randomUUID();
    db.prepare('INSERT INTO data_centers (id, name, description, created_at) VALUES (?, ?, ?, ?)').run(dc, 'Default', 'The default Data Center', now);
    db.prepare('INSERT INTO clusters (id, name, data_center_id, description, created_at) VALUES (?, ?, ?, ?, ?)').run(randomUUID(), 'Default', dc, 'The default server cluster', now);
  },
};
