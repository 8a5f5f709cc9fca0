// The Reports screen in the shell, opened with :reports, on a real state
// database holding the fixture history (test/lib/report-fixture.ts), in
// read-only mode (it changes nothing): e sets the range and scope, each field
// checked as it is entered; Enter runs the selected report and shows its
// braille charts and its numbers; a scope naming nothing is refused under its
// field; x exports the result to a new HTML file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { isoTime } from '../../src/domain/reports.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';
import { writeReportFixture } from '../lib/report-fixture.ts';

describe('Reports screen (read-only mode)', () => {
  const services = testServices({ readOnly: true });
  const core = consoleCore(services);
  const stores = createStores(core, 60_000);
  let ui: ReturnType<typeof renderTui>;
  let range = { from: '', to: '' };

  /** Replace the field being edited with `text` and commit it. */
  const enter = async (text: string) => {
    for (let i = 0; i < 40; i++) await ui.press(KEYS.backspace);
    await ui.type(text);
    await ui.press(KEYS.enter);
  };

  before(async () => {
    const f = writeReportFixture(services.db);
    range = { from: isoTime(f.from), to: isoTime(f.to) };
    ui = renderTui(<App core={core} stores={stores} screens={SCREENS} initialTheme="dark" readOnly mode={() => 'standalone'} />, { columns: 120, rows: 40 });
    await ui.press(':');
    await ui.type('reports');
    await ui.press(KEYS.enter);
  });
  after(async () => { ui.unmount(); stores.stop(); await services.cleanup(); });

  it('lists the built-in reports', async () => {
    const f = await ui.waitFor('vm-availability');
    assert.match(f, /Reports · built-in/);
    assert.match(f, /› host-utilisation/);
  });

  it('a time that is none of the forms is refused under its field as it is entered', async () => {
    await ui.press('e');
    await ui.waitFor('› From');
    await enter('last tuesday');
    await ui.waitFor('must be an ISO date or time');
    await ui.press(KEYS.escape);
  });

  it('e sets the range and scope, the report runs and shows its braille charts and its numbers', async () => {
    await ui.press('e');
    await ui.waitFor('› From');
    await enter(range.from);
    await enter(range.to);
    await enter('host');
    const f = await ui.waitFor(/Over-commit \(3 VM\(s\) that ran\)/);
    assert.match(f, /Host CPU \(%\)/);
    assert.match(f, /[\u2801-\u28ff]/, 'a braille chart');
    assert.match(f, /CPU +30 +90 +%/);
  });

  it('a scope that names nothing is refused under the scope field, naming it', async () => {
    await ui.press('e');
    await ui.waitFor('› From');
    await ui.press(KEYS.enter);
    await ui.press(KEYS.enter);
    await enter('cluster:nope');
    await ui.waitFor('no cluster nope');
    await ui.press('e');
    await ui.press(KEYS.enter);
    await ui.press(KEYS.enter);
    await enter('host');
    await ui.waitFor(/Over-commit \(3 VM/);
  });

  it('x exports the result to a new HTML file with its charts', async () => {
    const file = join(services.dir, 'util.html');
    await ui.press('x');
    await ui.waitFor('› Export to');
    await enter(file);
    await ui.waitFor('Wrote report host-utilisation');
    assert.ok(existsSync(file));
    assert.match(readFileSync(file, 'utf8'), /<svg [^>]*aria-label="Host CPU"/);
  });
});
