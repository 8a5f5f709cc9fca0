// The alert use cases: the open alerts (the dashboard's count and worst, the
// Events screen's alerts filter, `hostdeck alert list`), the thresholds and
// their settings per scope (`hostdeck alert threshold list|set|reset`, through
// the door with their events), and the evaluator the host service's alerts
// duty runs (alerts-evaluator.ts over alert-readings.ts).
import { clearLevel, parseScope, THRESHOLDS, thresholdDef, validateThreshold, type AlertLevel, type AlertUnit } from '../domain/alerts.ts';
import { InvalidInputError } from '../domain/errors.ts';
import { alertRepo, type ScopeType } from '../manager/repos/alerts.ts';
import { logicalNetworkRepo } from '../manager/repos/logical-networks.ts';
import { storageDomainRepo } from '../manager/repos/storage-domains.ts';
import type { ReadingSources } from './alert-readings.ts';
import { describeThreshold, effectiveThreshold, evaluateRound } from './alerts-evaluator.ts';
import { createMonitorUseCases } from './monitor.ts';
import type { CoreContext } from './index.ts';

export interface OpenAlert {
  rule: string;
  level: AlertLevel;
  objectType: string;
  objectId: string;
  objectName: string;
  /** When it was raised (ISO 8601). */
  raisedAt: string;
  message: string;
  /** Back past its clear level, waiting out the window before it clears. */
  clearing: boolean;
}

export interface ThresholdView {
  name: string;
  summary: string;
  unit: AlertUnit;
  level: AlertLevel;
  /** 'global' or 'storage-domain:NAME' / 'network:NAME' (a scope's own setting). */
  scope: string;
  value: number | null;
  forMinutes: number;
  /** The level an open alert must come back past to clear (hysteresis); null for a state. */
  clearAt: number | null;
  /** Not set by anyone: the default. */
  isDefault: boolean;
  /** The threshold in words ("over 95 % for 5 min"). */
  text: string;
}

export interface ThresholdSetInput { name: string; value?: number; forMinutes?: number; scope?: string }

export interface AlertUseCases {
  /** The raised alerts, the worst first. */
  list(): Promise<OpenAlert[]>;
  /** Every threshold's global value, then each scope's own settings. */
  thresholds(): Promise<ThresholdView[]>;
  set(input: ThresholdSetInput): Promise<ThresholdView>;
  /** Back to the default (the global setting for a scope's). */
  reset(name: string, scope?: string): Promise<ThresholdView>;
  /** The alerts duty of one service run; `now` in seconds (tests drive windows with it). */
  newEvaluator(opts?: { now?: () => number; sources?: Partial<ReadingSources> }): { run: () => Promise<string>; close: () => void };
}

