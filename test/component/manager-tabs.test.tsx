// The manager area's tab strip in the real shell over the real core (state DB
// in SQLite, libvirt's test driver): from `:dc`, `]` walks every tab (data
// centers, clusters, host, logical networks, storage domains, templates,
// pools, VMs) and round to the first, `[` walks back, each screen with its
// title under the strip; the tabs replace each other, so Esc leaves the area
// for the dashboard at once. The Host tab puts this host into maintenance
// (refused while a VM runs; M shuts the VMs down after asking) and activates
// it. While a form is open the keys are the form's, not the tabs'.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

/** Each tab: its screen's breadcrumb title and a line only that screen shows. */
const TABS: [string, RegExp][] = [
  ['Data centers', /Default\s+Uninitialized/],
  ['Clusters', /CPU type/],
  ['Host', /status\s+(Up|Maintenance|NonOperational)/],
  ['Logical networks', /logical networks \(the manager's/],
  ['Storage domains', /No storage domains\.|Name\s+Type\s+Status/],
  ['Templates', /template versions/],
  ['VM pools', /pools · sort/],
  ['Virtual machines', /VMs · \d+ running/],
];

describe('manager tabs over the real core (SQLite, libvirt test driver)', () => {
  const services = testServices();
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  let ui: ReturnType<typeof renderTui>;
  before(() => {
    ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'standalone'} />, { columns: 80, rows: 24 });
  });
  after(async () => { ui.unmount(); stores.stop(); await services.cleanup(); });

  /** Open a screen from the `:` palette and wait for its breadcrumb. */
  async function palette(query: string, title: string) {
    await ui.press(':');
    await ui.type(query);
    await ui.press(KEYS.enter);
    await ui.waitFor(`Dashboard › ${title}`);
  }
  /** Esc from any tab: back at the dashboard at once. */
  async function leave() {
    await ui.press(KEYS.escape);
    await ui.waitFor((x) => !x.includes('›') && x.includes('Dashboard'));
  }

  /** The strip's line (the highlight is an attribute, not text). */
  const strip = (f: string) => f.split('\n').find((l) => l.includes('Data centers · Clusters'));

  it('] walks every tab and round, [ walks back, each screen with its title and the strip whole at 80 columns', async () => {
    await ui.waitFor('Dashboard');
    await palette('dc', 'Data centers');
    for (const [title, line] of [...TABS, TABS[0]!]) {
      const f = await ui.waitFor((x) => x.includes(`Dashboard › ${title}`) && line.test(x));
      assert.equal(strip(f)?.trim(), 'Data centers · Clusters · Host · Networks · Storage · Templates · Pools · VMs', f);
      await ui.press(']');
    }
    await ui.waitFor('Dashboard › Clusters');
    for (const [title, line] of [TABS[0]!, TABS[7]!, TABS[6]!]) {
      await ui.press('[');
      await ui.waitFor((x) => x.includes(`Dashboard › ${title}`) && line.test(x));
    }
    // In the footer while it has room; always in ? help.
    assert.match(ui.frame(), /\[ Previous tab/);
    await ui.press('?');
    await ui.waitFor((x) => /\[\s+Previous tab/.test(x) && /\]\s+Next tab/.test(x));
    await ui.press(KEYS.escape);
    await ui.waitFor('Dashboard › VM pools');
    await leave();
  });

  it('the Host tab: maintenance is refused while a VM runs, M shuts it down first after asking, a activates', async () => {
    await palette('dc', 'Data centers');
    await ui.press(']', ']');
    let f = await ui.waitFor(/VMs\s+1 running of 1/); // the test driver's own VM, "test"
    assert.doesNotMatch(f, /status\s+Maintenance/);
    await ui.press('m');
    await ui.waitFor('1 VM running: shut them down first (or M)');
    await ui.press('M');
    await ui.waitFor('Shut down the 1 running VM of this host');
    await ui.press('y');
    f = await ui.waitFor(/status\s+Maintenance/, 30_000);
    assert.match(f, /VMs\s+0 running of 1/);
    assert.equal(await services.virt.domainState('test'), 'shutoff');
    await ui.press('a');
    await ui.waitFor('Activate this host');
    await ui.press('y');
    await ui.waitFor((x) => /status\s+(Up|NonOperational)/.test(x) && x.includes('This host is active'));
    await leave();
  });

  it('in a form [ and ] are not the tabs\'', async () => {
    await palette('cluster', 'Clusters');
    await ui.press('c');
    await ui.waitFor(/› Name/);
    // Keys are handled in order: once Down has moved the focus, ] has been handled too.
    await ui.press(']', KEYS.down);
    await ui.waitFor(/› Data center/);
    assert.match(ui.frame(), /Create a cluster/);
    assert.match(ui.frame(), /Dashboard › Clusters/);
  });
});
