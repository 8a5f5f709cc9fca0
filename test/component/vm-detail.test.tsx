// The VM detail and its snapshot list in the shell, on the contract tests'
// libvirt test-driver host (test/fixtures/libvirt/host.xml): the detail
// shows what `hostdeck vm show` shows (disk paths, MACs, autostart), and the
// snapshot list shows each snapshot's description.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { SCREENS } from '../../screens/index.ts';
import { openVmFromList, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

const uri = `test://${new URL('../fixtures/libvirt/host.xml', import.meta.url).pathname}`;

function mount() {
  const services = testServices({ uri });
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'standalone'} />, { columns: 100, rows: 30 });
  return { ui, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

describe('VM detail and snapshots', () => {
  let env: ReturnType<typeof mount>;
  before(() => { env = mount(); });
  after(async () => { await env.close(); });

  it('the detail lists each disk with its path, each NIC with its MAC, and autostart', async () => {
    const ui = env.ui;
    await ui.waitFor('Menu', 15_000);
    await ui.press('v');
    await openVmFromList(ui, 'hd-test-ctr-running');
    const f = await ui.waitFor(/disk vda\s+disk \/var\/lib\/libvirt\/images\/hd-test-ctr-running\.qcow2/, 10_000);
    assert.match(f, /nic\s+network hd-test-ctr-net virtio 52:54:00:aa:00:01/);
    assert.match(f, /autostart\s+off/);
    // The firmware and CPU it was defined with, as vm show prints them.
    assert.match(f, /firmware\s+BIOS · CPU QEMU default/);
    // Type, architecture and machine, each once, single-spaced (one may be missing).
    assert.match(f, /config\s+(\S+ )+· (persistent|transient)/);
  });

  it('the snapshot list shows each snapshot with its description', async () => {
    await env.ui.press('x');
    const f = await env.ui.waitFor(/DESCRIPTION/, 10_000);
    assert.match(f, /base \(current\)\s+running\s+\S+ \S+ before changes/);
  });
});
