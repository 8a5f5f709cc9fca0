// The data center and cluster screens inside the real shell, over the real
// core (the state DB in SQLite, libvirt's test driver): a data center and a
// cluster created through keys alone; a bad name marks its field and creates
// nothing; remove asks first and a refusal names what holds the data center;
// `:cluster` jumps to the clusters; `/` filters and a digit sorts; read-only
// mode offers no change at all.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { managerScreens } from '../../screens/data-centers/index.ts';
import { createEngineScreen } from '../../screens/engine/index.ts';
import { enginePaths, engineState } from '../../src/host/engine/index.ts';
import { makeHostRoot } from '../lib/engine-standin.ts';
import { rmSync } from 'node:fs';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

function mount(opts: { readOnly?: boolean } = {}) {
  const services = testServices({ readOnly: opts.readOnly });
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={managerScreens} initialTheme="dark" readOnly={Boolean(opts.readOnly)} mode={() => 'standalone'} />, { columns: 110, rows: 32 });
  const count = (table: string) => services.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return { ui, services, count, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

/** Edit the focused text field: Enter, the text, Enter. */
async function fill(ui: ReturnType<typeof mount>['ui'], text: string) {
  await ui.press(KEYS.enter);
  await ui.type(text);
  await ui.press(KEYS.enter);
}

describe('Data center and cluster screens over the real core (SQLite, libvirt test driver)', () => {
  let env: ReturnType<typeof mount> | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  it('creates a data center through keys; a bad name marks the name field and creates nothing', async () => {
    env = mount();
    await env.ui.waitFor(/Default\s+Uninitialized\s+shared\s+4\.8/, 15_000);
    await env.ui.press('c');
    await env.ui.waitFor('Create a data center');
    await fill(env.ui, 'bad name!');
    await env.ui.press('s');
    const f = await env.ui.waitFor(/Name\s+bad name!\s+name: may contain only letters, digits, '_', '-' and '\.'/);
    assert.match(f, /Not saved: /);
    assert.equal(env.count('data_centers'), 1);
    await env.ui.press(KEYS.enter);
    for (let i = 0; i < 'bad name!'.length; i++) await env.ui.press(KEYS.backspace);
    await env.ui.type('lab-dc');
    await env.ui.press(KEYS.enter);
    await env.ui.press(KEYS.down, KEYS.down, ' ');
    await env.ui.waitFor(/Storage type\s+local/);
    await env.ui.press('s');
    await env.ui.waitFor(/lab-dc\s+Uninitialized\s+local\s+4\.8/);
    assert.equal(env.count('data_centers'), 2);
    assert.ok(env.services.events.list({ limit: 20 }).some((e) => e.message === 'Create data center lab-dc' && e.result === 'success'));
  });

  it(':cluster jumps to the clusters; a cluster is created in the new data center through keys; removing that data center is refused naming the cluster', async () => {
    env = mount();
    await env.ui.waitFor(/Default\s+Uninitialized/, 15_000);
    await env.ui.press('c');
    await env.ui.waitFor('Create a data center');
    await fill(env.ui, 'dc2');
    await env.ui.press('s');
    await env.ui.waitFor(/dc2\s+Uninitialized/);
    await env.ui.press(':');
    await env.ui.type('cluster');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/Default\s+Default\s+host-model\s+100%/);
    await env.ui.press('c');
    await env.ui.waitFor('Create a cluster');
    await fill(env.ui, 'c2');
    await env.ui.press(KEYS.down, ' ');
    await env.ui.waitFor(/Data center\s+dc2/);
    await env.ui.press(KEYS.down, KEYS.down);
    await env.ui.press(KEYS.enter);
    for (let i = 0; i < 3; i++) await env.ui.press(KEYS.backspace);
    await env.ui.type('500');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor(/Over-commit %\s+500\s+memory over-commit: must be a whole percentage from 100 to 400/);
    assert.equal(env.count('clusters'), 1);
    await env.ui.press(KEYS.enter);
    for (let i = 0; i < 3; i++) await env.ui.press(KEYS.backspace);
    await env.ui.type('150');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor(/c2\s+dc2\s+host-model\s+150%/);
    assert.equal(env.count('clusters'), 2);
    // The data centers again: dc2 holds c2.
    await env.ui.press('t');
    await env.ui.waitFor(/dc2\s+Uninitialized/);
    await env.ui.press('/');
    await env.ui.type('dc2');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor((s) => /1 of 2 data centers/.test(s) && !/Default\s+Uninitialized/.test(s));
    await env.ui.press('x');
    await env.ui.waitFor('Remove data center dc2?');
    await env.ui.press('y');
    await env.ui.waitFor('data center dc2 still holds clusters c2');
    assert.equal(env.count('data_centers'), 2);
  });

  it('sorts by a column with its digit', async () => {
    env = mount();
    await env.ui.waitFor(/Default\s+Uninitialized/, 15_000);
    await env.services.db.prepare("INSERT INTO data_centers (id, name, description, created_at) VALUES ('x', 'zeta', 'aaa first by description', '2026-01-01')").run();
    await env.ui.press('r');
    await env.ui.waitFor(/Default[\s\S]*zeta/);
    await env.ui.press('1');
    await env.ui.waitFor(/sort Name ▼[\s\S]*zeta[\s\S]*Default/);
    await env.ui.press('7');
    await env.ui.waitFor(/sort Description ▲[\s\S]*zeta[\s\S]*Default/);
  });

  it('the Engine screen makes this host a standalone manager (asked first) and leaves standalone mode', async () => {
    const host = makeHostRoot();
    const services = testServices();
    const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
    const screen = createEngineScreen({ env: () => ({ paths: enginePaths(host.root), defaults: async () => ({ name: 'node1', address: '192.0.2.21' }) }), pollMs: 100 });
    const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={[screen]} initialTheme="dark" readOnly={false} mode={() => engineState(services, enginePaths(host.root)).summary} />, { columns: 110, rows: 32 });
    try {
      await ui.waitFor(/mode\s+unconfigured/, 15_000);
      await ui.press('S');
      await ui.waitFor('Make this host a standalone manager?');
      await ui.press('y');
      await ui.waitFor(/mode\s+standalone/);
      assert.equal(engineState(services, enginePaths(host.root)).mode, 'standalone');
      await ui.press('L');
      await ui.waitFor('Leave standalone mode?');
      await ui.press('y');
      await ui.waitFor(/mode\s+unconfigured/);
    } finally {
      ui.unmount();
      stores.stop();
      await services.cleanup();
      rmSync(host.root, { recursive: true, force: true });
    }
  });

  it('read-only mode offers no create, edit or remove, and a key for one changes nothing', async () => {
    env = mount({ readOnly: true });
    const f = await env.ui.waitFor(/Default\s+Uninitialized/, 15_000);
    assert.doesNotMatch(f, /\bCreate\b/);
    await env.ui.press('c');
    await env.ui.press('x');
    await new Promise((r) => setTimeout(r, 200));
    assert.doesNotMatch(env.ui.frame(), /Create a data center|Remove data center/);
    assert.equal(env.count('data_centers'), 1);
  });
});
