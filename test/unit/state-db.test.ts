import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { getSetting, migrate, MigrationError, openDatabase, resolveDbPath, setSetting, DEFAULT_DB_PATH } from '../../src/manager/db.ts';
import { MIGRATIONS } from '../../src/manager/migrations/index.ts';
import { EventLog } from '../../src/manager/events.ts';

function tmp() {
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-db-'));
  return { path: join(dir, 'state.db'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('state database', () => {
  it('opens in WAL mode with synchronous=FULL and every migration applied', () => {
    const t = tmp();
    try {
      const db = openDatabase(t.path);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('synchronous', { simple: true }), 2);
      const ids = db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all();
      assert.deepEqual(ids, MIGRATIONS.map((m) => m.id).sort());
      assert.equal(db.prepare("SELECT count(*) FROM data_centers WHERE name = 'Default'").pluck().get(), 1);
      db.close();
      // Opening again applies nothing twice.
      const again = openDatabase(t.path);
      assert.equal(again.prepare("SELECT count(*) FROM data_centers WHERE name = 'Default'").pluck().get(), 1);
      again.close();
    } finally { t.done(); }
  });

  it('a failing migration is rolled back whole and the schema stays at the last good version', () => {
    const t = tmp();
    try {
      const db = new Database(t.path);
      const good = { id: 'a', up: (d: Database.Database) => d.exec('CREATE TABLE a (x INTEGER)') };
      const bad = { id: 'b', up: (d: Database.Database) => { d.exec('CREATE TABLE b (x INTEGER)'); d.exec('INSERT INTO nope VALUES (1)'); } };
      assert.throws(() => migrate(db, [good, bad]), (e: Error) => e instanceof MigrationError && /migration b failed and was rolled back/.test(e.message));
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").pluck().all();
      assert.deepEqual(tables, ['a', 'schema_migrations']);
      assert.deepEqual(db.prepare('SELECT id FROM schema_migrations').pluck().all(), ['a']);
      // Fixed, the next start completes it.
      migrate(db, [good, { id: 'b', up: (d: Database.Database) => d.exec('CREATE TABLE b (x INTEGER)') }]);
      assert.deepEqual(db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all(), ['a', 'b']);
      db.close();
    } finally { t.done(); }
  });

  it('rejects duplicate migration ids', () => {
    const db = new Database(':memory:');
    const m = { id: 'x', up: () => undefined };
    assert.throws(() => migrate(db, [m, m]), /duplicate migration id x/);
  });

  it('path: --db flag, then HOSTDECK_DB, then the documented default', () => {
    assert.equal(resolveDbPath('/a.db', { HOSTDECK_DB: '/b.db' }), '/a.db');
    assert.equal(resolveDbPath(undefined, { HOSTDECK_DB: '/b.db' }), '/b.db');
    assert.equal(resolveDbPath(undefined, {}), DEFAULT_DB_PATH);
  });

  it('settings round-trip and delete', () => {
    const db = openDatabase(':memory:');
    setSetting(db, 'mode', 'standalone');
    assert.equal(getSetting(db, 'mode'), 'standalone');
    setSetting(db, 'mode', null);
    assert.equal(getSetting(db, 'mode'), undefined);
  });
});

describe('event log', () => {
  it('records who, what, which object, result and channel; lists newest first with filters', () => {
    const db = openDatabase(':memory:');
    const log = new EventLog(db, { user: 'alice', channel: 'tui' });
    const seen: string[] = [];
    log.subscribe((e) => seen.push(e.message));
    const cid = EventLog.newCorrelationId();
    log.record({ source: 'vm', objectType: 'vm', objectId: 'web1', message: 'VM web1 started', result: 'success', correlationId: cid });
    log.record({ source: 'network', objectType: 'bond', objectId: 'bond0', message: 'bond0 apply rolled back', result: 'failure', channel: 'cli', user: 'bob' });
    log.record({ source: 'storage', message: 'domain data1 unreachable', severity: 'alert' });
    const all = log.list();
    assert.deepEqual(all.map((e) => e.message), ['domain data1 unreachable', 'bond0 apply rolled back', 'VM web1 started']);
    assert.equal(all[2]!.user, 'alice');
    assert.equal(all[2]!.channel, 'tui');
    assert.equal(all[2]!.correlationId, cid);
    assert.equal(all[1]!.severity, 'error', 'a failure without a severity is an error');
    assert.equal(all[1]!.channel, 'cli');
    assert.deepEqual(log.list({ minSeverity: 'error' }).map((e) => e.objectId ?? e.source), ['storage', 'bond0']);
    assert.deepEqual(log.list({ text: 'WEB1' }).map((e) => e.objectId), ['web1']);
    assert.deepEqual(seen, ['VM web1 started', 'bond0 apply rolled back', 'domain data1 unreachable']);
    assert.equal(log.lastId(), 3);
  });

  it('action() writes the result of a mutating call, success or failure', async () => {
    const log = new EventLog(openDatabase(':memory:'), { user: 'alice', channel: 'cli' });
    assert.equal(await log.action({ source: 'vm', objectType: 'vm', objectId: 'db1', message: 'Start VM db1' }, async () => 42), 42);
    await assert.rejects(log.action({ source: 'vm', objectType: 'vm', objectId: 'db1', message: 'Stop VM db1' }, async () => { throw new Error('domain is not running'); }), /not running/);
    const [fail, ok] = log.list();
    assert.equal(ok!.result, 'success');
    assert.equal(fail!.result, 'failure');
    assert.equal(fail!.message, 'Stop VM db1 failed: domain is not running');
  });
});
