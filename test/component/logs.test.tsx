// The Logs screen in the shell on a real file source (hostdeck's own log, in
// the test's directory): l from the menu opens it at the last page, lines
// written to the file appear at the bottom, PgUp pages back, / filters by a
// regex (an invalid one is refused with the rule), and l on an event of the
// Events screen opens the log at that event's time.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

const stamp = (ms: number) => new Date(ms).toISOString();

describe('Logs screen', () => {
  const services = testServices();
  const core = consoleCore(services);
  const stores = createStores(core, 60_000);
  const eventAt = Date.now();
  let ui: ReturnType<typeof renderTui>;
  const statusLine = () => ui.frame().split('\n').find((l) => l.includes(' · priority ')) ?? '';
  /** The source the screen starts on is the host's main log (the journal, syslog): s steps to hostdeck's own. */
  const toHostdeck = async () => {
    for (let i = 0; i < 200 && !statusLine().trimStart().startsWith('hostdeck ('); i++) { await ui.press('s'); await new Promise((r) => setTimeout(r, 30)); }
    await ui.waitFor((f) => f.includes(`hostdeck (${services.config.logFile})`));
  };

  before(async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `${stamp(eventAt - 3_600_000 + i * 1000)} storage: old line ${i}`);
    // After the event the last test records (minutes from now).
    lines.push(`${stamp(eventAt + 600_000)} vm: the line after the event`);
    writeFileSync(services.config.logFile, `${lines.join('\n')}\n`);
    ui = renderTui(<App core={core} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'standalone'} />, { columns: 120, rows: 30 });
    await ui.press('l');
    await ui.waitFor(' · priority all');
    await toHostdeck();
  });
  after(async () => { ui.unmount(); stores.stop(); await services.cleanup(); });

  it('shows the last page of the file and, at the end, new lines at the bottom', async () => {
    let f = await ui.waitFor('the line after the event');
    assert.match(f, /old line 299\n/);
    assert.doesNotMatch(f, /old line 200\n/);
    assert.match(statusLine(), /· live/);
    appendFileSync(services.config.logFile, `${stamp(eventAt + 660_000)} vm: written while watched\n`);
    f = await ui.waitFor('written while watched');
    const rows = f.split('\n').filter((l) => /storage: |vm: /.test(l));
    assert.match(rows.at(-1)!, /written while watched/);
  });

  it('PgUp shows the page before; G comes back to the end', async () => {
    await ui.press(KEYS.pageUp);
    const f = await ui.waitFor(/old line 260\n/);
    assert.doesNotMatch(f, /written while watched|the line after the event/);
    await ui.press('G');
    await ui.waitFor('written while watched');
  });

  it('/ filters by a regex; an invalid one is refused with the rule and the filter stays', async () => {
    await ui.press('/');
    await ui.type('old line 1[0-2]$');
    await ui.press(KEYS.enter);
    let f = await ui.waitFor(/old line 10\n/);
    const shown = f.split('\n').filter((l) => l.includes('storage: old line'));
    assert.deepEqual(shown.map((l) => /old line (\d+)/.exec(l)![1]), ['10', '11', '12']);
    await ui.press('/');
    for (let i = 0; i < 20; i++) await ui.press(KEYS.backspace);
    await ui.type('(');
    await ui.press(KEYS.enter);
    await ui.waitFor('must be a valid regular expression');
    await ui.press(KEYS.escape);
    f = await ui.waitFor('matching /old line 1[0-2]$/');
    assert.match(f, /old line 12\n/);
    assert.doesNotMatch(f, /old line 13\n/);
    await ui.press('c');
    await ui.waitFor((x) => !x.includes('matching /') && x.includes('written while watched'));
  });

  it('l on an event in the Events screen opens the log at the event\'s time', async () => {
    services.events.record({ source: 'vm', objectType: 'vm', objectId: 'web1', message: 'VM web1 started', result: 'success' });
    await ui.press(KEYS.escape, 'e');
    await ui.waitFor('VM web1 started');
    await ui.press('l');
    await ui.waitFor(' · from ');
    await toHostdeck();
    const f = await ui.waitFor('the line after the event');
    const rows = f.split('\n').filter((l) => /storage: |vm: /.test(l));
    assert.match(rows[0]!, /the line after the event/);
    assert.doesNotMatch(f, /old line 299/);
  });
});
