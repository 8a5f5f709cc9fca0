// Alerts as data: the thresholds (oVirt's defaults: a host's CPU, memory and
// swap over 95 % — LogMax*UsedThresholdInPercentage —, a storage domain below
// 10 % free as a warning and 5 GiB as critical — WarningLowSpaceIndicator,
// CriticalSpaceActionBlocker), what a threshold set must satisfy, and the one
// rule every alert follows (step): raised once its condition held for the
// window, cleared only once the object was back past a lower clear level for
// the window, so a figure wandering around the threshold raises one alert,
// not one per round. Pure: the evaluator (src/core/alerts-evaluator.ts)
// reads the figures and keeps the states in the state DB.
import type { FieldError, Validated } from './errors.ts';

export type AlertLevel = 'warning' | 'critical';
export type AlertUnit = 'percent' | 'GiB' | 'days' | 'state';
export type AlertObject = 'host' | 'storage-domain' | 'network' | 'interface' | 'vm';

export interface ThresholdDef {
  name: string;
  summary: string;
  /** What `value` measures; 'state' rules have no value (the condition is a state: down, paused, ...). */
  unit: AlertUnit;
  /** 'above': over when the figure exceeds the value; 'below': when it falls under it. */
  direction: 'above' | 'below';
  level: AlertLevel;
  object: AlertObject;
  value: number | null;
  forMinutes: number;
  /** The scopes a threshold may be set for beside the global default. */
  scopes: readonly ('storage-domain' | 'network')[];
}

const t = (name: string, summary: string, unit: AlertUnit, direction: ThresholdDef['direction'], level: AlertLevel, object: AlertObject, value: number | null, forMinutes: number, scopes: ThresholdDef['scopes'] = []): ThresholdDef =>
  ({ name, summary, unit, direction, level, object, value, forMinutes, scopes });

export const THRESHOLDS: readonly ThresholdDef[] = [
  t('host.cpu', "The host's CPU use over N % for M minutes", 'percent', 'above', 'warning', 'host', 95, 5),
  t('host.memory', "The host's memory use over N % for M minutes", 'percent', 'above', 'warning', 'host', 95, 5),
  t('host.swap', "The host's swap use over N % of its swap for M minutes", 'percent', 'above', 'warning', 'host', 95, 5),
  t('storage.free-percent.warning', "A storage domain's free space below N % of its size", 'percent', 'below', 'warning', 'storage-domain', 10, 1, ['storage-domain']),
  t('storage.free-percent.critical', "A storage domain's free space below N % of its size", 'percent', 'below', 'critical', 'storage-domain', 5, 1, ['storage-domain']),
  t('storage.free-gib.warning', "A storage domain's free space below N GiB", 'GiB', 'below', 'warning', 'storage-domain', 10, 1, ['storage-domain']),
  t('storage.free-gib.critical', "A storage domain's free space below N GiB", 'GiB', 'below', 'critical', 'storage-domain', 5, 1, ['storage-domain']),
  t('storage.unreachable', 'A storage domain unreachable for M minutes', 'state', 'above', 'critical', 'storage-domain', null, 1, ['storage-domain']),
  t('network.nic-down', 'The NIC or bond of the management network or of a VM network down for M minutes', 'state', 'above', 'critical', 'network', null, 1, ['network']),
  t('network.bond-degraded', 'A bond with a port down for M minutes', 'state', 'above', 'warning', 'interface', null, 1),
  t('vm.paused-io-error', 'A VM paused on an I/O error for M minutes', 'state', 'above', 'critical', 'vm', null, 1),
  t('vm.crashed', 'A VM that crashed (guest panic, QEMU gone), for M minutes', 'state', 'above', 'critical', 'vm', null, 1),
  t('host.time-unsynced', "The host's clock not synchronised for M minutes (timedatectl or chronyc; not known without them)", 'state', 'above', 'warning', 'host', null, 10),
  t('host.certificate-expiry', 'The API certificate (HOSTDECK_API_CERT) expiring within N days', 'days', 'below', 'warning', 'host', 30, 1),
];

export const thresholdDef = (name: string): ThresholdDef | undefined => THRESHOLDS.find((d) => d.name === name);

/** How far back past the threshold a figure must come before its alert clears: a tenth of the threshold. */
export const HYSTERESIS = 0.1;

/** The level at which an open alert clears: below 90 % of an 'above' threshold, over 110 % of a 'below' one. */
export function clearLevel(def: Pick<ThresholdDef, 'direction'>, value: number): number {
  return def.direction === 'above' ? value * (1 - HYSTERESIS) : value * (1 + HYSTERESIS);
}

/** A threshold as it applies: the global one or a scope's. */
export interface Threshold { name: string; value: number | null; forMinutes: number }

/** A figure against a threshold: over it, back past the clear level, or neither (between: the alert keeps its state). */
export function judge(def: Pick<ThresholdDef, 'direction'>, value: number, figure: number): { over: boolean; clearable: boolean } {
  const c = clearLevel(def, value);
  return def.direction === 'above' ? { over: figure > value, clearable: figure < c } : { over: figure < value, clearable: figure > c };
}

/** What one round saw of one object under one rule; undefined = not known this round (nothing changes). */
export interface Observation { over: boolean; clearable: boolean; figure?: number; message: string }

