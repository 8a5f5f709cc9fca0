// SIGKILL at random points of three mutating CLI commands (storage connection
// add, connect, remove --disconnect of local directory connections), run as
// the built program on temporary state databases; then every change in the
// database must have its event and every success event its change. The
// figure (kills run, changes without events) is printed for the test log.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';

const ROOT = new URL('../..', import.meta.url).pathname;
// A private build (inside the repository, so node_modules resolve): a rebuild of dist/ by someone else cannot break the loop.
const DIST = join(ROOT, `.cache/kill-loop-dist-${process.pid}`);
const KILLS_WANTED = 210;
const WORKERS = 2;
const MAX_RUNS = 900;
/** A bound on a machine far slower than expected; reaching it fails the test rather than hanging it. */
const MAX_LOOP_MS = 8 * 60_000;

type Verb = 'add' | 'connect' | 'remove';

interface Figures { kills: Record<Verb, number>; completed: number }

function run(args: string[], killAfterMs: number | undefined): Promise<{ killed: boolean; code: number | null; ms: number }> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [join(DIST, 'hostdeck.mjs'), ...args], { stdio: 'ignore', env: { ...process.env, HOSTDECK_LOG: '/dev/null' } });
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ killed: signal === 'SIGKILL', code, ms: Date.now() - t0 }); });
  });
}

/** Connection names in the database now (read between runs; never while a command runs). */
function names(dbPath: string): string[] {
  try {
    const db = new Database(dbPath, { fileMustExist: true });
    try { return db.prepare('SELECT name FROM storage_connections ORDER BY name').pluck().all() as string[]; } finally { db.close(); }
  } catch {
    return []; // not created yet (the first run was killed before it)
  }
}

async function worker(dir: string, deadline: number, shared: { kills: number; runs: number }, figures: Figures): Promise<void> {
  const db = join(dir, 'state.db');
  // How long each command takes when not killed (updated as they complete): kills land anywhere from its start to its end.
  const typical: Record<Verb, number> = { add: 1500, connect: 1500, remove: 1500 };
  let next = 0;
  while (shared.kills < KILLS_WANTED && shared.runs < MAX_RUNS && Date.now() < deadline) {
    const existing = names(db);
    const r = Math.random();
    const verb: Verb = existing.length === 0 || r < 0.4 ? 'add' : r < 0.7 ? 'connect' : 'remove';
    let args: string[];
    if (verb === 'add') {
      const name = `c${next++}`;
      mkdirSync(join(dir, name), { recursive: true });
      args = ['storage', 'connection', 'add', 'localfs', '--path', join(dir, name), '--name', name];
    } else {
      const name = existing[Math.floor(Math.random() * existing.length)]!;
      args = verb === 'connect' ? ['storage', 'connection', 'connect', name] : ['storage', 'connection', 'remove', name, '--disconnect'];
    }
    // One run in four is left to finish: the state moves on and the typical time stays measured.
    const kill = Math.random() < 0.75 ? Math.floor(Math.random() * typical[verb] * 1.1) : undefined;
    shared.runs++;
    const out = await run([...args, '--db', db], kill);
    if (out.killed) {
      shared.kills++;
      figures.kills[verb]++;
    } else {
      figures.completed++;
      typical[verb] = Math.round(typical[verb] * 0.7 + out.ms * 0.3);
    }
  }
}

interface Ev { id: number; object_id: string; message: string; result: string | null; correlation_id: string | null }

