// The alert rules with known answers: a condition raises only once it held
// for its window, clears only once back past the clear level for the window
// (a figure wandering around the threshold raises one alert, not one per
// round), thresholds are validated naming the field and the rule; and the
// evaluator over the real SQLite tables: a raise and a clear each write one
// event naming the object, a restart (a new evaluator over the same
// database) neither raises an open alert again nor loses it, a scope's own
// threshold wins over the global one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clearLevel, judge, parseScope, step, thresholdDef, validateThreshold, type AlertState, type Observation } from '../../src/domain/alerts.ts';
import { evaluateRound, effectiveThreshold } from '../../src/core/alerts-evaluator.ts';
import type { Reading, Readings } from '../../src/core/alert-readings.ts';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { alertRepo } from '../../src/manager/repos/alerts.ts';

const cpu = thresholdDef('host.cpu')!;
const obs = (figure: number, value = 90): Observation => ({ ...judge(cpu, value, figure), figure, message: `cpu ${figure}` });

/** Runs the rule over figures one round `every` seconds apart; returns each round's transition. */
function run(figures: number[], windowS: number, every = 15): { transitions: (string | undefined)[]; last: AlertState | undefined } {
  let state: AlertState | undefined;
  const transitions = figures.map((f, i) => {
    const r = step(state, obs(f), i * every, windowS);
    state = r.next;
    return r.transition;
  });
  return { transitions, last: state };
}

describe('the alert rule (window and hysteresis)', () => {
  it('raises once the figure was over for the whole window, not before', () => {
    // 60 s window, rounds every 15 s: over at t=0..60 → raised at t=60 (the fifth round).
    const { transitions, last } = run([95, 95, 95, 95, 95, 95], 60);
    assert.deepEqual(transitions, [undefined, undefined, undefined, undefined, 'raise', undefined]);
    assert.equal(last?.phase, 'open');
    assert.equal(last?.raisedAt, 60);
  });

  it('a dip below the threshold inside the window starts the window again', () => {
    const { transitions } = run([95, 95, 80, 95, 95, 95, 95, 95], 60);
    assert.deepEqual(transitions.indexOf('raise'), 7);
  });

  it('clears only below the clear level (90 % of the threshold) for the whole window: no flapping around the threshold', () => {
    assert.equal(clearLevel(cpu, 90), 81);
    // Raised at t=0 (window 0 would be at once; here 30 s), then wandering 85..95 around 90: stays one open alert.
    const wander = [95, 95, 95, 85, 92, 88, 95, 86, 89, 91];
    const { transitions, last } = run(wander, 30);
    assert.deepEqual(transitions.filter(Boolean), ['raise']);
    assert.equal(last?.phase, 'open');
    // Below 81 for 30 s: cleared at the third round below; one bounce over 81 restarts the clear window.
    const { transitions: t2 } = run([95, 95, 95, 70, 70, 85, 70, 70, 70], 30);
    assert.deepEqual(t2, [undefined, undefined, 'raise', undefined, undefined, undefined, undefined, undefined, 'clear']);
  });

  it('a round that could not read the figure changes nothing', () => {
    const open: AlertState = { phase: 'open', since: 10, raisedAt: 10, figure: 95, message: 'm' };
    assert.deepEqual(step(open, undefined, 1000, 60), { next: open, transition: undefined });
  });

  it('a "below" rule (free space) is over under its value and clears over 110 % of it', () => {
    const free = thresholdDef('storage.free-percent.warning')!;
    assert.deepEqual(judge(free, 10, 9), { over: true, clearable: false });
    assert.deepEqual(judge(free, 10, 10.5), { over: false, clearable: false });
    assert.deepEqual(judge(free, 10, 11.5), { over: false, clearable: true });
  });
});

describe('threshold settings', () => {
  it('defaults are oVirt\'s: 95 % CPU/memory/swap for 5 min, 10 % free warning, 5 GiB free critical', () => {
    assert.deepEqual(['host.cpu', 'host.memory', 'host.swap'].map((n) => [thresholdDef(n)!.value, thresholdDef(n)!.forMinutes]), [[95, 5], [95, 5], [95, 5]]);
    assert.equal(thresholdDef('storage.free-percent.warning')!.value, 10);
    assert.equal(thresholdDef('storage.free-gib.critical')!.value, 5);
  });

  it('refuses out-of-range values and windows and unknown names, naming the field and the rule', () => {
    const bad = (input: Parameters<typeof validateThreshold>[0]) => {
      const v = validateThreshold(input);
      assert.equal(v.ok, false);
      return v.ok ? [] : v.errors.map((e) => `${e.field} | ${e.message}`);
    };
    assert.match(bad({ name: 'host.cpu', value: 0 })[0]!, /^value \| value: host\.cpu is a percentage: 1\.\.100$/);
    assert.match(bad({ name: 'host.cpu', value: 101 })[0]!, /1\.\.100/);
    assert.match(bad({ name: 'host.cpu', value: Number.NaN })[0]!, /value: must be a number/);
    assert.match(bad({ name: 'host.cpu', value: 50, forMinutes: 0 })[0]!, /^forMinutes \| for-minutes: whole minutes 1\.\.1440$/);
    assert.match(bad({ name: 'host.cpu', forMinutes: 1441 })[0]!, /1\.\.1440/);
    assert.match(bad({ name: 'host.cpu', forMinutes: 1.5 })[0]!, /whole minutes/);
    assert.match(bad({ name: 'storage.free-gib.warning', value: 0 })[0]!, /GiB: more than 0/);
    assert.match(bad({ name: 'vm.crashed', value: 3 })[0]!, /vm\.crashed is a state and takes no value/);
    assert.match(bad({ name: 'host.cpux', value: 3 })[0]!, /^name \| name: no threshold "host\.cpux"; one of host\.cpu, /);
    assert.match(bad({ name: 'host.cpu' })[0]!, /give --value, --for-minutes or both/);
    const ok = validateThreshold({ name: 'storage.free-gib.warning', value: 0.5 });
    assert.ok(ok.ok && ok.value.value === 0.5 && ok.value.forMinutes === 1);
  });

  it('a scope only where the rule watches such objects', () => {
    assert.deepEqual(parseScope(thresholdDef('storage.free-percent.warning')!, 'storage-domain:data1'), { ok: true, value: { type: 'storage-domain', key: 'data1' } });
    const r = parseScope(cpu, 'storage-domain:data1');
    assert.ok(!r.ok && r.errors[0]!.message === 'scope: host.cpu may be set for global');
    assert.ok(!parseScope(thresholdDef('network.nic-down')!, 'network').ok);
  });
});

