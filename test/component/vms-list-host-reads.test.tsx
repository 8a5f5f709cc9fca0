// The VM list's totals line names the host's memory as the dashboard last read
// it: the VM list does not keep the whole host overview (programs and files)
// polling behind it, which doubled its steady CPU against btop's.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { SCREENS } from '../../screens/index.ts';
import { renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';
// @ts-expect-error -- plain .mjs helper shared with the benchmarks
import { writeMonitorFixture } from '../../scripts/bench/monitor-fixture.mjs';

const dir = mkdtempSync(join(tmpdir(), 'hostdeck-vms-host-'));
const uri = (writeMonitorFixture as (d: string, n: number) => string)(dir, 5);

describe('the VM list and the host overview', () => {
  const services = testServices({ uri });
  const core = consoleCore(services);
  let overviews = 0;
  const overview = core.host.overview.bind(core.host);
  core.host.overview = () => { overviews++; return overview(); };
  const stores = createStores(core, 50);
  const ui = renderTui(<App core={core} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'unconfigured'} />, { columns: 120, rows: 30 });
  after(async () => { ui.unmount(); stores.stop(); await services.cleanup(); rmSync(dir, { recursive: true, force: true }); });

  it('shows the host memory in the totals and reads the host overview no more while it is open', async () => {
    await ui.waitFor(/vms\s+5 total/, 15_000);
    await ui.press('v');
    await ui.waitFor(/active VMs: .* of \S+ host/);
    const readsThen = overviews;
    // Ten of the host store's 50 ms periods: a subscribed host store would read in each.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(overviews, readsThen, 'host overview reads while the VM list was open');
  });
});