/** Changes without their event, events without their change, attempts without a result. */
function audit(dbPath: string): { changesWithoutEvents: string[]; eventsWithoutChanges: string[]; startedWithoutResult: number; rows: number; events: number } {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    const rows = db.prepare('SELECT id, name, state FROM storage_connections').all() as { id: string; name: string; state: string }[];
    const events = db.prepare("SELECT id, object_id, message, result, correlation_id FROM events WHERE object_type = 'storage-connection' ORDER BY id").all() as Ev[];
    const ok = (id: string, re: RegExp) => events.filter((e) => e.object_id === id && e.result === 'success' && re.test(e.message));
    const changesWithoutEvents: string[] = [];
    for (const r of rows) {
      if (!ok(r.id, /^Add storage connection /).length) changesWithoutEvents.push(`${r.name}: stored without its add event`);
      // The state is what the last successful connect or disconnect left.
      const last = ok(r.id, /^(Connect|Disconnect) storage /).at(-1);
      const expected = last && /^Connect/.test(last.message) ? 'connected' : 'disconnected';
      if (r.state !== expected) changesWithoutEvents.push(`${r.name}: ${r.state} but its last event says ${expected}`);
    }
    const eventsWithoutChanges: string[] = [];
    const present = new Set(rows.map((r) => r.id));
    for (const e of events.filter((x) => x.result === 'success' && /^Add storage connection /.test(x.message))) {
      if (!present.has(e.object_id) && !ok(e.object_id, /^Remove storage connection /).length) eventsWithoutChanges.push(`event ${e.id}: added, but no row and no remove event`);
    }
    for (const e of events.filter((x) => x.result === 'success' && /^Remove storage connection /.test(x.message))) {
      if (present.has(e.object_id)) eventsWithoutChanges.push(`event ${e.id}: removed, but the row is there`);
    }
    const finished = new Set(events.filter((e) => e.result === 'success' || e.result === 'failure').map((e) => e.correlation_id));
    const startedWithoutResult = events.filter((e) => e.result === 'started' && !finished.has(e.correlation_id)).length;
    return { changesWithoutEvents, eventsWithoutChanges, startedWithoutResult, rows: rows.length, events: events.length };
  } finally {
    db.close();
  }
}

describe('events survive SIGKILL at any point of a mutating command', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hostdeck-kill-loop-'));
    const b = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--outdir', DIST], { stdio: 'inherit' });
    assert.equal(b.status, 0, 'build failed');
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(DIST, { recursive: true, force: true });
  });

  test(`${KILLS_WANTED} kills across add, connect and remove: 0 changes without their event`, async () => {
    const shared = { kills: 0, runs: 0 };
    const figures: Figures = { kills: { add: 0, connect: 0, remove: 0 }, completed: 0 };
    const dirs = Array.from({ length: WORKERS }, (_, i) => join(dir, `w${i}`));
    const deadline = Date.now() + MAX_LOOP_MS;
    await Promise.all(dirs.map((d) => worker(d, deadline, shared, figures)));
    const audits = dirs.map((d) => audit(join(d, 'state.db')));
    const changes = audits.flatMap((a) => a.changesWithoutEvents);
    const orphans = audits.flatMap((a) => a.eventsWithoutChanges);
    const started = audits.reduce((n, a) => n + a.startedWithoutResult, 0);
    process.stdout.write(`kill loop: ${shared.kills} SIGKILLs (add ${figures.kills.add}, connect ${figures.kills.connect}, remove ${figures.kills.remove}), `
      + `${figures.completed} runs completed, ${audits.reduce((n, a) => n + a.rows, 0)} connections and ${audits.reduce((n, a) => n + a.events, 0)} events at the end; `
      + `changes without events: ${changes.length}; success events without changes: ${orphans.length}; attempts left started by a kill: ${started}\n`);
    assert.ok(shared.kills >= 200, `only ${shared.kills} kills in ${shared.runs} runs`);
    for (const v of ['add', 'connect', 'remove'] as const) assert.ok(figures.kills[v] > 0, `no ${v} was killed`);
    assert.deepEqual(changes, []);
    assert.deepEqual(orphans, []);
    assert.ok(started <= figures.kills.connect + figures.kills.remove, `${started} attempts without a result, more than the ${figures.kills.connect + figures.kills.remove} connect/remove runs killed`);
  });
});
