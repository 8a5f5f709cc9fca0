// The alerts in the console over a real state DB where the evaluator (one
// round over given readings) raised a warning and a critical alert: the
// dashboard's alerts line shows the count and the worst (the critical one);
// the Events screen's `a` cycles to the alert events only, then to the open
// alerts the worst first, then back to every event. The Alert thresholds
// screen (:alert-thresholds): a value out of range is refused under its field
// with nothing written; a good one is saved with its event; x resets it after
// confirmation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { SCREENS } from '../../screens/index.ts';
import { evaluateRound } from '../../src/core/alerts-evaluator.ts';
import type { Readings } from '../../src/core/alert-readings.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { alertRepo } from '../../src/manager/repos/alerts.ts';
import { consoleCore, testServices } from '../lib/services.ts';

describe('alerts in the console', () => {
  const services = testServices();
  const core = consoleCore(services);
  const stores = createStores(core, 2000);
  let ui: ReturnType<typeof renderTui>;
  before(() => {
    services.events.record({ source: 'vm', objectType: 'vm', objectId: 'web1', message: 'VM web1 started', result: 'success' });
    const readings: Readings = new Map([
      ['host.memory', [{ objectType: 'host', objectId: 'h1', objectName: 'host h1', figure: 99, text: 'memory use 99 %' }]],
      ['storage.unreachable', [{ objectType: 'storage-domain', objectId: 'd1', objectName: 'storage domain data1', bad: true, text: 'unreachable: read timed out' }]],
    ]);
    evaluateRound(services.db, services.events, readings, 0);
    evaluateRound(services.db, services.events, readings, 600);
    ui = renderTui(<App core={core} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'standalone'} />, { columns: 140, rows: 40 });
  });
  after(async () => { ui.unmount(); stores.stop(); await services.cleanup(); });

  it('the dashboard shows how many alerts are open and the worst', async () => {
    const f = await ui.waitFor(/alerts\s+2 open/);
    assert.match(f, /alerts\s+2 open; worst: critical storage\.unreachable, storage domain data1: unreachable: read timed out/);
  });

  it('the Events screen: a shows the alert events only, then the open alerts, then every event', async () => {
    await ui.press('e');
    await ui.waitFor('3 events · severity ≥ info');
    await ui.press('a');
    let f = await ui.waitFor('2 alert events · severity ≥ info');
    assert.doesNotMatch(f, /VM web1 started/);
    assert.match(f, /alert\s+alert\s+storage-domain:d1\s+system\/syst…\s+Alert storage\.unreachable \(critical\) raised/);
    await ui.press('a');
    f = await ui.waitFor('open alerts, the worst first');
    const rows = f.split('\n').filter((l) => /critical|warning/.test(l));
    assert.match(rows[0]!, /critical\s+storage\.unreachable\s+open\s+storage domain data1: unreachable/);
    assert.match(rows[1]!, /warning\s+host\.memory\s+open\s+host h1: memory use 99 %/);
    await ui.press('a');
    await ui.waitFor('3 events · severity ≥ info');
  });

  it('the Alert thresholds screen refuses a value out of range under its field, saves a good one with its event, resets after confirmation', async () => {
    await ui.press(':');
    await ui.type('alert-thresholds');
    await ui.press(KEYS.enter);
    await ui.waitFor(/host\.cpu\s+global\s+warning\s+95 %\s+5 min\s+85\.5\s+default/);
    await ui.press(KEYS.enter);
    await ui.waitFor('Set host.cpu');
    // Value: 101 (out of range).
    await ui.press(KEYS.enter);
    for (let i = 0; i < 4; i++) await ui.press(KEYS.backspace);
    await ui.type('101');
    await ui.press(KEYS.enter);
    await ui.press('s');
    const refused = await ui.waitFor('host.cpu is a percentage: 1..100');
    assert.match(refused, /Value\s+101/);
    assert.deepEqual(alertRepo(services.db).thresholds(), []);
    await ui.press(KEYS.enter);
    for (let i = 0; i < 4; i++) await ui.press(KEYS.backspace);
    await ui.type('80');
    await ui.press(KEYS.enter);
    await ui.press('s');
    await ui.waitFor(/host\.cpu\s+global\s+warning\s+80 %\s+5 min\s+72\s+set/);
    assert.deepEqual(alertRepo(services.db).thresholds().map((r) => [r.name, r.value, r.forMinutes]), [['host.cpu', 80, 5]]);
    assert.equal(services.events.list({ text: 'Set alert threshold host.cpu for global to 80 for 5 min' }).filter((e) => e.result === 'success' && e.channel === 'tui').length, 1);
    await ui.press('x');
    await ui.waitFor('Reset alert threshold host.cpu (global) to its default?');
    await ui.press('y');
    await ui.waitFor(/host\.cpu\s+global\s+warning\s+95 %\s+5 min\s+85\.5\s+default/);
    assert.deepEqual(alertRepo(services.db).thresholds(), []);
  });
});
