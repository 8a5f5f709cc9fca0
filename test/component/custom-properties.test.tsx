// Custom VM properties in the shell, on libvirt's test driver (VM "test", in
// Default): P on the VM list opens the VM's properties, every name its
// cluster allows with the VM's value; Enter sets a value, checked against
// the rule on the field before anything is saved; Ctrl-D unsets it when
// confirmed. On the cluster side, n allows a new name, a bad regular
// expression is marked on its field, Ctrl-D stops allowing one. Read-only
// mode changes nothing.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

function mount(opts: { readOnly?: boolean } = {}) {
  const services = testServices({ readOnly: opts.readOnly });
  const core = consoleCore(services);
  const stores = createStores(core, 60_000);
  const ui = renderTui(<App core={core} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={opts.readOnly ?? false} mode={() => 'standalone'} />, { columns: 120, rows: 34 });
  const values = () => (services.db.prepare('SELECT name, value FROM vm_custom_properties ORDER BY name').all() as { name: string; value: string }[]).map((r) => `${r.name}=${r.value}`);
  const rules = () => (services.db.prepare('SELECT name, regex FROM cluster_vm_properties ORDER BY name').all() as { name: string; regex: string }[]).map((r) => `${r.name}=${r.regex}`);
  // Through the core; in read-only mode the core refuses, so the rule is put in the state DB as a writable run would have.
  const allow = async (name: string, regex: string) => {
    if (!opts.readOnly) await core.customProperties.setRule('Default', { name, regex });
    else services.db.prepare("INSERT INTO cluster_vm_properties (cluster_id, name, regex) SELECT id, ?, ? FROM clusters WHERE name = 'Default'").run(name, regex);
  };
  return { ui, core, values, rules, allow, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

async function openVm(env: ReturnType<typeof mount>) {
  await env.ui.press(':');
  await env.ui.type('vms');
  await env.ui.press(KEYS.enter);
  await env.ui.waitFor(/▶.*test/);
  await env.ui.press('P');
  await env.ui.waitFor('Custom properties of VM test');
}

describe('Custom properties screen', () => {
  let env: ReturnType<typeof mount> | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  it("P on a VM lists what its cluster allows; a value is checked against the rule on its field, then set; Ctrl-D unsets it", async () => {
    env = mount();
    await env.allow('sap_agent', '(true|false)');
    await openVm(env);
    await env.ui.waitFor(/› sap_agent +- +\(true\|false\)/);
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor('Value of sap_agent (must match (true|false) whole)');
    await env.ui.type('yes');
    await env.ui.press(KEYS.enter);
    const f = await env.ui.waitFor(/"yes" does not match \(true\|false\)/);
    assert.match(f, /Value of sap_agent/, 'the form stays open');
    assert.deepEqual(env.values(), [], 'nothing is saved');
    for (let i = 0; i < 3; i++) await env.ui.press(KEYS.backspace);
    await env.ui.type('true');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/› sap_agent +true +\(true\|false\)/);
    assert.deepEqual(env.values(), ['sap_agent=true']);
    await env.ui.press('\x04');
    await env.ui.waitFor('Unset sap_agent on VM test?');
    await env.ui.press('y');
    await env.ui.waitFor(/› sap_agent +- +\(true\|false\)/);
    assert.deepEqual(env.values(), []);
  });

  it('P on a cluster: n allows a name (a bad regular expression is marked on its field, nothing saved); Ctrl-D refuses while a VM has it, naming the VM', async () => {
    env = mount();
    await env.ui.press(':');
    await env.ui.type('cluster');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/Default/);
    await env.ui.press('P');
    await env.ui.waitFor('Custom properties allowed in cluster Default');
    await env.ui.waitFor('No custom property is allowed yet: n allows one.');
    await env.ui.press('n');
    await env.ui.waitFor('Allow a new property');
    await env.ui.type('vhost');
    await env.ui.press(KEYS.enter);
    await env.ui.type('[a-z');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/is not a valid regular expression/);
    assert.deepEqual(env.rules(), []);
    await env.ui.type(']+');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/› vhost +\[a-z\]\+/);
    assert.deepEqual(env.rules(), ['vhost=[a-z]+']);
    await env.core.customProperties.setOnVm('test', { set: { vhost: 'net' } });
    await env.ui.press('\x04');
    await env.ui.waitFor('Stop allowing vhost in cluster Default?');
    await env.ui.press('y');
    await env.ui.waitFor('VMs of cluster Default still have vhost: test');
    assert.deepEqual(env.rules(), ['vhost=[a-z]+']);
  });

  it('a VM whose cluster allows nothing says where to allow one', async () => {
    env = mount();
    await openVm(env);
    await env.ui.waitFor('Cluster Default allows no custom property: allow one from the clusters screen (P).');
  });

  it('read-only mode: the keys say why and nothing changes', async () => {
    env = mount({ readOnly: true });
    await env.allow('sap_agent', '(true|false)');
    await openVm(env);
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/read-only/);
    assert.doesNotMatch(env.ui.frame(), /Value of sap_agent/);
    assert.deepEqual(env.values(), []);
  });
});
