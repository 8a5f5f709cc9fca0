// The state database shared by separate hostdeck processes (real processes,
// real SQLite files): many first starts on a new database at once, and a
// write lock held by another process for longer than the busy timeout.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src/manager/db.ts';
import { MIGRATIONS } from '../../src/manager/migrations/index.ts';
import { insertStaged } from '../../src/manager/repos/net-staged.ts';

const root = new URL('../..', import.meta.url).pathname;
const DB_MODULE = join(root, 'src/manager/db.ts');

interface Done { code: number | null; out: string; err: string }

function collect(child: ReturnType<typeof spawn>): Promise<Done> {
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => { out += c; });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => { err += c; });
  return new Promise((resolve, reject) => { child.on('error', reject); child.on('close', (code) => resolve({ code, out, err })); });
}

describe('the state database across processes', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'hostdeck-dbproc-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('20 processes opening a new database at once: all succeed, each migration applied once', async () => {
    const path = join(dir, 'first-start', 'state.db');
    // Each process loads everything, says it is ready, and opens the database when told to: the opens overlap.
    const script = `import { openDatabase } from ${JSON.stringify(DB_MODULE)};
process.stdout.write('ready\\n');
process.stdin.once('data', () => { const db = openDatabase(${JSON.stringify(path)}); db.close(); process.stdout.write('opened\\n'); process.exit(0); });`;
    const children = Array.from({ length: 20 }, () => spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] }));
    const results = children.map(collect);
    await Promise.all(children.map((c) => new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => { if (chunk.toString().includes('ready')) { c.stdout!.off('data', onData); resolve(); } };
      c.stdout!.on('data', onData);
      c.on('close', () => resolve());
    })));
    for (const c of children) c.stdin!.write('go\n');
    const done = await Promise.all(results);
    const ok = done.filter((d) => d.code === 0 && d.out.includes('opened')).length;
    process.stdout.write(`parallel first starts: ${ok} of ${done.length} succeeded\n`);
    assert.equal(ok, 20, done.filter((d) => d.code !== 0).map((d) => d.err.trim()).join('\n'));
    const db = new Database(path, { readonly: true });
    try {
      const rows = db.prepare('SELECT id, count(*) AS n FROM schema_migrations GROUP BY id ORDER BY id').all() as { id: string; n: number }[];
      assert.deepEqual(rows, MIGRATIONS.map((m) => ({ id: m.id, n: 1 })).sort((a, b) => a.id.localeCompare(b.id)));
      assert.equal(db.prepare("SELECT count(*) FROM data_centers WHERE name = 'Default'").pluck().get(), 1, 'the first migration ran once');
    } finally { db.close(); }
  });

  test('a write lock held past the busy timeout: the CLI names the database, what has it open, and says to try again', async () => {
    const path = join(dir, 'locked', 'state.db');
    mkdirSync(join(dir, 'locked', 'images'), { recursive: true });
    const holder = openDatabase(path);
    // A staged change, so that discard has a row to delete (nothing is discarded while locked, checked below).
    insertStaged(holder, [{ op: 'hostname.set', hostname: 'lockedhost' }], 'tester', new Date().toISOString());
    holder.exec('BEGIN IMMEDIATE');
    try {
      // One action through the event log, one plain statement of a service (net discard).
      for (const args of [['storage', 'connection', 'add', 'localfs', '--path', join(dir, 'locked', 'images')], ['net', 'discard']]) {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args, '--db', path], {
          cwd: root, env: { ...process.env, HOSTDECK_DB_BUSY_TIMEOUT_MS: '300', HOSTDECK_LOG: join(dir, 'hostdeck.log') }, stdio: ['ignore', 'pipe', 'pipe'],
        });
        const r = await collect(child);
        assert.equal(r.code, 1, r.err);
        assert.match(r.err, new RegExp(`^hostdeck: the state database ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is locked: `), args.join(' '));
        assert.match(r.err, new RegExp(`it is open in pid ${process.pid} \\(`), 'the process holding the lock (this test) is named');
        assert.match(r.err, /not released within 0\.3 s; try again/);
      }
    } finally {
      holder.exec('ROLLBACK');
    }
    assert.equal(holder.prepare('SELECT count(*) FROM storage_connections').pluck().get(), 0, 'nothing was added');
    assert.equal(holder.prepare('SELECT count(*) FROM net_staged').pluck().get(), 1, 'nothing was discarded');
    holder.close();
  });
});
