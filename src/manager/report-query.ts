// Ad hoc SQL on the state database, read-only by SQLite's own means (README
// "Reports: read-only SQL"). SQLite has no users, so nothing can be granted
// per user; what holds is, in the query's own process:
//  - the file is opened with SQLITE_OPEN_READONLY (better-sqlite3 `readonly`):
//    the engine refuses every write to it, whatever pragma the query sets;
//  - `PRAGMA query_only = ON` refuses writes to temporary and attached databases;
//  - better-sqlite3 keeps SQLite's defensive mode on (writable_schema has no effect)
//    and refuses load_extension from SQL;
//  - prepare() takes exactly one statement, and it runs only when SQLite says it
//    returns rows (sqlite3_column_count > 0) and does not write (sqlite3_stmt_readonly):
//    ATTACH, DETACH, VACUUM INTO, CREATE TEMP and setting pragmas return no rows,
//    INSERT … RETURNING and writing pragmas are not read-only;
//  - the process is killed at the time limit: a SQLite statement cannot be
//    interrupted from JavaScript (a worker thread's terminate() waits for it), a process can.
import { createRequire } from 'node:module';
import { run } from '../exec/runner.ts';
import { InvalidInputError } from '../domain/errors.ts';
import type { ReportQuery } from '../domain/report-sql.ts';
import type { Db } from './db.ts';

export interface QueryResult {
  columns: string[];
  rows: unknown[][];
  /** More rows were there than the row limit. */
  truncated: boolean;
}

/** The query ran longer than its time limit and its process was killed. */
export class QueryTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the query was stopped after ${timeoutMs / 1000} s, its time limit (give a larger --timeout, or narrow the query)`);
    this.name = 'QueryTimeoutError';
  }
}

type ChildAnswer = { ok: true; columns: string[]; rows: unknown[][]; truncated: boolean } | { ok: false; kind: 'refused' | 'error'; message: string };

// The query's process: CommonJS given to `node -e`, its input (module path, DB path, SQL, limit) on stdin, its answer on stdout as JSON.
const CHILD = `(function main() {
  const q = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
  const say = (o) => process.stdout.write(JSON.stringify(o));
  const cell = (v) => (Buffer.isBuffer(v) ? "x'" + v.toString('hex') + "'" : typeof v === 'bigint' ? String(v) : v);
  let db;
  try {
    const Database = require(q.module);
    db = new Database(q.path, { readonly: true, fileMustExist: true, timeout: q.busyTimeoutMs });
    db.pragma('query_only = ON');
    let stmt;
    try {
      stmt = db.prepare(q.sql);
    } catch (e) {
      if (e instanceof RangeError) return say({ ok: false, kind: 'refused', message: 'it holds more than one statement: give one SELECT' });
      throw e;
    }
    if (!stmt.reader) return say({ ok: false, kind: 'refused', message: 'it returns no rows, so it is not a query (only SELECT, WITH … SELECT, VALUES or a PRAGMA that reads may run; ATTACH, VACUUM, CREATE, INSERT, UPDATE, DELETE and setting a pragma may not)' });
    if (!stmt.readonly) return say({ ok: false, kind: 'refused', message: 'SQLite says it writes to the database (only statements that read may run)' });
    const columns = stmt.columns().map((c) => c.name);
    stmt.raw(true);
    const rows = [];
    let truncated = false;
    for (const r of stmt.iterate()) {
      if (rows.length >= q.limitRows) { truncated = true; break; }
      rows.push(r.map(cell));
    }
    say({ ok: true, columns, rows, truncated });
  } catch (e) {
    say({ ok: false, kind: 'error', message: String((e && e.message) || e) });
  } finally {
    if (db) db.close();
  }
})();`;

/** Run one read-only query on the database file at `path` in a process of its own, stopped at the time limit. */
export async function runReadOnlyQuery(path: string, q: ReportQuery, busyTimeoutMs: number): Promise<QueryResult> {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const input = JSON.stringify({ module, path, sql: q.sql, limitRows: q.limitRows, busyTimeoutMs });
  const r = await run(process.execPath, ['-e', CHILD], { input, timeoutMs: q.timeoutMs, processGroup: true });
  if (r.timedOut) throw new QueryTimeoutError(q.timeoutMs);
  let answer: ChildAnswer;
  try {
    answer = JSON.parse(r.stdout) as ChildAnswer;
  } catch {
    throw new Error(`the query's process ended without an answer (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-2).join(' | ') || 'no message'}`);
  }
  if (answer.ok) return { columns: answer.columns, rows: answer.rows, truncated: answer.truncated };
  // Not one statement that only reads: nothing ran.
  if (answer.kind === 'refused') throw new InvalidInputError([{ field: 'sql', message: `SQL: not run: ${answer.message}` }]);
  throw new Error(answer.message);
}

export interface ViewInfo {
  name: string;
  columns: string[];
}

/** The report views (v1_…) and their columns, from the schema itself. */
export function reportViews(db: Db): ViewInfo[] {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'view' AND name GLOB 'v[0-9]*_*' ORDER BY name").pluck().all() as string[];
  return names.map((name) => ({ name, columns: (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(name) as string[]) }));
}
