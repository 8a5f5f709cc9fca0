// The Hooks screen in the shell (:hooks), over a real hook root in a scratch
// directory: every point with its scripts in the order they run, a script
// that is not executable is skipped and one others may write is refused (a
// hook runs as root), each saying why; `a` keeps only the points with
// scripts; `r` reads the directories again; with hooks off it says so.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

const root = mkdtempSync(join(tmpdir(), 'hostdeck-hooks-screen-'));
const script = (point: string, name: string, mode: number) => {
  mkdirSync(join(root, point), { recursive: true, mode: 0o755 });
  writeFileSync(join(root, point, name), '#!/bin/sh\nexit 0\n');
  chmodSync(join(root, point, name), mode);
};

function mount(enabled = true) {
  const services = testServices({});
  services.config.hooks = { enabled, root, timeoutMs: 12_000 };
  const core = consoleCore(services);
  const stores = createStores(core, 60_000);
  const ui = renderTui(<App core={core} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'standalone'} />, { columns: 120, rows: 40 });
  return {
    ui,
    async open() { await ui.press(':'); await ui.type('hooks'); await ui.press(KEYS.enter); },
    async close() { ui.unmount(); stores.stop(); await services.cleanup(); },
  };
}

describe('Hooks screen', () => {
  before(() => {
    chmodSync(root, 0o755);
    script('before_vm_start', '10-tag', 0o755);
    script('before_vm_start', '20-draft', 0o644);
    script('after_vm_pause', '50-open', 0o777);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('lists every point and its scripts in run order with why one does not run; a keeps the scripts; r reads again', async () => {
    const env = mount();
    try {
      await env.open();
      const f = await env.ui.waitFor(/1 of 3 script\(s\) run · 1 refused/);
      assert.match(f, new RegExp(`on: ${root}, each script may run 12 s`));
      assert.match(f, /before_vm_start +10-tag +runs/);
      assert.match(f, /before_vm_start +20-draft +skipped: not executable/);
      assert.match(f, /after_vm_pause +50-open +refused: writable by group and others \(mode 0777\): a hook runs as root/);
      assert.match(f, /after_vm_start +- +no directory/);
      assert.ok(f.indexOf('10-tag') < f.indexOf('20-draft'), 'scripts in the order they run');
      await env.ui.press('a');
      const only = await env.ui.waitFor(/▶ before_vm_start +10-tag/);
      assert.doesNotMatch(only, /no directory/);
      await env.ui.press('j');
      await env.ui.press('j');
      const sel = await env.ui.waitFor(/▶ after_vm_pause +50-open/);
      assert.ok(sel.includes(join(root, 'after_vm_pause', '50-open')), `the selected script's path in\n${sel}`);
      script('after_vm_start', '10-notify', 0o755);
      await env.ui.press('r');
      await env.ui.waitFor(/2 of 4 script\(s\) run · 1 refused/);
      await env.ui.waitFor(/after_vm_start +10-notify +runs/);
    } finally {
      await env.close();
    }
  });

  it('with hooks off (HOSTDECK_HOOKS=off) it says that no hook runs', async () => {
    const env = mount(false);
    try {
      await env.open();
      await env.ui.waitFor(/off \(HOSTDECK_HOOKS=off\): no hook runs/);
    } finally {
      await env.close();
    }
  });
});
