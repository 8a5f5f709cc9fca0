// The Support screen in the shell, reached from the dashboard's menu (b):
// b writes a bundle with this host's real programs into /var/tmp (the
// default) and the screen shows the file, its size and the scp command; with
// no removable disk mounted (this machine has none) the copy key says why
// it cannot copy. In read-only mode the screen's key is refused with the reason.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, statSync } from 'node:fs';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { SCREENS } from '../../screens/index.ts';
import { renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

function mount(readOnly: boolean) {
  const services = testServices({ readOnly });
  const core = consoleCore(services);
  const stores = createStores(core, 60_000);
  const ui = renderTui(<App core={core} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={readOnly} mode={() => 'standalone'} />, { columns: 120, rows: 30 });
  return { ui, services, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

describe('Support screen', () => {
  const written: string[] = [];
  after(() => { for (const f of written) rmSync(f, { force: true }); });

  it('b from the menu opens it; b writes the bundle and shows its path, size and the scp command', async () => {
    const env = mount(false);
    try {
      await env.ui.press('b');
      await env.ui.waitFor('b writes a bundle to /var/tmp.');
      assert.match(env.ui.frame(), /None mounted: mount a USB disk/);
      await env.ui.press('b');
      const f = await env.ui.waitFor('Fetch it: scp ', 60_000);
      const path = /Written: (\/var\/tmp\/hostdeck-support-\S+\.tar\.gz) {2}\((\d+(?:\.\d)? [KM]iB)\)/.exec(f);
      assert.ok(path, f);
      written.push(path[1]!);
      assert.ok(statSync(path[1]!).isFile());
      assert.match(f, new RegExp(`Fetch it: scp \\S+@\\S+:${path[1]!.replace(/[.]/g, '\\.')} \\.`));
      assert.match(env.services.events.list({ limit: 5 }).map((e) => e.message).join('\n'), new RegExp(`Write support bundle ${path[1]!.replace(/[.]/g, '\\.')}`));
      await env.ui.press('c');
      await env.ui.waitFor('no removable disk is mounted');
    } finally {
      await env.close();
    }
  });

  it('read-only mode: the screen says why there is no bundle, b writes none, the palette leaves it out', async () => {
    const env = mount(true);
    try {
      await env.ui.press('b');
      await env.ui.waitFor(/No bundle here: read-only mode/);
      await env.ui.press('b');
      assert.doesNotMatch(env.ui.frame(), /Collecting|Written:/);
      assert.equal(env.services.events.list({ text: 'support bundle' }).length, 0);
      await env.ui.press('q', ':');
      await env.ui.type('bundle');
      await env.ui.waitFor('No screen or action matches "bundle"');
    } finally {
      await env.close();
    }
  });
});