export type AlertPhase = 'pending' | 'open' | 'clearing';
export interface AlertState {
  phase: AlertPhase;
  /** pending: since when it is over; open: when it was raised; clearing: since when it is back. */
  since: number;
  raisedAt: number | null;
  figure: number | null;
  message: string;
}

export type Transition = 'raise' | 'clear' | undefined;

/**
 * One round of the alert rule for one object (times in seconds): a condition
 * over for `window` seconds raises; an open alert back past its clear level
 * for `window` seconds clears; anything between keeps the state. A state is
 * kept in the DB between rounds, so a restart continues where it was.
 */
export function step(prev: AlertState | undefined, obs: Observation | undefined, now: number, windowS: number): { next: AlertState | undefined; transition: Transition } {
  if (!obs) return { next: prev, transition: undefined };
  const figure = obs.figure ?? null;
  if (!prev || prev.phase === 'pending') {
    if (!obs.over) return { next: undefined, transition: undefined };
    const since = prev?.since ?? now;
    if (now - since >= windowS) return { next: { phase: 'open', since: now, raisedAt: now, figure, message: obs.message }, transition: 'raise' };
    return { next: { phase: 'pending', since, raisedAt: null, figure, message: obs.message }, transition: undefined };
  }
  if (!obs.clearable) {
    const raisedAt = prev.raisedAt ?? prev.since;
    return { next: { phase: 'open', since: raisedAt, raisedAt, figure: obs.over ? figure : prev.figure, message: obs.over ? obs.message : prev.message }, transition: undefined };
  }
  const since = prev.phase === 'clearing' ? prev.since : now;
  if (now - since >= windowS) return { next: undefined, transition: 'clear' };
  return { next: { ...prev, phase: 'clearing', since }, transition: undefined };
}

export const MINUTES = { min: 1, max: 1440 } as const;
export const PERCENT = { min: 1, max: 100 } as const;
export const DAYS = { min: 1, max: 3650 } as const;

export interface ThresholdInput { name: string; value?: number; forMinutes?: number }

/** A threshold setting checked against its rule's ranges; every broken rule named by its field. */
export function validateThreshold(input: ThresholdInput): Validated<{ def: ThresholdDef; value: number | null; forMinutes: number }> {
  const def = thresholdDef(input.name);
  if (!def) return { ok: false, errors: [{ field: 'name', message: `name: no threshold ${JSON.stringify(input.name)}; one of ${THRESHOLDS.map((d) => d.name).join(', ')}` }] };
  const errors: FieldError[] = [];
  const v = input.value;
  if (v !== undefined) {
    if (def.unit === 'state') errors.push({ field: 'value', message: `value: ${def.name} is a state and takes no value, only --for-minutes` });
    else if (!Number.isFinite(v)) errors.push({ field: 'value', message: 'value: must be a number' });
    else if (def.unit === 'percent' && (v < PERCENT.min || v > PERCENT.max)) errors.push({ field: 'value', message: `value: ${def.name} is a percentage: ${PERCENT.min}..${PERCENT.max}` });
    else if (def.unit === 'GiB' && !(v > 0)) errors.push({ field: 'value', message: `value: ${def.name} is in GiB: more than 0` });
    else if (def.unit === 'days' && (!Number.isInteger(v) || v < DAYS.min || v > DAYS.max)) errors.push({ field: 'value', message: `value: ${def.name} is in whole days: ${DAYS.min}..${DAYS.max}` });
  }
  const m = input.forMinutes;
  if (m !== undefined && (!Number.isInteger(m) || m < MINUTES.min || m > MINUTES.max)) errors.push({ field: 'forMinutes', message: `for-minutes: whole minutes ${MINUTES.min}..${MINUTES.max}` });
  if (v === undefined && m === undefined) {
    errors.push(def.unit === 'state'
      ? { field: 'forMinutes', message: `for-minutes: required (${def.name} is a state and takes only --for-minutes)` }
      : { field: 'value', message: 'value: give --value, --for-minutes or both' });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { def, value: def.unit === 'state' ? null : v ?? null, forMinutes: m ?? def.forMinutes } };
}

/** A scope as given (`global`, `storage-domain:NAME`, `network:NAME`), checked against the threshold's scopes. */
export function parseScope(def: ThresholdDef, scope: string | undefined): Validated<{ type: 'global' | 'storage-domain' | 'network'; key: string }> {
  if (scope === undefined || scope === 'global') return { ok: true, value: { type: 'global', key: '*' } };
  const m = /^(storage-domain|network):(.+)$/.exec(scope);
  const allowed = ['global', ...def.scopes.map((s) => `${s}:NAME`)].join(', ');
  if (!m || !def.scopes.includes(m[1] as 'storage-domain')) return { ok: false, errors: [{ field: 'scope', message: `scope: ${def.name} may be set for ${allowed}` }] };
  return { ok: true, value: { type: m[1] as 'storage-domain' | 'network', key: m[2]! } };
}

/** The event severity of an alert's start: 'alert' for a critical one, 'warning' otherwise. */
export const raiseSeverity = (level: AlertLevel) => (level === 'critical' ? 'alert' : 'warning') as 'alert' | 'warning';

