// The VM's NICs and disks in the shell, on libvirt's test driver (VM "test",
// running: one NIC on network default, disk vda): D on the VM list opens
// them; i opens the NIC form, whose source is checked on its field before
// anything runs and again by the core (a network that is not there); a opens
// the disk form, the same; Ctrl-D on the boot disk of the running VM asks
// first and is refused with the reason. Read-only mode changes nothing.
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
  const deviceEvents = () => services.events.list({ limit: 100 }).filter((e) => /NIC|disk/i.test(e.message)).map((e) => e.message);
  return { ui, deviceEvents, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

async function openDevices(env: ReturnType<typeof mount>) {
  await env.ui.press(':');
  await env.ui.type('vms');
  await env.ui.press(KEYS.enter);
  await env.ui.waitFor(/▶.*test/);
  await env.ui.press('D');
  await env.ui.waitFor('NICs and disks of test');
  await env.ui.waitFor(/› aa:bb:cc:dd:ee:ff +network +default/);
  await env.ui.waitFor(/vda +virtio +\/guest\/diskimage1 .* boot +yes +yes/);
}

describe('NICs and disks screen', () => {
  let env: ReturnType<typeof mount> | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  it('i: the NIC form checks the source on its field, then the core names a network that is not there; Esc leaves it', async () => {
    env = mount();
    await openDevices(env);
    await env.ui.press('i');
    await env.ui.waitFor('New NIC');
    await env.ui.type('default');
    for (let i = 0; i < 3; i++) await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/"default" is not KEY=VALUE/);
    for (let i = 0; i < 7; i++) await env.ui.press(KEYS.backspace);
    await env.ui.type('network=nope');
    for (let i = 0; i < 3; i++) await env.ui.press(KEYS.enter);
    const f = await env.ui.waitFor(/no libvirt network named 'nope' \(networks: default\)/);
    assert.match(f, /New NIC/, 'the form stays open');
    await env.ui.press(KEYS.escape);
    await env.ui.waitFor((frame) => !frame.includes('New NIC'));
    assert.deepEqual(env.deviceEvents(), [], 'nothing was attempted');
  });

  it('a: the disk form wants a size or a volume; IDE is refused on the running VM, on the bus field', async () => {
    env = mount();
    await openDevices(env);
    await env.ui.press('a');
    await env.ui.waitFor('Attach a disk');
    await env.ui.type('default-pool');
    for (let i = 0; i < 5; i++) await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/give a size \(a new volume\) or a volume \(an existing one\)/);
    await env.ui.type('1G');
    for (let i = 0; i < 3; i++) await env.ui.press(KEYS.enter);
    await env.ui.type('ide');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/a running VM takes a disk on virtio or scsi only \(ide cannot be hot-plugged\)/);
    assert.deepEqual(env.deviceEvents(), []);
  });

  it('Ctrl-D on the boot disk of the running VM asks first, then says why not', async () => {
    env = mount();
    await openDevices(env);
    await env.ui.press(KEYS.down);
    await env.ui.waitFor(/› vda/);
    await env.ui.press('\x04');
    await env.ui.waitFor('Detach disk vda from test? Its volume stays.');
    await env.ui.press('y');
    await env.ui.waitFor(/vda is the boot disk of test, which is running: shut it off first/);
  });

  it('read-only mode: the keys say why and nothing changes', async () => {
    env = mount({ readOnly: true });
    await openDevices(env);
    await env.ui.press('i');
    await env.ui.waitFor(/read-only/);
    assert.doesNotMatch(env.ui.frame(), /New NIC/);
    await env.ui.press('\x04');
    await env.ui.waitFor(/read-only/);
    assert.doesNotMatch(env.ui.frame(), /Detach disk/);
    assert.deepEqual(env.deviceEvents(), []);
  });
});
