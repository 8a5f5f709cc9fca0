import { after, before, describe, it } from 'node:test';
import { consoleCore } from '../lib/services.ts';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { testServices } from '../lib/services.ts';

describe('Events screen', () => {
  const services = testServices();
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 2000);
  let ui: ReturnType<typeof renderTui>;
  before(async () => {
    const log = services.events;
    log.record({ source: 'vm', objectType: 'vm', objectId: 'web1', message: 'VM web1 started', result: 'success' });
    log.record({ source: 'network', objectType: 'bond', objectId: 'bond0', message: 'bond0 change rolled back: gateway unreachable', result: 'failure' });
    log.record({ source: 'storage', objectType: 'domain', objectId: 'data1', message: 'storage domain data1 unreachable', severity: 'warning' });
    ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'standalone'} />, { columns: 120, rows: 30 });
    await ui.press('e');
    await ui.waitFor('3 events · severity ≥ info');
  });
  after(async () => { ui.unmount(); stores.stop(); await services.cleanup(); });

  it('lists events newest first with severity, object, user and channel', () => {
    const rows = ui.frame().split('\n').filter((l) => /vm:web1|bond:bond0|domain:data1/.test(l));
    assert.equal(rows.length, 3);
    assert.match(rows[0]!, /▶ .*warning\s+storage\s+domain:data1\s+tester\/tui\s+storage domain data1 unreachable/);
    assert.match(rows[2]!, /info\s+vm\s+vm:web1/);
  });

  it('s raises the minimum severity', async () => {
    await ui.press('s');
    let f = await ui.waitFor('2 events · severity ≥ warning');
    assert.doesNotMatch(f, /vm:web1/);
    await ui.press('s');
    f = await ui.waitFor('1 event · severity ≥ error');
    assert.match(f, /bond0 change rolled back/);
    await ui.press('c');
    await ui.waitFor('3 events · severity ≥ info');
  });

  it('/ filters by text; keys typed into the filter do not trigger actions', async () => {
    await ui.press('/');
    await ui.waitFor('filter:');
    await ui.type('bond0 s');
    await ui.press(KEYS.backspace, KEYS.backspace);
    await ui.press(KEYS.enter);
    const f = await ui.waitFor('1 event · severity ≥ info · matching "bond0"');
    assert.match(f, /bond:bond0/);
    await ui.press('c');
    await ui.waitFor('3 events · severity ≥ info · live');
  });

  it('a new event appears live, and Enter opens its detail', async () => {
    services.events.record({ source: 'engine', objectType: 'engine', objectId: 'engine.example.org', message: 'registered with engine.example.org, pending approval', result: 'success', correlationId: 'c0ffee' });
    await ui.waitFor('4 events');
    await ui.press('g');
    await ui.waitFor(/▶ \S+ \S+ info\s+engine/);
    await ui.press(KEYS.enter);
    const f = await ui.waitFor('Events › Event');
    assert.match(f, /Event 4: info/);
    assert.match(f, /correlation\s+c0ffee/);
    assert.match(f, /result\s+success/);
    assert.match(f, /registered with engine\.example\.org, pending approval/);
    await ui.press(KEYS.escape);
    await ui.waitFor('4 events');
  });

  it('inside an event, down and up step to the next and previous event of the list as filtered', async () => {
    await ui.press('s');
    await ui.waitFor('2 events · severity ≥ warning');
    await ui.press('g', KEYS.enter);
    let f = await ui.waitFor(/Event 3: warning/);
    assert.match(f, /1 of 2 · severity ≥ warning/);
    await ui.press('j');
    f = await ui.waitFor(/Event 2: error/);
    assert.match(f, /bond0 change rolled back/);
    assert.match(f, /2 of 2/);
    // The last of the list: the info event the filter leaves out is not next.
    await ui.press(KEYS.down);
    await ui.press(KEYS.up);
    f = await ui.waitFor(/Event 3: warning/);
    assert.match(f, /storage domain data1 unreachable/);
    await ui.press(KEYS.escape);
    await ui.waitFor('2 events · severity ≥ warning');
    await ui.press('c');
    await ui.waitFor('4 events');
  });
});
