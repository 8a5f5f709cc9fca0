// The snapshot form in the shell, on libvirt's test driver (VM "test"): both
// fields take typing as soon as the form opens, Enter on the name goes to the
// description, Tab switches, Esc closes the form, and Enter on the description
// hands both to the snapshot use case (whose name rule refuses this one, so
// nothing is created).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { VmSnapshots } from '../../screens/vm-snapshots/VmSnapshots.tsx';
import type { ScreenDef } from '../../src/app/types.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

function mount() {
  const services = testServices();
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const screen: ScreenDef = { id: 'vm-snapshots', title: 'Snapshots', description: 'snapshots of the test VM', component: (p) => <VmSnapshots {...p} params={{ name: 'test' }} /> };
  const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={[screen]} initialTheme="dark" readOnly={false} mode={() => 'standalone'} />, { columns: 110, rows: 30 });
  return { ui, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

describe('snapshot form', () => {
  let env: ReturnType<typeof mount>;
  before(() => { env = mount(); });
  after(async () => { await env.close(); });

  it('types straight into the name and description; Tab switches, Esc closes', async () => {
    const ui = env.ui;
    await ui.waitFor('Snapshots of test');
    await ui.waitFor('(running)');
    await ui.press('N');
    await ui.waitFor('New disk-only (external) snapshot');
    await ui.type('nightly');
    await ui.waitFor('name:        nightly');
    await ui.press(KEYS.enter);
    await ui.type('before upgrade');
    await ui.waitFor('description: before upgrade');
    await ui.press(KEYS.tab);
    await ui.type('-2');
    const f = await ui.waitFor('name:        nightly-2');
    assert.match(f, /description: before upgrade/);
    await ui.press(KEYS.escape);
    await ui.waitFor((s) => !s.includes('New disk-only'));
  });

  it('Enter on the description takes the snapshot with the typed name', async () => {
    const ui = env.ui;
    await ui.press('N');
    await ui.waitFor('New disk-only (external) snapshot');
    const f = ui.frame();
    assert.doesNotMatch(f, /nightly/, 'a new form starts empty');
    await ui.type('-x');
    await ui.press(KEYS.enter);
    await ui.type('d');
    await ui.press(KEYS.enter);
    await ui.waitFor("Snapshot not taken: snapshot name: must not start with '-'");
    assert.doesNotMatch(ui.frame(), /New disk-only/);
  });
});
