// The Diagnostics screen in the shell, reached from the dashboard's menu (d):
// it runs this host's real checks and lists each with its status; the
// selected check shows its fix; r runs them again. Read-only mode keeps it
// (the checks change nothing).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

function mount(readOnly: boolean) {
  const services = testServices({ readOnly });
  const core = consoleCore(services);
  const stores = createStores(core, 60_000);
  const ui = renderTui(<App core={core} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={readOnly} mode={() => 'standalone'} />, { columns: 120, rows: 34 });
  return { ui, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

describe('Diagnostics screen', () => {
  it('d from the menu runs the checks: each with its status, the selected one with its fix; r runs them again', async () => {
    const env = mount(false);
    try {
      await env.ui.press('d');
      const f = await env.ui.waitFor(/all \d+ checks ok|\d+ warning\(s\), \d+ ok|\d+ failed, /, 60_000);
      for (const title of ['Virtualization (KVM)', 'Memory and swap', 'Disk space of /:', 'Time synchronised', 'libvirtd running', 'Storage domains reachable']) assert.ok(f.includes(title), `${title} in\n${f}`);
      assert.match(f, /not applicable +Storage domains reachable: no storage domain is attached/);
      // The first check is selected: its detail and (where it is not ok) its fix below the list.
      assert.match(f, /› (ok|warning|failed|not applicable|cannot tell) +Virtualization \(KVM\)/);
      if (/› warning +Virtualization/.test(f)) assert.match(f, /Fix: Enable VT-x\/AMD-V/);
      await env.ui.press('j');
      await env.ui.waitFor(/› \S+( \S+)? +CPU flags/);
      await env.ui.press('r');
      await env.ui.waitFor(/Running the checks…/);
      await env.ui.waitFor(/all \d+ checks ok|\d+ warning\(s\), \d+ ok|\d+ failed, /, 60_000);
    } finally {
      await env.close();
    }
  });

  it('read-only mode: the checks still run (they change nothing)', async () => {
    const env = mount(true);
    try {
      await env.ui.press(':');
      await env.ui.type('health');
      await env.ui.press(KEYS.enter);
      await env.ui.waitFor(/libvirtd running/, 60_000);
    } finally {
      await env.close();
    }
  });
});