describe('the evaluator over the state DB', () => {
  const host: Omit<Reading, 'figure'> = { objectType: 'host', objectId: 'h1', objectName: 'host h1', text: '' };
  const cpuAt = (figure: number): Readings => new Map([['host.cpu', [{ ...host, figure, text: `CPU use ${figure} %` }]]]);
  const alertEvents = (events: EventLog) => events.list({}).filter((e) => e.source === 'alert').reverse();

  it('raises once with one event naming the object, survives a restart without raising again, clears with one info event', () => {
    const db = openDatabase(':memory:');
    const events = new EventLog(db, { user: 'tester', channel: 'cli' });
    alertRepo(db).setThreshold({ name: 'host.cpu', scopeType: 'global', scopeId: '*', value: 50, forMinutes: 1, setBy: 'tester' });
    for (const t of [0, 30]) assert.deepEqual(evaluateRound(db, events, cpuAt(90), t).raised, []);
    assert.equal(evaluateRound(db, events, cpuAt(90), 60).raised.length, 1);
    assert.equal(evaluateRound(db, events, cpuAt(90), 90).raised.length, 0);
    // "Restart": a new round over the same database (an evaluator keeps nothing else between rounds).
    const again = evaluateRound(db, events, cpuAt(92), 120);
    assert.deepEqual([again.raised.length, again.open], [0, 1]);
    assert.deepEqual(alertRepo(db).open().map((a) => [a.rule, a.objectId, a.raisedAt]), [['host.cpu', 'h1', 60]]);
    // 47 % is below the threshold but not below the clear level (45): stays open.
    evaluateRound(db, events, cpuAt(47), 150);
    evaluateRound(db, events, cpuAt(47), 300);
    assert.equal(alertRepo(db).open().length, 1);
    evaluateRound(db, events, cpuAt(20), 330);
    assert.equal(evaluateRound(db, events, cpuAt(20), 390).cleared.length, 1);
    const evs = alertEvents(events);
    assert.deepEqual(evs.map((e) => [e.severity, e.objectType, e.objectId, e.user, e.channel]), [['warning', 'host', 'h1', 'system', 'system'], ['info', 'host', 'h1', 'system', 'system']]);
    assert.match(evs[0]!.message, /^Alert host\.cpu \(warning\) raised: host h1: CPU use 90 % \(threshold: over 50 % for 1 min\)$/);
    assert.match(evs[1]!.message, /^Alert host\.cpu cleared: host h1: CPU use 20 %/);
    assert.deepEqual(alertRepo(db).states(), []);
  });

  it('a critical state rule raises an "alert" event; an object gone clears; a scope\'s own threshold wins over the global one', () => {
    const db = openDatabase(':memory:');
    const events = new EventLog(db, { user: 'tester', channel: 'cli' });
    const vm = (bad: boolean): Readings => new Map([['vm.crashed', [{ objectType: 'vm', objectId: 'u1', objectName: 'VM web', bad, text: bad ? 'crashed (crashed)' : 'running' }]]]);
    evaluateRound(db, events, vm(true), 0);
    assert.equal(evaluateRound(db, events, vm(true), 60).raised.length, 1);
    assert.equal(alertEvents(events)[0]!.severity, 'alert');
    // The VM undefined: its rule was read and the VM is not there any more.
    evaluateRound(db, events, new Map([['vm.crashed', []]]), 90);
    assert.equal(evaluateRound(db, events, new Map([['vm.crashed', []]]), 150).cleared.length, 1);
    assert.match(alertEvents(events)[1]!.message, /VM web: no longer watched/);

    const repo = alertRepo(db);
    repo.setThreshold({ name: 'storage.free-percent.warning', scopeType: 'global', scopeId: '*', value: 20, forMinutes: 3, setBy: 't' });
    repo.setThreshold({ name: 'storage.free-percent.warning', scopeType: 'storage-domain', scopeId: 'd1', value: 50, forMinutes: 1, setBy: 't' });
    const def = thresholdDef('storage.free-percent.warning')!;
    assert.deepEqual(effectiveThreshold(def, repo.thresholds(), 'd1'), { name: def.name, value: 50, forMinutes: 1, scope: 'storage-domain:d1' });
    assert.deepEqual(effectiveThreshold(def, repo.thresholds(), 'd2'), { name: def.name, value: 20, forMinutes: 3, scope: 'global' });
  });
});
