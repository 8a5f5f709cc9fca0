// Read-only SQL on the real state database (SQLite through better-sqlite3):
// every statement that would write, attach or change a pragma is refused by
// SQLite, a query without end is stopped at its time limit in its own process,
// and the database file is the same afterwards.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { categoryOf } from '../../src/domain/errors.ts';
import { QueryTimeoutError } from '../../src/manager/report-query.ts';
import { consoleCore, testServices } from '../lib/services.ts';
import { scratchCli } from '../lib/cli-main.ts';

const FOREVER = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

/** The state DB's main file and its WAL, hashed: what a write would change. */
function checksum(path: string): string {
  const h = createHash('sha256');
  for (const f of [path, `${path}-wal`]) if (existsSync(f)) h.update(readFileSync(f));
  return h.digest('hex');
}

/** Processes whose parent is this test's process (a query's process left behind would be one; tsx's esbuild is another, there before). */
function children(): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return Number(readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]) === process.pid; } catch { return false; }
  }).map(Number);
}

describe('report sql on the real state database', () => {
  const s = testServices();
  const core = consoleCore(s);
  const dbPath = join(s.dir, 'state.db');
  let before0 = '';

  before(async () => {
    await core.manager.dataCenters.create({ name: 'dc-report' });
    await core.manager.clusters.create({ name: 'cl-report', dataCenter: 'dc-report' });
    before0 = checksum(dbPath);
  });
  after(() => s.cleanup());

  it('the views show the inventory made through the core: a data center and its cluster, joined by name', async () => {
    const dc = await core.reports.sql({ sql: "SELECT datacenter_name, storage_type FROM v1_datacenters WHERE datacenter_name = 'dc-report'" });
    assert.deepEqual(dc.columns, ['datacenter_name', 'storage_type']);
    assert.deepEqual(dc.rows, [['dc-report', 'shared']]);
    const cl = await core.reports.sql({ sql: "SELECT cluster_name, datacenter_name FROM v1_clusters ORDER BY cluster_name" });
    assert.deepEqual(cl.rows, [['Default', 'Default'], ['cl-report', 'dc-report']]);
    const ev = await core.reports.sql({ sql: "SELECT count(*) FROM v1_events WHERE message LIKE '%dc-report%' AND result = 'success'" });
    assert.ok(Number(ev.rows[0]![0]) >= 1, 'the data center creation is an event in v1_events');
  });

  it('report views lists every v1_ view with its columns, read from the schema', async () => {
    const views = await core.reports.views();
    const names = views.map((v) => v.name);
    for (const n of ['v1_clusters', 'v1_datacenters', 'v1_events', 'v1_host', 'v1_logical_networks', 'v1_pools', 'v1_storage_domains', 'v1_templates', 'v1_vms']) assert.ok(names.includes(n), n);
    assert.ok(views.find((v) => v.name === 'v1_storage_domains')!.columns.includes('free_bytes'));
    // Every view runs (a view over a renamed column would fail here).
    await core.reports.sql({ sql: `SELECT ${names.map((n) => `(SELECT count(*) FROM ${n})`).join(', ')}` });
  });

  const refused: [string, string, RegExp][] = [
    ['INSERT', "INSERT INTO data_centers (id, name, created_at) VALUES ('x', 'evil', 'now')", /returns no rows/],
    ['UPDATE', "UPDATE data_centers SET name = 'evil'", /returns no rows/],
    ['DELETE', 'DELETE FROM events', /returns no rows/],
    ['CREATE', 'CREATE TABLE evil (x)', /returns no rows/],
    ['CREATE TEMP', 'CREATE TEMP TABLE evil (x)', /returns no rows/],
    ['DROP', 'DROP TABLE events', /returns no rows/],
    ['ATTACH', "ATTACH ':memory:' AS evil", /returns no rows/],
    ['PRAGMA writable_schema', 'PRAGMA writable_schema = 1', /returns no rows/],
    ['PRAGMA query_only off', 'PRAGMA query_only = 0', /returns no rows/],
    ['a writing PRAGMA that returns a row', 'PRAGMA journal_mode = DELETE', /SQLite says it writes/],
    ['INSERT … RETURNING', "INSERT INTO settings (key, value) VALUES ('evil', '1') RETURNING key", /SQLite says it writes/],
    ['two statements', "SELECT 1; DELETE FROM events", /more than one statement/],
    ['a query_only switch before a write', "PRAGMA query_only = 0; DELETE FROM events", /more than one statement/],
  ];
  for (const [what, sql, why] of refused) {
    it(`${what} is refused before it runs, as invalid input saying why`, async () => {
      await assert.rejects(core.reports.sql({ sql }), (e: Error) => categoryOf(e) === 'invalid' && /^SQL: not run: /.test(e.message) && why.test(e.message));
    });
  }

  it('VACUUM INTO is refused and writes no file', async () => {
    const target = join(s.dir, 'copy.db');
    await assert.rejects(core.reports.sql({ sql: `VACUUM INTO '${target}'` }), (e: Error) => categoryOf(e) === 'invalid' && /returns no rows/.test(e.message));
    assert.equal(existsSync(target), false);
  });

  it('the connection itself refuses writes, without the statement check: opened read-only, query_only on (SQLite, as the query process opens it)', () => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      db.pragma('query_only = ON');
      assert.throws(() => db.prepare("DELETE FROM events").run(), /readonly database/);
      assert.throws(() => db.exec("ATTACH ':memory:' AS m; CREATE TABLE m.t (x)"), /readonly database|query_only|attempt to write/);
      // Even with query_only turned off by the statement, the file stays read-only.
      db.pragma('query_only = 0');
      assert.throws(() => db.prepare("UPDATE data_centers SET name = 'evil'").run(), /readonly database/);
      assert.throws(() => db.prepare("INSERT INTO settings (key, value) VALUES ('evil', '1') RETURNING key").all(), /readonly database/);
      // Defensive mode: writable_schema cannot be switched on.
      db.pragma('writable_schema = 1');
      assert.equal(db.pragma('writable_schema', { simple: true }), 0);
    } finally {
      db.close();
    }
  });

  it('a recursive query without end is stopped at the time limit, the process stays responsive and no query process is left', async () => {
    const others = children();
    let ticks = 0;
    let timer: NodeJS.Timeout;
    const tick = () => { ticks++; timer = setTimeout(tick, 50); };
    timer = setTimeout(tick, 50);
    try {
      await assert.rejects(core.reports.sql({ sql: FOREVER, timeoutS: 1 }), (e: Error) => e instanceof QueryTimeoutError && categoryOf(e) === 'failed' && /stopped after 1 s/.test(e.message));
    } finally {
      clearTimeout(timer);
    }
    assert.ok(ticks > 0, 'this process ran its timers while the query ran');
    assert.deepEqual(children().filter((p) => !others.includes(p)), []);
    // The next query runs as usual.
    assert.deepEqual((await core.reports.sql({ sql: 'SELECT 1 AS one' })).rows, [[1]]);
  });

  it('the row limit ends an endless result: the first N rows, marked truncated', async () => {
    const r = await core.reports.sql({ sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c', limitRows: 3 });
    assert.deepEqual(r, { columns: ['x'], rows: [[1], [2], [3]], truncated: true });
  });

  it('a query error (no such table) is a failure with SQLite\'s message, not invalid input', async () => {
    await assert.rejects(core.reports.sql({ sql: 'SELECT * FROM no_such_view' }), (e: Error) => categoryOf(e) === 'failed' && /no such table: no_such_view/.test(e.message));
  });

  it('bad input names the field and runs nothing', async () => {
    const invalid = (rule: RegExp) => (e: Error) => categoryOf(e) === 'invalid' && rule.test(e.message);
    await assert.rejects(core.reports.sql({ sql: '   ' }), invalid(/^SQL: must not be empty/));
    await assert.rejects(core.reports.sql({ sql: 'SELECT 1', limitRows: 0 }), invalid(/^limit: must be a whole number of rows from 1 to 100000/));
    await assert.rejects(core.reports.sql({ sql: 'SELECT 1', timeoutS: 301 }), invalid(/^timeout: must be from 1 to 300 seconds/));
  });

  it('the database file is unchanged by everything above (sha256 of the file and its WAL)', () => {
    assert.equal(checksum(dbPath), before0);
  });
});

