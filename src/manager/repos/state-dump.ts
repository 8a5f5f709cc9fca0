// Every table of the state DB as JSON lines, for a support bundle: a column
// that holds a secret (CHAP secrets sealed, anything a secret's name names)
// is left out, and a setting whose key names a secret has its value
// replaced. Oldest row first, so cutting a long table keeps its newest rows.
import { isSecretKey, REDACTED } from '../../domain/redact.ts';
import type { Db } from '../db.ts';

const withheld = (column: string) => column.endsWith('_sealed') || isSecretKey(column);

/** The names of hostdeck's tables (not SQLite's own). */
export function stateTables(db: Db): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
}

/** One table's rows, one JSON object a line, without its secrets. */
export function tableJsonLines(db: Db, table: string): string {
  if (!stateTables(db).includes(table)) throw new Error(`no table ${table} in the state DB`);
  const lines: string[] = [];
  for (const row of db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).iterate() as Iterable<Record<string, unknown>>) {
    const kept = Object.fromEntries(Object.entries(row).filter(([k]) => !withheld(k)));
    if (table === 'settings' && typeof kept.key === 'string' && isSecretKey(kept.key)) kept.value = REDACTED;
    lines.push(JSON.stringify(kept));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
