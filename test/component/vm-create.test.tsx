// The new VM wizard in the shell, on libvirt's test driver (test:///default:
// 16 CPUs, 3 GiB, pool default-pool, network default): every field's rule
// shows on the field, the summary lists what will be created, and creating
// is refused with the reason while a field breaks a rule. Nothing is
// created in these tests (the real create runs in the integration tier).
import { after, before, describe, it } from 'node:test';
import { consoleCore } from '../lib/services.ts';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { vmLifecycleScreens } from '../../screens/vm-create/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { setTextIn } from '../lib/ink-form.ts';
import { testServices } from '../lib/services.ts';
import { showsWhole } from '../lib/screen-text.ts';

function mount(size = { columns: 110, rows: 34 }) {
  const services = testServices();
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const wizard = vmLifecycleScreens.find((s) => s.id === 'vm-create')!;
  const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={[wizard, ...vmLifecycleScreens.filter((s) => s !== wizard)]} initialTheme="dark" readOnly={false} mode={() => 'standalone'} />, size);
  return { ui, services, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

describe('new VM wizard', () => {
  let env: ReturnType<typeof mount>;
  before(() => { env = mount(); });
  after(async () => { await env.close(); });
  const setText = (value: string) => setTextIn(env.ui, value);

  it('marks a bad field with its rule as soon as it is entered', async () => {
    const ui = env.ui;
    await ui.waitFor('New virtual machine');
    await ui.waitFor(/Disk.*Network.*Boot and OS.*Display.*Summary/);
    // A name virsh or another program could read as an option: the shared names rule, on the field.
    await setText('--domain=prod');
    await ui.waitFor("name: must not start with '-' (a program would read it as an option)");
    await setText('web/1');
    await ui.waitFor("name: must not contain '/'");
    await ui.press(KEYS.down, KEYS.down); // memory
    await setText('0');
    await ui.waitFor('memory: must be more than 0 MiB');
    await ui.press(KEYS.up); // vCPUs
    await setText('17');
    await ui.waitFor("vCPUs: must be at most 16 (this host's logical CPUs)");
  });

  it('the summary lists every problem and Create is refused with the reason', async () => {
    const ui = env.ui;
    await ui.press(']', ']', ']', ']', ']');
    const f = await ui.waitFor('✗ memory');
    assert.match(f, /✗ name: must not contain '\/'/);
    assert.match(f, /✗ memory: must be more than 0 MiB/);
    assert.match(f, /disk 1\s+new 10 GiB qcow2 volume web\/1\.qcow2 on pool default-pool/);
    assert.match(f, /console\s+serial \(always\)/);
    await ui.press('c');
    await ui.waitFor(/Create and start: 3 fields need attention/);
  });

  it('once fixed, the summary is ready and says nothing exists yet', async () => {
    const ui = env.ui;
    await ui.press('[', '[', '[', '[', '['); // back to Basics
    await ui.waitFor('› Name');
    await setText('web1');
    await ui.press(KEYS.down);
    await setText('2');
    await ui.press(KEYS.down);
    await setText('512M');
    await ui.press(']', ']', ']', ']', ']');
    const f = await ui.waitFor('Ready: Enter (or c) creates it. Nothing is defined before that.');
    assert.match(f, /name\s+web1/);
    assert.match(f, /memory\s+512 MiB/);
    assert.match(f, /Start after create: yes/);
    await ui.press('s');
    await ui.waitFor('Start after create: no');
    const doms = await env.services.virt.domainList();
    assert.ok(!doms.some((d) => d.name === 'web1'), 'nothing was created');
  });
});

describe('new VM wizard devices', () => {
  let env: ReturnType<typeof mount>;
  before(() => { env = mount(); });
  after(async () => { await env.close(); });

  it('the Network step adds and removes NICs, each with its model, and marks a MAC that repeats on the NIC that repeats it', async () => {
    const ui = env.ui;
    await ui.waitFor('› Name');
    await ui.press(']', ']');
    await ui.waitFor('No NIC: a adds one');
    await ui.press('a');
    await ui.waitFor(/› NIC 1\s+‹ libvirt network ›/);
    await ui.press(KEYS.down, KEYS.down);
    await ui.waitFor(/›\s+model\s+‹ virtio ›/);
    await ui.press(KEYS.right);
    await ui.waitFor(/›\s+model\s+‹ e1000e ›/);
    await ui.press(KEYS.down);
    await setTextIn(ui, '52:54:00:aa:bb:01');
    await ui.press('a');
    await ui.waitFor(/› NIC 2\s+‹ libvirt network ›/);
    await ui.press(KEYS.down, KEYS.down, KEYS.down);
    await setTextIn(ui, '52:54:00:AA:BB:01');
    await ui.waitFor("NIC 2 MAC address: 52:54:00:AA:BB:01 is NIC 1's too: each NIC needs its own MAC");
    // The summary lists both NICs; Create is refused while the MAC repeats.
    await ui.press(']', ']', ']');
    let f = await ui.waitFor(/NIC 2\s+network default, virtio, MAC 52:54:00:AA:BB:01/);
    assert.match(f, /NIC 1\s+network default, e1000e, MAC 52:54:00:aa:bb:01/);
    // Removing NIC 2 clears the rule.
    await ui.press('[', '[', '[');
    await ui.waitFor('a adds a NIC');
    await ui.press('x');
    f = await ui.waitFor((x) => !x.includes('NIC 2'));
    assert.doesNotMatch(f, /is NIC 1's too/);
  });

  it('Firmware offers BIOS only where the connection has no UEFI firmware, and says why', async () => {
    const ui = env.ui;
    await ui.press(']');
    await ui.waitFor('› Boot from');
    const f = await ui.waitFor('UEFI unavailable: this connection (the test driver) reports no domain capabilities');
    assert.match(f, /Firmware\s+‹ bios ›/);
    assert.match(f, /CPU\s+‹ cluster's ›/);
  });

  it('OS variant is checked against osinfo\'s list on the field', async () => {
    const ui = env.ui;
    await ui.press(KEYS.down, KEYS.down);
    await ui.waitFor(/› OS variant/);
    await setTextIn(ui, 'nosuchos9');
    await ui.waitFor("OS variant: osinfo knows no OS 'nosuchos9'");
    await setTextIn(ui, 'debian11');
    await ui.waitFor((f) => !f.includes('osinfo knows no OS'));
  });
});

for (const size of [{ columns: 120, rows: 36 }, { columns: 80, rows: 24 }]) {
  describe(`new VM wizard at ${size.columns}x${size.rows}`, () => {
    let env: ReturnType<typeof mount>;
    before(() => { env = mount(size); });
    after(async () => { await env.close(); });

    it('a long name that breaks a rule shows the whole rule on its own line under the name', async () => {
      await env.ui.waitFor('› Name');
      const name = `${'web-'.repeat(20)}/x`;
      await setTextIn(env.ui, name);
      const f = await env.ui.waitFor("must not contain '/'");
      assert.ok(showsWhole(f, "name: must not contain '/'"), f);
      for (const line of f.split('\n')) assert.ok([...line].length <= size.columns, line);
    });

    it('a name over 255 characters is marked with the length rule', async () => {
      await setTextIn(env.ui, 'a'.repeat(256));
      const f = await env.ui.waitFor('name: must be at most');
      assert.ok(showsWhole(f, 'name: must be at most 255 characters (got 256)'), f);
    });
  });
}
