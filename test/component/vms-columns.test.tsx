// The VM list's column chooser at the serial console's 80x24: T opens a
// checkbox per column, Space turns one off, the width it frees goes to the
// name column (a long name shows whole), and the choice stays for the session.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';
// @ts-expect-error -- plain .mjs helper shared with the benchmarks
import { writeMonitorFixture } from '../../scripts/bench/monitor-fixture.mjs';

const dir = mkdtempSync(join(tmpdir(), 'hostdeck-columns-'));
const PREFIX = 'hd-a-rather-long-virtual-machine-name-number-';
const uri = (writeMonitorFixture as (d: string, n: number, prefix: string) => string)(dir, 2, PREFIX);
const LONG = `${PREFIX}0000`;

describe('the VM list column chooser at 80x24', () => {
  const services = testServices({ uri });
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 2000);
  let ui: ReturnType<typeof renderTui>;
  before(() => { ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'unconfigured'} />, { columns: 80, rows: 24 }); });
  after(async () => { ui.unmount(); stores.stop(); await services.cleanup(); rmSync(dir, { recursive: true, force: true }); });

  const header = (f: string) => f.split('\n').find((l) => /^ +NAME/.test(l)) ?? '';

  it('T is listed in ? help (the footer keeps its room for the VM actions)', async () => {
    await ui.waitFor(/vms\s+2 total/, 15_000);
    await ui.press('v');
    const f = await ui.waitFor(/2 VMs ·/, 10_000);
    assert.match(header(f), /NAME +STATE +VCPU +CPU%.* MEM +UPTIME/);
    assert.ok(f.includes(`${LONG.slice(0, 30)}`) && !f.includes(LONG), 'the name is cut at first');
    await ui.press('?');
    assert.match(await ui.waitFor('Help: Virtual machines'), /T +Choose columns/);
    await ui.press(KEYS.escape);
    await ui.waitFor((s) => !s.includes('Help: Virtual machines'));
  });

  it('Space turns VCPU and UPTIME off; the name column takes their width and shows the long name whole', async () => {
    await ui.press('T');
    const chooser = await ui.waitFor('Space turns on/off');
    for (const title of ['NAME', 'STATE', 'VCPU', 'CPU%', 'MEM', 'DISK R', 'DISK W', 'NET RX', 'NET TX', 'UPTIME']) assert.match(chooser, new RegExp(`\\[x\\] ${title}`));
    assert.match(chooser, /\[x\] DISK R +no room at this width/);
    // The cursor starts on STATE (NAME cannot be turned off).
    await ui.press(KEYS.down, ' ');
    await ui.waitFor(/\[ \] VCPU/);
    for (let i = 0; i < 8; i++) await ui.press(KEYS.down);
    await ui.press(' ');
    await ui.waitFor(/\[ \] UPTIME/);
    await ui.press(KEYS.enter);
    const f = await ui.waitFor((s) => !s.includes('Space turns on/off') && /NAME/.test(s));
    assert.doesNotMatch(header(f), /VCPU|UPTIME/);
    assert.match(header(f), /NAME +STATE +CPU%. +MEM\s*$/);
    assert.match(f, new RegExp(`${LONG} +running`));
    assert.deepEqual(f.split('\n').filter((l) => [...l].length > 80), []);
  });

  it('the choice stays when the list is opened again from the dashboard', async () => {
    await ui.press(KEYS.escape);
    await ui.waitFor(/vms\s+2 total/);
    await ui.press('v');
    const f = await ui.waitFor((s) => /2 VMs ·/.test(s) && s.includes(LONG));
    assert.doesNotMatch(header(f), /VCPU|UPTIME/);
    // Esc in the chooser closes it, not the list.
    await ui.press('T');
    await ui.waitFor('Space turns on/off');
    await ui.press(KEYS.escape);
    const back = await ui.waitFor((s) => !s.includes('Space turns on/off'));
    assert.match(back, /2 VMs ·/);
  });
});
