import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseLockedError, getSetting, migrate, MigrationError, openDatabase, resolveBusyTimeout, resolveDbPath, setSetting, DEFAULT_DB_PATH } from '../../src/manager/db.ts';
import { MIGRATIONS } from '../../src/manager/migrations/index.ts';
import { EventLog } from '../../src/manager/events.ts';
import { createConnectionService } from '../../src/core/storage-connections.ts';
import { testDoor } from '../lib/door.ts';

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

  it('a new database, its WAL and shared-memory files are 0600 in a 0700 directory, whatever the umask lets through', () => {
    const t = tmp();
    const old = process.umask(0o022);
    try {
      const dir = join(dirname(t.path), 'new', 'deeper');
      const path = join(dir, 'state.db');
      const db = openDatabase(path);
      db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
      const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
      assert.equal(mode(dirname(dir)), '700');
      assert.equal(mode(dir), '700');
      assert.deepEqual([path, `${path}-wal`, `${path}-shm`].map(mode), ['600', '600', '600']);
      db.close();
    } finally { process.umask(old); t.done(); }
  });

  it('an existing database file readable by others is made 0600; an existing directory keeps its mode (it may be shared)', () => {
    const t = tmp();
    const old = process.umask(0o022);
    try {
      const dir = dirname(t.path);
      chmodSync(dir, 0o755);
      writeFileSync(t.path, '', { mode: 0o644 });
      const db = openDatabase(t.path);
      db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
      const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
      assert.deepEqual([t.path, `${t.path}-wal`, `${t.path}-shm`].map(mode), ['600', '600', '600']);
      assert.equal(mode(dir), '755');
      db.close();
    } finally { process.umask(old); t.done(); }
  });

  it('a write lock held past the busy timeout is reported with the database path and what has it open', () => {
    const t = tmp();
    try {
      const holder = openDatabase(t.path);
      holder.exec('BEGIN IMMEDIATE');
      const db = openDatabase(t.path, { busyTimeoutMs: 50 });
      const log = new EventLog(db, { user: 'alice', channel: 'cli' });
      assert.throws(() => log.record({ source: 'test', message: 'x' }), (e: Error) =>
        e instanceof DatabaseLockedError && e.path === t.path
        && e.message.startsWith(`the state database ${t.path} is locked: another hostdeck process is writing to it, and the lock was not released within 0.05 s; try again`));
      holder.exec('ROLLBACK');
      holder.close();
      db.close();
    } finally { t.done(); }
  });

  it('HOSTDECK_DB_BUSY_TIMEOUT_MS: whole milliseconds, else refused naming it', () => {
    assert.equal(resolveBusyTimeout({}), 5000);
    assert.equal(resolveBusyTimeout({ HOSTDECK_DB_BUSY_TIMEOUT_MS: '250' }), 250);
    for (const bad of ['', '-1', '1.5', '10s', '600001']) assert.throws(() => resolveBusyTimeout({ HOSTDECK_DB_BUSY_TIMEOUT_MS: bad }), /^Error: HOSTDECK_DB_BUSY_TIMEOUT_MS: must be whole milliseconds/);
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

  it('action() records the attempt before it runs, then its success or failure with the same correlation id', async () => {
    const log = new EventLog(openDatabase(':memory:'), { user: 'alice', channel: 'cli' });
    let seenWhileRunning: (string | null)[] = [];
    assert.equal(await log.action({ source: 'vm', objectType: 'vm', objectId: 'db1', message: 'Start VM db1' }, async () => {
      seenWhileRunning = log.list().map((e) => e.result);
      return 42;
    }), 42);
    assert.deepEqual(seenWhileRunning, ['started'], 'an action killed while it runs still shows as started');
    await assert.rejects(log.action({ source: 'vm', objectType: 'vm', objectId: 'db1', message: 'Stop VM db1' }, async () => { throw new Error('domain is not running'); }), /not running/);
    const [fail, stopStarted, ok, started] = log.list();
    assert.deepEqual([started!.result, ok!.result, stopStarted!.result, fail!.result], ['started', 'success', 'started', 'failure']);
    assert.equal(started!.message, 'Start VM db1: started');
    assert.equal(ok!.message, 'Start VM db1');
    assert.equal(fail!.message, 'Stop VM db1 failed: domain is not running');
    assert.equal(started!.correlationId, ok!.correlationId);
    assert.equal(stopStarted!.correlationId, fail!.correlationId);
    assert.notEqual(started!.correlationId, fail!.correlationId);
  });

  it('a change and its event commit together: when the event cannot be written, the change is not there either', async () => {
    const db = openDatabase(':memory:');
    const log = new EventLog(db, { user: 'alice', channel: 'cli' });
    db.exec('CREATE TABLE things (name TEXT)');
    // Stands in for a process killed or a disk filling up between the change and its event.
    db.exec("CREATE TEMP TRIGGER no_success BEFORE INSERT ON events WHEN NEW.result = 'success' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    await assert.rejects(log.change({ source: 'test', message: 'Add thing a' }, ({ commit }) => commit(() => db.prepare("INSERT INTO things VALUES ('a')").run())), /disk I\/O error/);
    assert.equal(db.prepare('SELECT count(*) FROM things').pluck().get(), 0);
    db.exec('DROP TRIGGER no_success');
    await log.change({ source: 'test', message: 'Add thing b' }, ({ commit }) => commit(() => db.prepare("INSERT INTO things VALUES ('b')").run()));
    assert.deepEqual(db.prepare('SELECT name FROM things').pluck().all(), ['b']);
    assert.deepEqual(log.list().map((e) => `${e.result} ${e.message}`), ['success Add thing b', 'failure Add thing a failed: disk I/O error'], 'a change records no started event');
  });

  it('storage connection add: the row and its event are one transaction', async () => {
    const db = openDatabase(':memory:');
    const events = new EventLog(db, { user: 'alice', channel: 'cli' });
    const runner = { run: async () => { throw new Error('adding a connection runs no program'); } };
    const svc = createConnectionService({ runner, db, door: testDoor(events), keyFile: ':unused:' });
    db.exec("CREATE TEMP TRIGGER no_success BEFORE INSERT ON events WHEN NEW.result = 'success' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    await assert.rejects(svc.add({ type: 'localfs', path: '/srv/images' }), /disk I\/O error/);
    assert.deepEqual(svc.list(), [], 'no connection without its event');
  });
});
