// `hostdeck alert list` and `hostdeck alert threshold list|set|reset` on a state
// DB of the test's own (libvirt's test driver): the defaults listed, a setting
// validated (percent 1..100, minutes 1..1440, GiB > 0, a state takes no value,
// unknown names and scopes) with exit 2 naming the option and the rule and
// nothing written; a good setting through the door with its event, a scope's own
// setting, a reset; read-only mode refuses; the open alerts the evaluator wrote
// (a round over the same database) listed, --json too.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scratchCli, type CliRun } from '../lib/cli-main.ts';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { evaluateRound } from '../../src/core/alerts-evaluator.ts';
import type { ThresholdView, OpenAlert } from '../../src/core/alerts.ts';

const { hostdeck, dbPath } = scratchCli('hostdeck-alert-cli-');
const query = <T>(sql: string): T[] => {
  const db = openDatabase(dbPath());
  try { return db.prepare(sql).all() as T[]; } finally { db.close(); }
};
const settings = () => query<{ name: string; scope_type: string; value: number | null; for_minutes: number }>('SELECT name, scope_type, value, for_minutes FROM alert_thresholds ORDER BY name, scope_type');
const events = (re: RegExp) => query<{ message: string; result: string; channel: string }>('SELECT message, result, channel FROM events ORDER BY id').filter((e) => re.test(e.message));
const json = <T>(r: CliRun): T => { assert.equal(r.code, 0, r.err); return JSON.parse(r.out) as T; };

describe('hostdeck alert', () => {
  it('lists the defaults; refuses bad settings with exit 2 naming the option and the rule, writing nothing', async () => {
    const ts = json<ThresholdView[]>(await hostdeck('alert', 'threshold', 'list', '--json'));
    const cpu = ts.find((t) => t.name === 'host.cpu')!;
    assert.deepEqual([cpu.value, cpu.forMinutes, cpu.clearAt, cpu.isDefault, cpu.scope], [95, 5, 85.5, true, 'global']);
    const cases: [string[], RegExp][] = [
      [['host.cpu', '--value', '0'], /--value: host\.cpu is a percentage: 1\.\.100/],
      [['host.cpu', '--value', '101'], /--value: host\.cpu is a percentage: 1\.\.100/],
      [['host.memory', '--for-minutes', '1441'], /--for-minutes: whole minutes 1\.\.1440/],
      [['host.memory', '--for-minutes', '0'], /--for-minutes: whole minutes 1\.\.1440/],
      [['storage.free-gib.critical', '--value', '-1'], /--value: storage\.free-gib\.critical is in GiB: more than 0/],
      [['vm.crashed', '--value', '1'], /--value: vm\.crashed is a state and takes no value/],
      [['host.cpux', '--value', '50'], /NAME: no threshold "host\.cpux"; one of host\.cpu/],
      [['host.cpu', '--value', '50', '--scope', 'storage-domain:d1'], /--scope: host\.cpu may be set for global/],
      [['storage.free-percent.warning', '--value', '50', '--scope', 'storage-domain:nope'], /--scope: no storage domain "nope"/],
      [['host.cpu', '--value', 'lots'], /--value: must be a number/],
    ];
    for (const [args, re] of cases) {
      const r = await hostdeck('alert', 'threshold', 'set', ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re);
    }
    assert.deepEqual(settings(), []);
  });

  it('sets a threshold through the door with its event, resets it; read-only mode refuses', async () => {
    const set = json<ThresholdView>(await hostdeck('alert', 'threshold', 'set', 'host.cpu', '--value', '80', '--for-minutes', '2', '--json'));
    assert.deepEqual([set.value, set.forMinutes, set.clearAt, set.isDefault, set.text], [80, 2, 72, false, 'over 80 % for 2 min']);
    // Only the window: the value set stays.
    const win = await hostdeck('alert', 'threshold', 'set', 'host.cpu', '--for-minutes', '3');
    assert.equal(win.code, 0, win.err);
    assert.match(win.out, /Alert threshold host\.cpu \(global\): over 80 % for 3 min\./);
    assert.deepEqual(settings(), [{ name: 'host.cpu', scope_type: 'global', value: 80, for_minutes: 3 }]);
    assert.deepEqual(events(/^Set alert threshold host\.cpu/).filter((e) => e.result === 'success').map((e) => [e.message, e.channel]),
      [['Set alert threshold host.cpu to 80 for 2 min', 'cli'], ['Set alert threshold host.cpu for 3 min', 'cli']]);
    const ro = await hostdeck('alert', 'threshold', 'set', 'host.cpu', '--value', '60', '--read-only');
    assert.equal(ro.code, 1);
    assert.match(ro.err, /read-only/);
    assert.equal(settings()[0]!.value, 80);
    const reset = await hostdeck('alert', 'threshold', 'reset', 'host.cpu');
    assert.equal(reset.code, 0, reset.err);
    assert.match(reset.out, /back to over 95 % for 5 min/);
    assert.deepEqual(settings(), []);
  });

  it('lists the open alerts the evaluator raised, the worst first', async () => {
    assert.match((await hostdeck('alert', 'list')).out, /No open alerts\./);
    const db = openDatabase(dbPath());
    try {
      const ev = new EventLog(db, { user: 'tester', channel: 'cli' });
      const readings = new Map([
        ['host.swap', [{ objectType: 'host' as const, objectId: 'h1', objectName: 'host h1', figure: 99, text: 'swap use 99 %' }]],
        ['vm.crashed', [{ objectType: 'vm' as const, objectId: 'u1', objectName: 'VM web', bad: true, text: 'crashed (crashed)' }]],
      ]);
      evaluateRound(db, ev, readings, 0);
      evaluateRound(db, ev, readings, 300);
    } finally { db.close(); }
    const open = json<OpenAlert[]>(await hostdeck('alert', 'list', '--json'));
    assert.deepEqual(open.map((a) => [a.level, a.rule, a.objectId]), [['critical', 'vm.crashed', 'u1'], ['warning', 'host.swap', 'h1']]);
    const text = await hostdeck('alert', 'list');
    assert.match(text.out, /critical\s+vm\.crashed\s+vm web/);
  });
});
