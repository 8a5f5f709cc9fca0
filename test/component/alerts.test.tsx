// The alerts in the console over a real state DB where the evaluator (one
// round over given readings) raised a warning and a critical alert: the
// dashboard's alerts line shows the count and the worst (the critical one);
// the Events screen's `a` cycles to the alert events only, then to the open
// alerts the worst first, then back to every event.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { SCREENS } from '../../screens/index.ts';
import { evaluateRound } from '../../src/core/alerts-evaluator.ts';
import type { Readings } from '../../src/core/alert-readings.ts';
import { renderTui } from '../lib/ink.tsx';
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
});
