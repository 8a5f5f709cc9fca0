// Typed input in a form is not lost by a key or a resize: Esc in the new VM
// wizard or the storage connection form asks before discarding (the dialog's
// default keeps the form; the connection service on a temporary state DB), and a
// terminal shrunk below 80x24 for a moment brings the form back as it was
// (libvirt test driver, nothing created).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { SCREENS } from '../../screens/index.ts';
import { createStorageConnectionsScreen } from '../../screens/storage-connections/index.ts';
import { createConnectionService } from '../../src/core/storage-connections.ts';
import { run } from '../../src/exec/runner.ts';
import { join } from 'node:path';
import { testDoor } from '../lib/door.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

describe('a form keeps what was typed', () => {
  const services = testServices();
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  let ui: ReturnType<typeof renderTui>;
  before(async () => {
    ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'standalone'} />, { columns: 110, rows: 34 });
    await ui.waitFor(/test:\/\/\/default connected/);
  });
  after(async () => { ui.unmount(); stores.stop(); await services.cleanup(); });

  async function openWizardWithName(name: string) {
    await ui.press(':');
    await ui.type('new vm');
    await ui.waitFor(' New VM');
    await ui.press(KEYS.enter);
    await ui.waitFor('New virtual machine');
    await ui.waitFor('Edit field');
    await ui.press(KEYS.enter);
    await ui.waitFor((f) => !f.includes('Edit field'));
    await ui.type(name);
    await ui.press(KEYS.enter);
    await ui.waitFor('Edit field');
  }
  const atDashboard = (f: string) => f.split('\n')[1]!.trim() === 'Dashboard';

  it('Esc in the VM wizard asks; Enter (the default) keeps the form, y discards it', async () => {
    await openWizardWithName('keepme1');
    await ui.press(KEYS.escape);
    await ui.waitFor("Discard the new VM's settings?");
    await ui.press(KEYS.enter);
    let f = await ui.waitFor((s) => !s.includes('Discard the new'));
    assert.match(f, /keepme1/);
    assert.match(f, /Dashboard › New VM/);
    await ui.press(KEYS.escape);
    await ui.waitFor("Discard the new VM's settings?");
    await ui.press('y');
    f = await ui.waitFor(atDashboard);
    assert.doesNotMatch(f, /keepme1/);
  });

  it('Esc in an untouched wizard leaves at once', async () => {
    await ui.press(':');
    await ui.type('new vm');
    await ui.waitFor(' New VM');
    await ui.press(KEYS.enter);
    await ui.waitFor('Edit field');
    await ui.press(KEYS.escape);
    await ui.waitFor(atDashboard);
  });

  it('shrinking the terminal below 80x24 for a moment keeps the open form and what was typed', async () => {
    await openWizardWithName('keepme2');
    ui.resize(70, 20);
    await ui.waitFor('needs at least 80x24');
    ui.resize(110, 34);
    const f = await ui.waitFor('New virtual machine');
    assert.match(f, /keepme2/);
    assert.match(f, /Dashboard › New VM/);
  });
});

describe('the storage connection form keeps what was typed', () => {
  it('Esc asks; Enter (the default) keeps the form, y goes back to the list', async () => {
    const services = testServices();
    const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
    const screen = createStorageConnectionsScreen({
      service: () => createConnectionService({ runner: { run }, db: services.db, door: testDoor(services.events), keyFile: join(services.dir, 'key'), mountRoot: join(services.dir, 'mnt') }),
    });
    const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={[screen]} initialTheme="dark" readOnly={false} />, { columns: 110, rows: 30 });
    try {
      await ui.waitFor('No storage connections yet');
      await ui.press('a');
      await ui.waitFor('Add a storage connection');
      await ui.press(KEYS.down, KEYS.enter);
      await ui.type('nas.example');
      await ui.press(KEYS.enter);
      await ui.waitFor('s Save and connect');
      await ui.press(KEYS.escape);
      await ui.waitFor('Discard the new connection?');
      await ui.press(KEYS.enter);
      const f = await ui.waitFor((s) => !s.includes('Discard the new'));
      assert.match(f, /Add a storage connection[\s\S]*nas\.example/);
      await ui.press(KEYS.escape);
      await ui.waitFor('Discard the new connection?');
      await ui.press('y');
      await ui.waitFor('No storage connections yet');
    } finally {
      ui.unmount(); stores.stop(); await services.cleanup();
    }
  });
});
