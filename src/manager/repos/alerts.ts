// The alert thresholds an administrator set and every alert's state (migration 0016).
import type { AlertLevel, AlertState } from '../../domain/alerts.ts';
import type { Db } from '../db.ts';

export type ScopeType = 'global' | 'storage-domain' | 'network';

export interface ThresholdRow { name: string; scopeType: ScopeType; scopeId: string; value: number | null; forMinutes: number; setAt: string; setBy: string }

export interface AlertKey { rule: string; objectType: string; objectId: string }
export interface AlertRow extends AlertKey, AlertState { objectName: string; level: AlertLevel }

interface RawThreshold { name: string; scope_type: ScopeType; scope_id: string; value: number | null; for_minutes: number; set_at: string; set_by: string }
interface RawAlert { rule: string; object_type: string; object_id: string; object_name: string; level: AlertLevel; phase: AlertState['phase']; since: number; raised_at: number | null; figure: number | null; message: string }

const toThreshold = (r: RawThreshold): ThresholdRow => ({ name: r.name, scopeType: r.scope_type, scopeId: r.scope_id, value: r.value, forMinutes: r.for_minutes, setAt: r.set_at, setBy: r.set_by });
const toAlert = (r: RawAlert): AlertRow => ({
  rule: r.rule, objectType: r.object_type, objectId: r.object_id, objectName: r.object_name, level: r.level,
  phase: r.phase, since: r.since, raisedAt: r.raised_at, figure: r.figure, message: r.message,
});

export function alertRepo(db: Db) {
  return {
    thresholds: () => (db.prepare('SELECT * FROM alert_thresholds ORDER BY name, scope_type, scope_id').all() as RawThreshold[]).map(toThreshold),
    setThreshold(r: Omit<ThresholdRow, 'setAt'>): void {
      db.prepare(`INSERT INTO alert_thresholds (name, scope_type, scope_id, value, for_minutes, set_at, set_by) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (name, scope_type, scope_id) DO UPDATE SET value = excluded.value, for_minutes = excluded.for_minutes, set_at = excluded.set_at, set_by = excluded.set_by`)
        .run(r.name, r.scopeType, r.scopeId, r.value, r.forMinutes, new Date().toISOString(), r.setBy);
    },
    /** Removes the setting; true when there was one. */
    resetThreshold: (name: string, scopeType: ScopeType, scopeId: string): boolean =>
      db.prepare('DELETE FROM alert_thresholds WHERE name = ? AND scope_type = ? AND scope_id = ?').run(name, scopeType, scopeId).changes > 0,
    /** Every rule's state (pending, open and clearing). */
    states: () => (db.prepare('SELECT * FROM alerts ORDER BY rule, object_type, object_id').all() as RawAlert[]).map(toAlert),
    /** The raised alerts (open or clearing), the worst first. */
    open: () => (db.prepare(`SELECT * FROM alerts WHERE phase IN ('open', 'clearing') ORDER BY level = 'critical' DESC, raised_at, rule, object_id`).all() as RawAlert[]).map(toAlert),
    save(a: AlertRow): void {
      db.prepare(`INSERT INTO alerts (rule, object_type, object_id, object_name, level, phase, since, raised_at, figure, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (rule, object_type, object_id) DO UPDATE SET object_name = excluded.object_name, level = excluded.level, phase = excluded.phase,
        since = excluded.since, raised_at = excluded.raised_at, figure = excluded.figure, message = excluded.message`)
        .run(a.rule, a.objectType, a.objectId, a.objectName, a.level, a.phase, a.since, a.raisedAt, a.figure, a.message);
    },
    remove: (k: AlertKey) => { db.prepare('DELETE FROM alerts WHERE rule = ? AND object_type = ? AND object_id = ?').run(k.rule, k.objectType, k.objectId); },
  };
}
