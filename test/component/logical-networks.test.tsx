// The Logical networks screen inside the real shell, over the real core (the
// state DB in SQLite, libvirt's test driver): a network created through keys
// alone (with its default vNIC profile); a bad name marks the name field and
// creates nothing; p shows the selected network's profiles, where one is
// created and removed (asked first); removing ovirtmgmt is refused naming the
// cluster that requires it; `:lnet` opens it; read-only mode offers no change.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { logicalNetworksScreen } from '../../screens/logical-networks/index.ts';
import { managerScreens } from '../../screens/data-centers/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

function mount(opts: { readOnly?: boolean } = {}) {
  const services = testServices({ readOnly: opts.readOnly });
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={[...managerScreens, logicalNetworksScreen]} initialTheme="dark" readOnly={Boolean(opts.readOnly)} mode={() => 'standalone'} />, { columns: 120, rows: 32 });
  const count = (table: string) => services.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return { ui, services, count, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

async function fill(ui: ReturnType<typeof mount>['ui'], text: string) {
  await ui.press(KEYS.enter);
  await ui.type(text);
  await ui.press(KEYS.enter);
}

async function openLnet(env: ReturnType<typeof mount>) {
  await env.ui.waitFor(/Default\s+Uninitialized/, 15_000);
  await env.ui.press(':');
  await env.ui.type('lnet');
  await env.ui.press(KEYS.enter);
  await env.ui.waitFor(/ovirtmgmt\s+Default\s+-\s+default\s+yes\s+Default/, 15_000);
}

describe('Logical networks screen over the real core (SQLite, libvirt test driver)', () => {
  let env: ReturnType<typeof mount> | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  it('creates a network through keys; a bad name marks the name field and creates nothing', async () => {
    env = mount();
    await openLnet(env);
    await env.ui.press('c');
    await env.ui.waitFor('Create a logical network');
    await fill(env.ui, 'br.web:1');
    await env.ui.press(KEYS.down, KEYS.down);
    await fill(env.ui, '5000');
    await env.ui.press('s');
    const f = await env.ui.waitFor(/VLAN tag\s+5000\s+VLAN tag: must be a whole number from 0 to 4094/);
    assert.match(f, /Name\s+br\.web:1\s+name: may contain only letters, digits, '_' and '-'/);
    assert.match(f, /Not saved: /);
    assert.equal(env.count('logical_networks'), 1);
    await env.ui.press(KEYS.up, KEYS.up, KEYS.enter);
    for (let i = 0; i < 'br.web:1'.length; i++) await env.ui.press(KEYS.backspace);
    await env.ui.type('web');
    await env.ui.press(KEYS.enter, KEYS.down, KEYS.down, KEYS.enter);
    for (let i = 0; i < 4; i++) await env.ui.press(KEYS.backspace);
    await env.ui.type('10');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor(/web\s+Default\s+10\s+default\s+yes\s+-\s+1/);
    assert.equal(env.count('logical_networks'), 2);
    assert.equal(env.count('vnic_profiles'), 2);
    assert.ok(env.services.events.list({ limit: 20 }).some((e) => e.message === 'Create logical network web' && e.result === 'success'));
  });

  it("p lists the selected network's profiles: one created through keys and removed when confirmed; ovirtmgmt is not removed, the cluster named", async () => {
    env = mount();
    await openLnet(env);
    await env.ui.press('x');
    await env.ui.waitFor('Remove logical network ovirtmgmt?');
    await env.ui.press('y');
    await env.ui.waitFor('logical network ovirtmgmt is required by cluster Default');
    assert.equal(env.count('logical_networks'), 1);
    await env.ui.press('p');
    await env.ui.waitFor(/1 vNIC profiles of ovirtmgmt[\s\S]*ovirtmgmt\s+none/);
    await env.ui.press('c');
    await env.ui.waitFor('Create a vNIC profile on ovirtmgmt');
    await fill(env.ui, 'guests');
    await env.ui.press('s');
    await env.ui.waitFor(/guests\s+none/);
    assert.equal(env.count('vnic_profiles'), 2);
    await env.ui.press('/');
    await env.ui.type('guests');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/1 of 2 vNIC profiles of ovirtmgmt/);
    await env.ui.press('x');
    await env.ui.waitFor('Remove vNIC profile ovirtmgmt/guests?');
    await env.ui.press('y');
    await env.ui.waitFor((s) => /0 of 1 vNIC profiles of ovirtmgmt/.test(s) && !/guests\s+none/.test(s));
    assert.equal(env.count('vnic_profiles'), 1);
  });

  it('read-only mode offers no change', async () => {
    env = mount({ readOnly: true });
    await openLnet(env);
    await env.ui.press('c');
    await env.ui.press('x');
    const list = await env.ui.waitFor(/ovirtmgmt/);
    assert.doesNotMatch(list, /Create a logical network|Remove logical network/);
    assert.doesNotMatch(list.split('\n').pop() ?? '', /Create|Edit|Remove/);
    await env.ui.press('?');
    await env.ui.waitFor(/c\s+Create \(unavailable: not available in read-only mode\)[\s\S]*x, Del\s+Remove \(unavailable/);
    assert.equal(env.count('logical_networks'), 1);
  });
});