describe('hostdeck report sql|views (the CLI on a real state database)', () => {
  const cli = scratchCli('hostdeck-report-');

  it('prints CSV with RFC 4180 quoting, JSON objects, and an aligned table', async () => {
    const sql = `SELECT 'a,b' AS "x", 'say "hi"' AS y, NULL AS z`;
    const csv = await cli.hostdeck('report', 'sql', sql, '--format', 'csv');
    assert.equal(csv.code, 0, csv.err);
    assert.equal(csv.out, 'x,y,z\n"a,b","say ""hi""",\n');
    const json = await cli.hostdeck('report', 'sql', 'SELECT datacenter_name FROM v1_datacenters', '--json');
    assert.deepEqual(JSON.parse(json.out), [{ datacenter_name: 'Default' }]);
    const table = await cli.hostdeck('report', 'sql', 'SELECT cluster_name, datacenter_name FROM v1_clusters');
    assert.deepEqual(table.out.trimEnd().split('\n'), ['CLUSTER_NAME  DATACENTER_NAME', 'Default       Default']);
  });

  it('exit 2 naming the rule for a write, empty SQL, a bad format or limit; exit 1 for a query error', async () => {
    const del = await cli.hostdeck('report', 'sql', 'DELETE FROM events');
    assert.equal(del.code, 2);
    assert.match(del.err, /SQL: not run: it returns no rows, so it is not a query/);
    const empty = await cli.hostdeck('report', 'sql', '');
    assert.equal(empty.code, 2);
    const format = await cli.hostdeck('report', 'sql', 'SELECT 1', '--format', 'xml');
    assert.equal(format.code, 2);
    assert.match(format.err, /--format: must be one of table, csv, json/);
    const limit = await cli.hostdeck('report', 'sql', 'SELECT 1', '--limit', '1.5');
    assert.equal(limit.code, 2);
    assert.match(limit.err, /--limit: must be a whole number of rows/);
    const bad = await cli.hostdeck('report', 'sql', 'SELECT FROM WHERE');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /syntax error/);
  });

  it('a truncated result says so on stderr', async () => {
    const r = await cli.hostdeck('report', 'sql', 'SELECT event_id FROM v1_events UNION ALL SELECT 1 UNION ALL SELECT 2', '--limit', '1', '--format', 'csv');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /only the first 1 rows are shown/);
  });

  it('report views --json gives each view and its columns', async () => {
    const r = await cli.hostdeck('report', 'views', '--json');
    assert.equal(r.code, 0, r.err);
    const views = JSON.parse(r.out) as { name: string; columns: string[] }[];
    assert.deepEqual(views.find((v) => v.name === 'v1_clusters')?.columns.slice(0, 2), ['cluster_id', 'cluster_name']);
  });
});
