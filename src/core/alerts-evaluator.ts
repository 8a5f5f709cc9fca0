// The alert evaluator: one round takes what the readings saw (alert-readings.ts),
// judges each object against its threshold (a storage domain's or network's own
// setting, else the global one, else the default) and moves each alert's state
// one step (src/domain/alerts.ts). The states live in the state DB; a raise or a
// clear and its event commit in one transaction, so a service killed between
// rounds neither raises an alert twice nor loses one. The events are hostdeck's
// own work: they name the system principal, source 'alert', the object's type and id.
import {
  judge, raiseSeverity, step, THRESHOLDS, type AlertState, type Observation, type Threshold, type ThresholdDef,
} from '../domain/alerts.ts';
import type { Db } from '../manager/db.ts';
import type { EventLog } from '../manager/events.ts';
import { alertRepo, type AlertRow, type ScopeType, type ThresholdRow } from '../manager/repos/alerts.ts';
import type { Reading, Readings } from './alert-readings.ts';
import { systemPrincipal } from './principal.ts';

export const ALERT_SOURCE = 'alert';

/** The scope type a rule's thresholds may be set for (storage domain, network), by the object it watches. */
export const scopeTypeOf = (def: ThresholdDef): ScopeType | undefined => def.scopes[0];

/** The threshold that applies to one object: its scope's setting, else the global one, else the default. */
export function effectiveThreshold(def: ThresholdDef, rows: readonly ThresholdRow[], objectId?: string): Threshold & { scope: string } {
  const st = scopeTypeOf(def);
  const own = st && objectId !== undefined ? rows.find((r) => r.name === def.name && r.scopeType === st && r.scopeId === objectId) : undefined;
  const global = rows.find((r) => r.name === def.name && r.scopeType === 'global');
  const r = own ?? global;
  return r ? { name: def.name, value: r.value ?? def.value, forMinutes: r.forMinutes, scope: own ? `${st}:${objectId}` : 'global' } : { name: def.name, value: def.value, forMinutes: def.forMinutes, scope: 'default' };
}

const UNIT: Record<string, string> = { percent: ' %', GiB: ' GiB', days: ' days' };
/** A threshold in words: "over 95 % for 5 min". */
export function describeThreshold(def: ThresholdDef, th: Threshold): string {
  const window = `for ${th.forMinutes} min`;
  if (def.unit === 'state' || th.value === null) return window;
  if (def.unit === 'days') return `within ${th.value}${UNIT.days}`;
  return `${def.direction === 'above' ? 'over' : 'below'} ${th.value}${UNIT[def.unit]} ${window}`;
}

function observe(def: ThresholdDef, th: Threshold, r: Reading): Observation | undefined {
  const message = `${r.objectName}: ${r.text}`;
  if (def.unit === 'state') return r.bad === undefined ? undefined : { over: r.bad, clearable: !r.bad, message };
  if (r.figure === undefined || th.value === null) return undefined;
  return { ...judge(def, th.value, r.figure), figure: r.figure, message };
}

const keyOf = (rule: string, objectType: string, objectId: string) => `${rule}\u0000${objectType}\u0000${objectId}`;
const same = (a: AlertState, b: AlertState) => a.phase === b.phase && a.since === b.since && a.raisedAt === b.raisedAt && a.figure === b.figure && a.message === b.message;

export interface RoundResult { raised: AlertRow[]; cleared: AlertRow[]; open: number }

/** One round over `readings` at `now` (seconds since the epoch). */
export function evaluateRound(db: Db, events: EventLog, readings: Readings, now: number): RoundResult {
  const repo = alertRepo(db);
  const rows = repo.thresholds();
  const states = new Map(repo.states().map((s) => [keyOf(s.rule, s.objectType, s.objectId), s]));
  const who = systemPrincipal('system');
  const out: RoundResult = { raised: [], cleared: [], open: 0 };

  const apply = (def: ThresholdDef, about: { objectType: string; objectId: string; objectName: string }, obs: Observation | undefined, th: Threshold) => {
    const key = keyOf(def.name, about.objectType, about.objectId);
    const prev = states.get(key);
    states.delete(key);
    const { next, transition } = step(prev, obs, now, th.forMinutes * 60);
    const base = { rule: def.name, objectType: about.objectType, objectId: about.objectId, objectName: about.objectName, level: def.level };
    const event = { source: ALERT_SOURCE, objectType: about.objectType, objectId: about.objectId, user: who.user, channel: who.channel };
    if (transition === 'raise' && next) {
      const row: AlertRow = { ...base, ...next };
      events.recordChange(() => repo.save(row), () => ({ ...event, severity: raiseSeverity(def.level), message: `Alert ${def.name} (${def.level}) raised: ${next.message} (threshold: ${describeThreshold(def, th)})` }));
      out.raised.push(row);
    } else if (transition === 'clear' && prev) {
      const row: AlertRow = { ...base, ...prev };
      const back = obs?.message ?? `${about.objectName}: no longer watched`;
      events.recordChange(() => repo.remove(row), () => ({ ...event, severity: 'info', message: `Alert ${def.name} cleared: ${back} (raised ${new Date((prev.raisedAt ?? prev.since) * 1000).toISOString()})` }));
      out.cleared.push(row);
    } else if (!next && prev) repo.remove({ ...base });
    else if (next && (!prev || !same(prev, next))) repo.save({ ...base, ...next });
    if (next && next.phase !== 'pending') out.open++;
  };

  for (const def of THRESHOLDS) {
    const readingsOf = readings.get(def.name);
    if (!readingsOf) continue;
    for (const r of readingsOf) {
      const th = effectiveThreshold(def, rows, r.objectId);
      apply(def, r, observe(def, th, r), th);
    }
    // Objects of a read rule no longer seen (a VM removed, a domain detached): back to normal.
    for (const s of [...states.values()].filter((x) => x.rule === def.name)) {
      apply(def, s, { over: false, clearable: true, message: `${s.objectName}: no longer watched` }, effectiveThreshold(def, rows, s.objectId));
    }
  }
  // Rules not read this round keep their open alerts.
  out.open += [...states.values()].filter((s) => s.phase !== 'pending').length;
  return out;
}
