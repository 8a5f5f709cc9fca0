// The Host networks screen (`:hostnet`) inside the real shell, over the real
// core (the state DB in SQLite, libvirt's test driver, this machine's network
// read as it is, never changed): ovirtmgmt listed on the management
// interface; the attach form refused by the core's rules marks the field and
// changes nothing; detaching the management network is refused; read-only
// mode offers no attach. (The attach's safe apply itself runs in a test host:
// test/system/host-network-attach.test.ts.)
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { hostNetworksScreen } from '../../screens/host-networks/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

function mount(opts: { readOnly?: boolean } = {}) {
  const services = testServices({ readOnly: opts.readOnly });
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={[hostNetworksScreen]} initialTheme="dark" readOnly={Boolean(opts.readOnly)} mode={() => 'standalone'} />, { columns: 120, rows: 32 });
  const count = (table: string) => services.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return { ui, services, count, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

async function openHostnet(env: ReturnType<typeof mount>) {
  await env.ui.press(':');
  await env.ui.type('hostnet');
  await env.ui.press(KEYS.enter);
  await env.ui.waitFor(/ovirtmgmt\s+\S+\s+\S+\s+-\s+yes\s+management interface/, 15_000);
}

describe('Host networks screen over the real core (SQLite, libvirt test driver)', () => {
  let env: ReturnType<typeof mount> | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  it('attach form: the management network, already on the host, is refused under its field; nothing is staged or recorded', async () => {
    env = mount();
    await openHostnet(env);
    await env.ui.press('a');
    await env.ui.waitFor('Attach a logical network to a NIC or bond of this host');
    // ovirtmgmt is the only network and the form's first choice.
    await env.ui.waitFor(/Logical network\s+ovirtmgmt/);
    await env.ui.press('s');
    const f = await env.ui.waitFor(/network: ovirtmgmt is already attached to/, 15_000);
    assert.match(f, /Not saved: /);
    assert.equal(env.count('host_network_attachments'), 0);
    assert.equal(env.count('net_staged'), 0);
  });

  it('detaching the management network is refused with the reason', async () => {
    env = mount();
    await openHostnet(env);
    await env.ui.press('x');
    await env.ui.waitFor(/the management network stays on the management interface/, 15_000);
  });

  it('read-only mode offers no attach', async () => {
    env = mount({ readOnly: true });
    await openHostnet(env);
    await env.ui.press('a');
    const f = await env.ui.waitFor(/Attach a logical network to a NIC or bond \(asks first\): not available in read-only mode/);
    assert.doesNotMatch(f, /Attach a logical network to a NIC or bond of this host/);
  });
});
