// The staged network changes (table net_staged), in the order they were staged.
import type { NetChange } from '../../domain/net/model.ts';
import type { Db } from '../db.ts';

export interface StagedMark { n: number; last: number | null }

export function listStaged(db: Db): NetChange[] {
  return (db.prepare('SELECT change FROM net_staged ORDER BY id').pluck().all() as string[]).map((s) => JSON.parse(s) as NetChange);
}

/** The count and the newest row: two equal marks mean nobody staged or discarded in between. */
export function stagedMark(db: Db): StagedMark {
  return db.prepare('SELECT count(*) AS n, max(id) AS last FROM net_staged').get() as StagedMark;
}

export function insertStaged(db: Db, changes: readonly NetChange[], user: string, at: string, onRow?: (done: number) => void): void {
  const ins = db.prepare('INSERT INTO net_staged (change, user, staged_at) VALUES (?, ?, ?)');
  changes.forEach((c, i) => { ins.run(JSON.stringify(c), user, at); onRow?.(i + 1); });
}

export function clearStaged(db: Db): number {
  return db.prepare('DELETE FROM net_staged').run().changes;
}
