// Embedded state: SQLite through better-sqlite3, WAL with synchronous=FULL,
// versioned migrations applied at start, each in its own transaction.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export type Db = Database.Database;

export const DEFAULT_DB_PATH = '/var/lib/hostdeck/hostdeck.db';

/** How long a statement waits for another connection's write lock before it fails. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Where the state DB lives: --db flag, then HOSTDECK_DB, then the default. */
export function resolveDbPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.HOSTDECK_DB || DEFAULT_DB_PATH;
}

/** The busy timeout: HOSTDECK_DB_BUSY_TIMEOUT_MS (whole milliseconds, 0 to 600000), else the default. */
export function resolveBusyTimeout(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.HOSTDECK_DB_BUSY_TIMEOUT_MS;
  if (raw === undefined) return DEFAULT_BUSY_TIMEOUT_MS;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 600_000) throw new Error(`HOSTDECK_DB_BUSY_TIMEOUT_MS: must be whole milliseconds from 0 to 600000 (got ${JSON.stringify(raw)})`);
  return n;
}

export class MigrationError extends Error {}

export interface OpenOptions {
  migrations?: readonly Migration[];
  /** Default: resolveBusyTimeout(). */
  busyTimeoutMs?: number;
}

const SIDE_FILES = ['', '-wal', '-shm'];

/**
 * The state holds CHAP secrets (sealed) and the operator's history: the file
 * and SQLite's -wal/-shm (which SQLite creates with the main file's mode) are
 * 0600, and a directory hostdeck creates is 0700. An existing directory keeps
 * its mode: it may be shared (/tmp, a home directory) and is not hostdeck's to change.
 */
function prepareFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  for (const f of SIDE_FILES.map((s) => `${path}${s}`)) {
    try {
      if (statSync(f).mode & 0o077) chmodSync(f, 0o600);
    } catch (e) {
      // Gone meanwhile, or another user's file (that user's hostdeck tightens it).
      if (!['ENOENT', 'EPERM'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
    }
  }
}

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  const onDisk = path !== ':memory:' && path !== '';
  if (onDisk) prepareFile(path);
  const db = new Database(path);
  try {
    // Before journal_mode: switching a new database to WAL needs the write lock, which a parallel first start may hold.
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? resolveBusyTimeout()}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, opts.migrations ?? MIGRATIONS);
  } catch (err) {
    const explained = explainLocked(err, db);
    db.close();
    throw explained;
  }
  return db;
}

/**
 * Apply pending migrations in order, each in its own IMMEDIATE transaction
 * (a failure leaves the schema at the last good version). Whether a migration
 * is applied is read again under the write lock: processes starting together
 * on a new database apply each migration once.
 */
export function migrate(db: Db, migrations: readonly Migration[]): string[] {
  const seen = new Set<string>();
  for (const m of migrations) {
    if (seen.has(m.id)) throw new MigrationError(`duplicate migration id ${m.id}`);
    seen.add(m.id);
  }
  const table = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
  const appliedIds = (): Set<string> => new Set(db.prepare(table).get() ? (db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]) : []);
  // Rows are never removed: what is applied without the lock stays applied, so only the rest needs it.
  const before = appliedIds();
  const applied: string[] = [];
  for (const m of migrations.filter((x) => !before.has(x.id))) {
    const step = db.transaction((): boolean => {
      db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
      if (db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?').get(m.id)) return false;
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(m.id, new Date().toISOString());
      return true;
    });
    let ran: boolean;
    try {
      ran = step.immediate();
    } catch (err) {
      if (isBusy(err)) throw err;
      throw new MigrationError(`migration ${m.id} failed and was rolled back: ${(err as Error).message}`);
    }
    if (ran) applied.push(m.id);
  }
  return applied;
}

export function isBusy(err: unknown): boolean {
  return err instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(err.code);
}

/** A statement waited longer than the busy timeout for another connection's lock. */
export class DatabaseLockedError extends Error {
  readonly path: string;
  readonly holders: LockHolder[];
  constructor(path: string, holders: LockHolder[], timeoutMs: number) {
    const who = holders.length
      ? `it is open in ${holders.map((h) => `pid ${h.pid} (${h.command})`).join(', ')}`
      : 'another hostdeck process is writing to it';
    super(`the state database ${path} is locked: ${who}, and the lock was not released within ${timeoutMs / 1000} s; try again when that has finished`);
    this.name = 'DatabaseLockedError';
    this.path = path;
    this.holders = holders;
  }
}

/** A busy/locked SQLite error as a DatabaseLockedError naming the database and what has it open; anything else as it is. */
export function explainLocked(err: unknown, db: Pick<Db, 'name' | 'pragma'> | string): unknown {
  if (!isBusy(err)) return err;
  const path = resolve(typeof db === 'string' ? db : db.name);
  let timeout = DEFAULT_BUSY_TIMEOUT_MS;
  try {
    timeout = typeof db === 'string' ? resolveBusyTimeout() : (db.pragma('busy_timeout', { simple: true }) as number);
  } catch { /* closed, or a bad setting reported elsewhere: the default */ }
  return new DatabaseLockedError(path, lockHolders(path), timeout);
}

/** A write that found no room: the file system holding the state database (or its WAL) is full. SQLite rolled the transaction back. */
export class DatabaseFullError extends Error {
  readonly path: string;
  constructor(path: string, what: string) {
    super(`${what} not written: the file system holding the state database ${path} is full (SQLite rolled the write back; the database is intact). Free space there; the next write goes through`);
    this.name = 'DatabaseFullError';
    this.path = path;
  }
}

/** SQLite's SQLITE_FULL as a DatabaseFullError saying what was not written and where; anything else as it is. */
export function explainFull(err: unknown, db: Pick<Db, 'name'>, what: string): unknown {
  return err instanceof Database.SqliteError && /^SQLITE_FULL/.test(err.code) ? new DatabaseFullError(resolve(db.name), what) : err;
}

export interface LockHolder {
  pid: number;
  command: string;
}

/**
 * Other processes with the database or its WAL open (SQLite does not say who
 * holds a lock; /proc tells who could). Empty where /proc cannot be read.
 */
export function lockHolders(path: string): LockHolder[] {
  const targets = new Set(SIDE_FILES.map((s) => `${path}${s}`));
  const out: LockHolder[] = [];
  let pids: string[];
  try { pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid); } catch { return []; }
  for (const pid of pids) {
    try {
      const fds = readdirSync(`/proc/${pid}/fd`);
      if (!fds.some((fd) => { try { return targets.has(readlinkSync(`/proc/${pid}/fd/${fd}`)); } catch { return false; } })) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').slice(0, 120);
      out.push({ pid: Number(pid), command });
    } catch {
      /* gone, or not ours to read */
    }
  }
  return out;
}

/** Key/value settings (mode, preferences) kept in the state DB. */
export function getSetting(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setSetting(db: Db, key: string, value: string | null): void {
  if (value === null) db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  else db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
