// The Reports/SQL screen in the shell, opened with :sql, on a real state
// database: before a query it lists the views; e edits the query line, Enter
// runs it read-only and shows the rows; a statement that writes is refused in
// place with the reason, and the rows it would have removed are still there.
// Read-only mode keeps the screen (it changes nothing).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

describe('Reports/SQL screen (read-only mode)', () => {
  const services = testServices({ readOnly: true });
  const core = consoleCore(services);
  const stores = createStores(core, 60_000);
  let ui: ReturnType<typeof renderTui>;

  /** Replace the query line with `text` and run it. */
  const query = async (text: string) => {
    await ui.press('e');
    await ui.waitFor('SQL: ');
    for (let i = 0; i < 80; i++) await ui.press(KEYS.backspace);
    await ui.type(text);
    await ui.press(KEYS.enter);
  };

  before(async () => {
    ui = renderTui(<App core={core} stores={stores} screens={SCREENS} initialTheme="dark" readOnly mode={() => 'standalone'} />, { columns: 120, rows: 30 });
    await ui.press(':');
    await ui.type('sql');
    await ui.press(KEYS.enter);
  });
  after(async () => { ui.unmount(); stores.stop(); await services.cleanup(); });

  it('opens on the views and their columns', async () => {
    // The views in name order, each with its columns (the first page: the list is longer than the screen).
    const f = await ui.waitFor(/v1_clusters +cluster_id, cluster_name/);
    assert.match(f, /Reports · read-only SQL/);
    assert.match(f, /v1_datacenters +\w+/);
  });

  it('runs a query typed on the line and shows its rows under its column names', async () => {
    await query("SELECT cluster_name, datacenter_name FROM v1_clusters");
    const f = await ui.waitFor(/1 row\(s\) · rows ≤ 1000/);
    assert.match(f, /cluster_name +datacenter_name/i);
    assert.match(f, /Default +Default/);
  });

  it('a statement that writes is refused in place, saying why; the data is still there', async () => {
    await query('DELETE FROM clusters');
    const f = await ui.waitFor('SQL: not run: it returns no rows');
    assert.doesNotMatch(f, /Default +Default/);
    await query('SELECT count(*) AS n FROM v1_clusters');
    await ui.waitFor(/1 row\(s\)/);
    assert.deepEqual((await core.reports.sql({ sql: 'SELECT count(*) FROM clusters' })).rows, [[1]]);
  });

  it('l changes the row limit; a longer result is cut at it and says so', async () => {
    await ui.press('l');
    await ui.waitFor('rows ≤ 10000');
    await ui.press('l');
    await ui.waitFor('rows ≤ 100');
    await query('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c');
    await ui.waitFor('more rows than the limit (100): the first 100 shown');
  });
});
