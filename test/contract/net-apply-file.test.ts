// `hostdeck net apply-file` with big files, run as the built program on this
// machine (its network configuration is only read; nothing is applied): a
// 20,000-line file stages completely and in file order, and SIGKILLs at
// random points of a run leave either none of the file staged or all of it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { bigNetFile, stagedAs } from '../lib/net-file.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
// A private build (inside the repository, so node_modules resolve): a rebuild of dist/ by someone else cannot break the test.
const DIST = join(ROOT, `.cache/net-apply-file-dist-${process.pid}`);
const LINES = 20_000;
const KILLS = 20;

function run(args: string[], killAfterMs?: number): Promise<{ code: number | null; killed: boolean; ms: number; err: string }> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [join(DIST, 'hostdeck.mjs'), ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOSTDECK_LOG: '/dev/null' } });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => { err += c; });
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, killed: signal === 'SIGKILL', ms: Date.now() - t0, err }); });
  });
}

/** The staged set, one "route TO" or "hostname NAME" per change, in staging order; the database checked whole. */
function staged(dbPath: string): string[] {
  let db: Database.Database;
  try { db = new Database(dbPath, { fileMustExist: true }); } catch { return []; }
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    const has = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'net_staged'").pluck().get() as number;
    if (!has) return [];
    return (db.prepare('SELECT change FROM net_staged ORDER BY id').pluck().all() as string[]).map(stagedAs);
  } finally {
    db.close();
  }
}

describe('net apply-file with big files (built program, this machine read only)', () => {
  let dir = '';
  const file = bigNetFile(LINES);
  let fullRunMs = 0;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hostdeck-netfile-'));
    writeFileSync(join(dir, 'net.txt'), file.text);
    const b = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--outdir', DIST], { stdio: 'inherit' });
    assert.equal(b.status, 0, 'build failed');
  });
  after(() => {
    rmSync(DIST, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  test(`a ${LINES}-line file stages completely, in file order`, async () => {
    const db = join(dir, 'whole.db');
    const r = await run(['net', 'apply-file', join(dir, 'net.txt'), '--db', db]);
    assert.equal(r.code, 0, r.err);
    fullRunMs = r.ms;
    assert.deepEqual(staged(db), file.expected);
    // Not a terminal: no progress counter in the output.
    assert.doesNotMatch(r.err, /staging|\r/);
  });

  test(`SIGKILL at ${KILLS} random points: the staged set is empty or the whole file, never part of it`, async () => {
    const db = join(dir, 'kills.db');
    const outcome = { none: 0, whole: 0, completed: 0 };
    for (let i = 0; i < KILLS; i++) {
      // Anywhere from the start to a little past a full run; half of them in its second half, where the staging is.
      const span = fullRunMs || 5000;
      const at = i % 2 ? span * (0.5 + Math.random() * 0.6) : span * Math.random() * 1.1;
      const r = await run(['net', 'apply-file', join(dir, 'net.txt'), '--db', db], Math.round(at));
      if (!r.killed) { assert.equal(r.code, 0, r.err); outcome.completed++; }
      const now = staged(db);
      if (now.length === 0) outcome.none++;
      else {
        assert.equal(now.length, file.expected.length, `kill ${i + 1} at ${Math.round(at)} ms left ${now.length} of ${file.expected.length} changes staged`);
        assert.deepEqual(now, file.expected);
        outcome.whole++;
        const d = new Database(db);
        d.prepare('DELETE FROM net_staged').run();
        d.close();
      }
    }
    console.log(`# net apply-file kills: ${KILLS} runs, ${KILLS - outcome.completed} killed; staged set afterwards: none ${outcome.none}, whole file ${outcome.whole}, part of it 0`);
  });
});
