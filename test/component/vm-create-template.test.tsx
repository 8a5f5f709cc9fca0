// The new VM wizard from a template, on libvirt's test driver with a real
// state DB: picking a template fills the fields with its hardware (the
// defaults the operator may change), the summary says which template and
// how (thin or clone), and the VM is created from it and recorded as made
// from that template. The template here has no disks (the test driver has
// no images for qemu-img; thin and clone disks run in the integration tier).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { templateRepo } from '../../src/manager/repos/templates.ts';
import { vmLifecycleScreens } from '../../screens/vm-create/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

const ID = '33333333-0000-4000-8000-000000000001';

describe('new VM wizard from a template', () => {
  const services = testServices();
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const repo = templateRepo(services.db);
  let ui: ReturnType<typeof renderTui>;
  before(() => {
    repo.insert({
      id: ID, baseId: ID, name: 'golden', version: 1, versionName: '', description: '', storageDomainId: null, sourceVm: 'src', sealed: false, status: 'ready', creatorPid: null,
      createdAt: new Date().toISOString(), disks: [], hardware: { vcpus: 2, memoryMiB: 512, machine: 'pc', osType: 'linux', boot: 'network', graphics: 'none', nics: [{ kind: 'network', source: 'default', model: 'e1000e' }] },
    });
    const wizard = vmLifecycleScreens.find((s) => s.id === 'vm-create')!;
    ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={[wizard]} initialTheme="dark" readOnly={false} mode={() => 'standalone'} />, { columns: 110, rows: 34 });
  });
  after(async () => { ui.unmount(); stores.stop(); await services.cleanup(); });

  it('fills the fields from the template, and creates a clone recorded as made from it', async () => {
    await ui.waitFor((f) => f.includes('New virtual machine') && !f.includes('Reading pools'), 15_000);
    await ui.waitFor('Edit field');
    await ui.press(KEYS.enter);
    await ui.waitFor((f) => !f.includes('Edit field'));
    await ui.type('web9');
    await ui.press(KEYS.enter);
    await ui.press(KEYS.down, KEYS.down, KEYS.down, KEYS.down); // From template
    await ui.waitFor(/› From template\s+‹ none ›/);
    await ui.press(KEYS.enter); // Blank, then golden
    await ui.waitFor(/From template\s+‹ Blank ›/);
    await ui.press(KEYS.enter);
    await ui.waitFor(/From template\s+‹ golden ›/);
    let f = await ui.waitFor(/vCPUs\s+2/);
    assert.match(f, /Memory\s+512M/);
    await ui.press(KEYS.down);
    await ui.press(KEYS.enter); // thin -> clone
    await ui.waitFor(/its disks\s+‹ clone ›/);
    // No disk of its own (the test driver cannot make volumes): Disk step, new volume -> existing -> none.
    await ui.press(']');
    await ui.waitFor(/› Disk\s+‹ new volume ›/);
    await ui.press(KEYS.enter, KEYS.enter);
    await ui.waitFor(/› Disk\s+‹ none ›/);
    await ui.press(']', ']', ']', ']');
    f = await ui.waitFor('Ready: Enter (or c) creates it.');
    assert.match(f, /template\s+golden version 1, clone/);
    assert.match(f, /NIC 1\s+network default, e1000e/);
    assert.match(f, /boot\s+network/);
    await ui.press('s'); // do not start
    await ui.waitFor('Start after create: no');
    await ui.press('c');
    for (let i = 0; i < 100 && !repo.linksTo([ID]).length; i++) await new Promise((r) => setTimeout(r, 100));
    const last = ui.frame();
    assert.ok((await services.virt.domainList()).some((d) => d.name === 'web9'), last);
    assert.deepEqual(repo.linksTo([ID]).map((l) => [l.vmName, l.mode]), [['web9', 'clone']]);
  });
});
