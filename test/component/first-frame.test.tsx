// The console's first complete frame (the benchmark's mark, and what releases
// the programs held back at start) is the one that shows the host, libvirt,
// the VM counts and the mode: reported with the counts on screen, not before.
import { describe, it } from 'node:test';
import { consoleCore } from '../lib/services.ts';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { SCREENS } from '../../screens/index.ts';
import { renderTui } from '../lib/ink.tsx';
import { testServices } from '../lib/services.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the first complete frame', () => {
  it('is reported once the VM counts from libvirt are drawn, with the host and the libvirt state', async () => {
    const services = testServices();
    const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 2000);
    // The VM store shows nothing yet (its first tick not done) while the host and libvirt data are there.
    const real = stores.vms;
    let held = true;
    const waiting = { loading: true, intervalMs: 1000 };
    const listeners = new Set<() => void>();
    const vms: typeof real = { ...real, getSnapshot: () => (held ? waiting : real.getSnapshot()), subscribe: (fn) => { listeners.add(fn); const off = real.subscribe(fn); return () => { listeners.delete(fn); off(); }; } };
    const frames: string[] = [];
    let ui: ReturnType<typeof renderTui> | undefined;
    try {
      await Promise.all([stores.host.refresh(), stores.virt.refresh(), stores.mode.refresh()]);
      ui = renderTui(
        <App core={consoleCore(services)} stores={{ ...stores, vms }} screens={SCREENS} initialTheme="dark" readOnly={false} onFirstData={() => frames.push(ui!.frame())} />,
        { columns: 100, rows: 30 },
      );
      await ui.waitFor(/libvirt\s+test:\/\/\/default connected/);
      await sleep(300);
      assert.equal(frames.length, 0, 'no complete frame while the VM counts are not there');
      assert.match(ui.frame(), /vms\s+…/);
      held = false;
      await real.refresh();
      for (const fn of listeners) fn();
      await ui.waitFor(/vms\s+1 total · 1 running/);
      for (let i = 0; i < 50 && !frames.length; i++) await sleep(20);
      assert.equal(frames.length, 1, 'one complete frame reported');
      assert.match(frames[0]!, /vms\s+1 total · 1 running/);
      assert.match(frames[0]!, new RegExp(`host\\s+${hostname()}`));
      assert.match(frames[0]!, /libvirt\s+test:\/\/\/default connected/);
    } finally {
      ui?.unmount();
      stores.stop();
      await services.cleanup();
    }
  });

  it('with libvirtd not there, is reported with the dashboard saying so (no VM counts to wait for)', async () => {
    const services = testServices({ uri: 'qemu:///system?socket=/nonexistent/libvirt-sock' });
    const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 2000);
    const frames: string[] = [];
    let ui: ReturnType<typeof renderTui> | undefined;
    try {
      await Promise.all([stores.host.refresh(), stores.virt.refresh(), stores.mode.refresh(), stores.vms.refresh()]);
      // Everything is there at mount: the report comes during render(), before `ui` is set.
      ui = renderTui(
        <App core={consoleCore(services)} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} onFirstData={() => setImmediate(() => frames.push(ui!.frame()))} />,
        { columns: 100, rows: 30 },
      );
      await ui.waitFor(/libvirt\s+disconnected: libvirtd not reachable/);
      for (let i = 0; i < 50 && !frames.length; i++) await sleep(20);
      assert.equal(frames.length, 1, 'one complete frame reported');
      assert.match(frames[0]!, /libvirt\s+disconnected: libvirtd not reachable/);
      assert.match(frames[0]!, /vms\s+unknown while libvirt is disconnected/);
    } finally {
      ui?.unmount();
      stores.stop();
      await services.cleanup();
    }
  });
});