export function createAlertUseCases(ctx: CoreContext): AlertUseCases {
  const db = ctx.infra.db;
  const repo = alertRepo(db);
  const { door } = ctx;

  const openAlerts = (): OpenAlert[] => repo.open().map((a) => ({
    rule: a.rule, level: a.level, objectType: a.objectType, objectId: a.objectId, objectName: a.objectName,
    raisedAt: new Date((a.raisedAt ?? a.since) * 1000).toISOString(), message: a.message, clearing: a.phase === 'clearing',
  }));

  /** A scope as given, with its object resolved to the id the settings are kept under. */
  const resolveScope = (name: string, scope: string | undefined): { type: ScopeType; id: string; label: string } => {
    const def = thresholdDef(name);
    if (!def) throw new InvalidInputError([{ field: 'name', message: `name: no threshold ${JSON.stringify(name)}; one of ${THRESHOLDS.map((d) => d.name).join(', ')}` }]);
    const s = parseScope(def, scope);
    if (!s.ok) throw new InvalidInputError(s.errors);
    if (s.value.type === 'global') return { type: 'global', id: '*', label: 'global' };
    const obj = s.value.type === 'storage-domain' ? storageDomainRepo(db).byKey(s.value.key) : logicalNetworkRepo(db).network(s.value.key);
    if (!obj) throw new InvalidInputError([{ field: 'scope', message: `scope: no ${s.value.type === 'storage-domain' ? 'storage domain' : 'logical network'} ${JSON.stringify(s.value.key)}` }]);
    return { type: s.value.type, id: obj.id, label: `${s.value.type}:${obj.name}` };
  };

  const scopeName = (type: ScopeType, id: string) => {
    if (type === 'global') return 'global';
    const n = type === 'storage-domain' ? storageDomainRepo(db).byKey(id)?.name : logicalNetworkRepo(db).network(id)?.name;
    return `${type}:${n ?? id}`;
  };

  const view = (name: string, type: ScopeType, id: string): ThresholdView => {
    const def = thresholdDef(name)!;
    const rows = repo.thresholds();
    const th = effectiveThreshold(def, rows, type === 'global' ? undefined : id);
    const isDefault = !rows.some((r) => r.name === name && r.scopeType === type && r.scopeId === id);
    return {
      name, summary: def.summary, unit: def.unit, level: def.level, scope: scopeName(type, id), value: th.value, forMinutes: th.forMinutes,
      clearAt: th.value === null ? null : Math.round(clearLevel(def, th.value) * 100) / 100, isDefault, text: describeThreshold(def, th),
    };
  };

  return {
    list: () => door.act('alert.list', { id: '*' }, { message: 'List the open alerts' }, openAlerts),
    thresholds: () => door.act('alert.threshold-list', { id: '*' }, { message: 'List the alert thresholds' }, () => [
      ...THRESHOLDS.map((d) => view(d.name, 'global', '*')),
      ...repo.thresholds().filter((r) => r.scopeType !== 'global').map((r) => view(r.name, r.scopeType, r.scopeId)),
    ]),
    set: (input) => door.act('alert.threshold-set', { id: input.name }, { message: `Set alert threshold ${input.name}${input.scope ? ` for ${input.scope}` : ''}${input.value !== undefined ? ` to ${input.value}` : ''}${input.forMinutes !== undefined ? ` for ${input.forMinutes} min` : ''}`, objectType: 'alert-threshold' }, ({ commit }) => {
      const v = validateThreshold(input);
      if (!v.ok) throw new InvalidInputError(v.errors);
      const s = resolveScope(input.name, input.scope);
      // A setting changes only what was given: the rest stays as it applies now.
      const now = effectiveThreshold(v.value.def, repo.thresholds(), s.type === 'global' ? undefined : s.id);
      commit(() => repo.setThreshold({
        name: input.name, scopeType: s.type, scopeId: s.id, value: input.value ?? now.value, forMinutes: input.forMinutes ?? now.forMinutes, setBy: door.principal.user,
      }));
      return view(input.name, s.type, s.id);
    }),
    reset: (name, scope) => door.act('alert.threshold-reset', { id: name }, { message: `Reset alert threshold ${name}${scope ? ` for ${scope}` : ''}`, objectType: 'alert-threshold' }, ({ commit }) => {
      const s = resolveScope(name, scope);
      commit(() => repo.resetThreshold(name, s.type, s.id));
      return view(name, s.type, s.id);
    }),
    newEvaluator(opts = {}) {
      // The readers (/proc, /sys, libvirt, timedatectl) load with the first round: the console's alert list does not need them.
      const reader = import('./alert-readings.ts').then((m) => m.createAlertReader({ db, monitor: createMonitorUseCases(ctx), certificate: ctx.infra.config.apiCertificate, ...opts.sources }));
      const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
      return {
        async run() {
          const readings = await (await reader).read();
          const r = evaluateRound(db, ctx.infra.events, readings, now());
          const did = [...r.raised.map((a) => `raised ${a.rule} on ${a.objectName}`), ...r.cleared.map((a) => `cleared ${a.rule} on ${a.objectName}`)];
          return [`${r.open} open alert${r.open === 1 ? '' : 's'}`, ...did].join('; ');
        },
        close: () => { void reader.then((r) => r.close()); },
      };
    },
  };
}
