// The snapshot form in the shell, on libvirt's test driver (VM "test"): both
// fields take typing as soon as the form opens, Enter on the name goes to the
// description, Tab switches, Esc closes the form; the name's rule (the core's)
// shows on the field as it is entered and keeps the form open; an empty name
// is libvirt's to choose.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { VmSnapshots } from '../../screens/vm-snapshots/VmSnapshots.tsx';
import type { ScreenDef } from '../../src/app/types.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

const SNAPSHOT_HOST = `test://${new URL('../fixtures/libvirt/snapshot-host.xml', import.meta.url).pathname}`;

function mount(uri?: string, vm = 'test') {
  const services = testServices({ uri });
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const screen: ScreenDef = { id: 'vm-snapshots', title: 'Snapshots', description: 'snapshots of the test VM', component: (p) => <VmSnapshots {...p} params={{ name: vm }} /> };
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

  it('a name that breaks the rule is marked on the field as it is entered, once, and the form keeps what was typed', async () => {
    const ui = env.ui;
    await ui.press('N');
    await ui.waitFor('New disk-only (external) snapshot');
    assert.doesNotMatch(ui.frame(), /nightly/, 'a new form starts empty');
    await ui.type('pre/upgrade');
    await ui.press(KEYS.enter);
    const f = await ui.waitFor("must not contain '/' or a newline");
    assert.match(f, /name:\s+pre\/upgrade/);
    assert.match(f, /New disk-only/, 'the form stays open');
    assert.doesNotMatch(f, /snapshot name:|name: must/, 'the rule is said once, under the field its label names');
    assert.doesNotMatch(f, /Taking/, 'nothing is taken');
    // Still on the name: fixing it clears the mark and goes on to the description.
    await ui.press(KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace);
    await ui.type('-upgrade');
    await ui.press(KEYS.enter);
    await ui.waitFor((s) => !s.includes('must not contain') && /name:\s+pre-upgrade/.test(s));
    await ui.press(KEYS.escape);
    await ui.waitFor((s) => !s.includes('New disk-only'));
  });
});

describe('snapshot form on a VM that can take a snapshot', () => {
  let env: ReturnType<typeof mount>;
  before(() => { env = mount(SNAPSHOT_HOST, 'snapvm'); });
  after(async () => { await env.close(); });

  it('an empty name lets libvirt name the snapshot, as virsh does', async () => {
    const ui = env.ui;
    await ui.waitFor('Snapshots of snapvm');
    await ui.waitFor('(running)');
    await ui.press('n');
    await ui.waitFor('New snapshot with memory');
    await ui.waitFor('empty: libvirt names it');
    await ui.press(KEYS.enter);
    await ui.press(KEYS.enter);
    await ui.waitFor(/Snapshot \d+ of snapvm taken/);
  });
});
